#pragma once
// Typed access to a checkpoint's JSON configuration (config.json, preprocessor_config.json...)
// with errors that say which file and field is wrong, e.g.
// "ckpt/config.json text_config: \"hidden_size\" must be a positive integer, found -1".
#include <array>
#include <string>

#include <nlohmann/json.hpp>

namespace patchwise::models {

class ConfigFields {
 public:
  // `where` names the object in errors (a file, plus the path of nested objects).
  ConfigFields(const nlohmann::json& j, std::string where);

  // The value under `key`, or nullptr when absent or null.
  const nlohmann::json* find(const char* key) const;
  bool has(const char* key) const { return find(key) != nullptr; }

  int positive_int(const char* key) const;
  int positive_int_or(const char* key, int fallback) const;
  double positive_number_or(const char* key, double fallback) const;
  bool bool_or(const char* key, bool fallback) const;
  std::string string_or(const char* key, const std::string& fallback) const;
  // A number (used for all three) or an array of 3 numbers.
  std::array<float, 3> triple_or(const char* key, std::array<float, 3> fallback) const;
  // The nested object under `key`; throws when absent.
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
