#pragma once
// Internal to checkpoint: the safetensors files of one checkpoint folder (single file or
// shards) and the renamed key -> tensor table over them.
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "models/checkpoint/checkpoint.h"
#include "models/checkpoint/safetensors.h"

namespace patchwise::models::detail {

struct TensorSource {
  const SafetensorsFile* file = nullptr;
  const TensorInfo* info = nullptr;
};

// Applies the renames in order; each is a regex_replace of the first match.
class KeyRenamer {
 public:
  explicit KeyRenamer(const std::vector<KeyRename>& renames);
  std::string operator()(const std::string& key) const;

 private:
  struct Compiled;
  std::vector<std::shared_ptr<const Compiled>> rules_;
};

struct WeightFiles {
  std::vector<std::unique_ptr<SafetensorsFile>> files;
  std::map<std::string, TensorSource, std::less<>> tensors;  // by renamed key
};

// model.safetensors.index.json (sharded) or model.safetensors in `dir`.
WeightFiles open_weight_files(const std::filesystem::path& dir, const KeyRenamer& rename);

// Adds `file`'s tensors under renamed keys; two keys landing on one name is an error.
void add_tensors(WeightFiles& weights, const SafetensorsFile& file, const KeyRenamer& rename);

std::string shape_text(const std::vector<std::int64_t>& shape);

}  // namespace patchwise::models::detail
