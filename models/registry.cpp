#include "models/registry.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdlib>
#include <functional>
#include <map>
#include <optional>

#include "core/error.h"
#include "models/checkpoint/checkpoint.h"
#include "models/colpali/colpali_encoder.h"
#include "models/idefics3/colidefics3_encoder.h"
#include "models/lexical/lexical_encoder.h"
#include "models/modernvbert/colmodernvbert_encoder.h"
#include "models/qwen2vl/colqwen2_encoder.h"
#include "models/starter/starter_encoder.h"

namespace patchwise::models {
namespace fs = std::filesystem;
namespace {

using Factory = std::function<std::unique_ptr<Encoder>(const fs::path& dir, torch::ScalarType dtype)>;

// One line per model family, keyed by config.json's "model_type".
const std::map<std::string, Factory>& families() {
  static const std::map<std::string, Factory> table = {
      {"colpali", colpali::make_colpali_encoder},  // ColPaliForRetrieval (-hf)
      {"idefics3", idefics3::make_colidefics3_encoder},
      {"modernvbert", modernvbert::make_colmodernvbert_encoder},
      {"qwen2_vl", qwen2vl::make_colqwen2_encoder},
      {"qwen2_5_vl", qwen2vl::make_colqwen2_encoder},
      {"colqwen2", qwen2vl::make_colqwen2_encoder},
      {"paligemma", colpali::make_colpali_encoder},  // colpali-engine ColPali
      {"patchwise-lexical",
       [](const fs::path& dir, torch::ScalarType) { return std::make_unique<LexicalEncoder>(dir); }},
      {"patchwise-starter",
       [](const fs::path& dir, torch::ScalarType) { return std::make_unique<starter::StarterEncoder>(dir); }},
  };
  return table;
}

bool looks_like_repo_id(const std::string& spec) {
  return std::count(spec.begin(), spec.end(), '/') == 1 && spec.front() != '/' && spec.front() != '.';
}

std::string model_type_of(const fs::path& dir) {
  if (fs::exists(dir / "config.json")) {
    const auto config = read_json_file(dir / "config.json");
    if (config.contains("model_type") && config["model_type"].is_string()) return config["model_type"];
    throw Error((dir / "config.json").string() + " has no \"model_type\"");
  }
  if (fs::exists(dir / "adapter_config.json")) {
    // A LoRA adapter: the family is the base checkpoint's.
    const auto adapter = read_json_file(dir / "adapter_config.json");
    const std::string base = adapter.value("base_model_name_or_path", "");
    if (base.empty()) throw Error((dir / "adapter_config.json").string() + " names no base_model_name_or_path");
    return model_type_of(resolve_model_dir(base));
  }
  throw Error(dir.string() + " has no config.json: not a checkpoint folder");
}

}  // namespace

fs::path resources_dir() {
  if (const char* r = std::getenv("PATCHWISE_RESOURCES"); r && *r) return r;
  return PATCHWISE_RESOURCES_BUILD_DIR;
}

fs::path default_model_dir() {
  const fs::path models = resources_dir() / "models";
  for (const char* name : {"starter", "lexical"}) {
    if (fs::exists(models / name / "config.json")) return models / name;
  }
  throw Error("no bundled model found in " + models.string() +
              " (set PATCHWISE_RESOURCES to the source tree's resources/ folder)");
}

fs::path resolve_model_dir(const std::string& spec) {
  if (spec.empty()) return default_model_dir();
  if (fs::is_directory(spec)) return fs::path(spec);
  if (looks_like_repo_id(spec)) {
    if (auto dir = find_in_hf_cache(spec)) return *dir;
    throw Error("model '" + spec + "' is neither a folder nor in the Hugging Face cache at " +
                default_hf_hub_cache().string() + " (nothing is downloaded: put the checkpoint there or pass its folder)");
  }
  throw Error("model '" + spec + "': no such folder");
}

WeightPrecision parse_weight_precision(const std::string& text) {
  if (text == "float32" || text == "f32") return WeightPrecision::float32;
  if (text == "bfloat16" || text == "bf16") return WeightPrecision::bfloat16;
  throw Error("precision '" + text + "' is not one of float32 (f32), bfloat16 (bf16)");
}

std::unique_ptr<Encoder> load_encoder(const std::string& spec, WeightPrecision precision) {
  const fs::path dir = resolve_model_dir(spec);
  const std::string type = model_type_of(dir);
  const auto& table = families();
  const auto it = table.find(type);
  if (it == table.end()) {
    std::string known;
    for (const auto& name : known_model_types()) known += (known.empty() ? "" : ", ") + name;
    throw Error(dir.string() + ": model_type \"" + type + "\" is not supported (supported: " + known + ")");
  }
  return it->second(dir, precision == WeightPrecision::bfloat16 ? torch::kBFloat16 : torch::kFloat32);
}

std::vector<std::string> known_model_types() {
  std::vector<std::string> names;
  for (const auto& [name, factory] : families()) names.push_back(name);
  return names;
}

}  // namespace patchwise::models
