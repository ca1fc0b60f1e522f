#include "models/checkpoint/weight_files.h"

#include <regex>
#include <set>

#include "core/error.h"

namespace patchwise::models::detail {
namespace fs = std::filesystem;

struct KeyRenamer::Compiled {
  std::regex pattern;
  std::string replacement;
};

KeyRenamer::KeyRenamer(const std::vector<KeyRename>& renames) {
  for (const auto& r : renames) {
    try {
      rules_.push_back(std::make_shared<const Compiled>(Compiled{std::regex(r.pattern), r.replacement}));
    } catch (const std::regex_error& e) {
      throw Error("invalid key rename pattern '" + r.pattern + "': " + e.what());
    }
  }
}

std::string KeyRenamer::operator()(const std::string& key) const {
  std::string out = key;
  for (const auto& rule : rules_) {
    out = std::regex_replace(out, rule->pattern, rule->replacement, std::regex_constants::format_first_only);
  }
  return out;
}

std::string shape_text(const std::vector<std::int64_t>& shape) {
  std::string text = "[";
  for (std::size_t i = 0; i < shape.size(); ++i) {
    if (i) text += ", ";
    text += std::to_string(shape[i]);
  }
  return text + "]";
}

void add_tensors(WeightFiles& weights, const SafetensorsFile& file, const KeyRenamer& rename) {
  for (const auto& info : file.tensors()) {
    auto key = rename(info.name);
    const auto [it, inserted] = weights.tensors.emplace(key, TensorSource{&file, &info});
    if (!inserted) {
      throw Error(file.path().string() + ": tensor '" + info.name + "' maps to '" + key +
                  "', which tensor '" + it->second.info->name + "' of " + it->second.file->path().string() +
                  " already provides");
    }
  }
}

namespace {

// A shard name from the index must be a plain file inside the folder.
fs::path shard_path(const fs::path& dir, const fs::path& index, const std::string& name) {
  const fs::path relative(name);
  if (name.empty() || relative.is_absolute() || relative.has_parent_path() || name == "." || name == "..") {
    throw Error(index.string() + ": shard '" + name + "' is not a file name in the checkpoint folder");
  }
  return dir / relative;
}

WeightFiles open_sharded(const fs::path& dir, const fs::path& index_path, const KeyRenamer& rename) {
  const auto index = read_json_file(index_path);
  if (!index.is_object() || !index.contains("weight_map") || !index["weight_map"].is_object()) {
    throw Error(index_path.string() + ": no \"weight_map\" object");
  }
  WeightFiles weights;
  std::map<std::string, const SafetensorsFile*> shards;
  std::set<std::string> listed;
  for (const auto& [tensor, shard] : index["weight_map"].items()) {
    if (!shard.is_string()) throw Error(index_path.string() + ": weight_map entry '" + tensor + "' is not a file name");
    const auto& name = shard.get_ref<const std::string&>();
    if (!shards.contains(name)) {
      weights.files.push_back(std::make_unique<SafetensorsFile>(SafetensorsFile::open(shard_path(dir, index_path, name))));
      shards.emplace(name, weights.files.back().get());
    }
    const SafetensorsFile* file = shards.at(name);
    const TensorInfo* info = file->find(tensor);
    if (!info) {
      throw Error(index_path.string() + " says tensor '" + tensor + "' is in " + name + ", but " +
                  file->path().string() + " has no such tensor");
    }
    auto key = rename(tensor);
    const auto [it, inserted] = weights.tensors.emplace(key, TensorSource{file, info});
    if (!inserted) {
      throw Error(index_path.string() + ": tensors '" + it->second.info->name + "' and '" + tensor +
                  "' both map to '" + key + "'");
    }
  }
  if (weights.files.empty()) throw Error(index_path.string() + ": weight_map is empty");
  return weights;
}

}  // namespace

WeightFiles open_weight_files(const fs::path& dir, const KeyRenamer& rename) {
  if (const auto index = dir / "model.safetensors.index.json"; fs::exists(index)) {
    return open_sharded(dir, index, rename);
  }
  const auto single = dir / "model.safetensors";
  if (!fs::exists(single)) {
    const char* hint = fs::exists(dir / "pytorch_model.bin")
                           ? " (pytorch_model.bin is not supported: convert the checkpoint to safetensors)"
                           : "";
    throw Error(dir.string() + " has neither model.safetensors nor model.safetensors.index.json" + hint);
  }
  WeightFiles weights;
  weights.files.push_back(std::make_unique<SafetensorsFile>(SafetensorsFile::open(single)));
  add_tensors(weights, *weights.files.back(), rename);
  return weights;
}

}  // namespace patchwise::models::detail
