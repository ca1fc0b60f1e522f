#pragma once
// Typed reads of Hugging Face config files (config.json, preprocessor_config.json, ...) with
// errors that name the file and the field that is missing or malformed.
#include <array>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/error.h"

namespace patchwise::models {

class ConfigFields {
 public:
  // `where` names the source in errors (a file, or a file and a sub-object).
  ConfigFields(const nlohmann::json& j, std::string where);

  const nlohmann::json* find(const char* key) const;
  bool has(const char* key) const { return find(key) != nullptr; }

  int positive_int(const char* key) const;
  int positive_int_or(const char* key, int fallback) const;
  double positive_number_or(const char* key, double fallback) const;
  bool bool_or(const char* key, bool fallback) const;
  std::string string_or(const char* key, const std::string& fallback) const;
  // A number, or 3 numbers (per-channel values); fallback when absent.
  std::array<float, 3> triple_or(const char* key, std::array<float, 3> fallback) const;
  // A list of non-negative integers; fallback when absent.
  std::vector<int> int_list_or(const char* key, std::vector<int> fallback) const;
  ConfigFields object(const char* key) const;

  const std::string& where() const { return where_; }

  // An image processor's do_rescale/rescale_factor and do_normalize/image_mean/image_std into
  // `rescale`, `mean` and `std` (left as given when absent); throws for a non-positive std.
  void read_rescale_and_normalize(double& rescale, std::array<float, 3>& mean, std::array<float, 3>& std) const;

 private:
  const nlohmann::json& j_;
  std::string where_;
};

}  // namespace patchwise::models
