#pragma once
// A Hugging Face checkpoint folder, opened read-only:
//   - model.safetensors (single file), or model.safetensors.index.json + its shards;
//   - config.json (parsed);
//   - or a PEFT LoRA adapter folder (adapter_config.json + adapter_model.safetensors) whose
//     base checkpoint is found from base_model_name_or_path (a local folder, or a Hugging
//     Face repo id looked up in the local cache) and whose low-rank updates are merged into
//     the base weights on get(): W' = W + s * (B @ A) in float32, s = lora_alpha / r
//     (lora_alpha / sqrt(r) with use_rslora). modules_to_save weights replace the base ones.
//     DoRA and fan_in_fan_out adapters are rejected.
// Tensor names are the base checkpoint's keys after LoadOptions::key_renames; adapter keys
// lose their "base_model.model." prefix and go through the same renames.
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>
#include <torch/torch.h>

namespace patchwise::models {

struct KeyRename {
  std::string pattern;      // ECMAScript regex, searched anywhere in the key
  std::string replacement;  // $1-style groups allowed; applied with regex_replace (first match)
};

struct LoadOptions {
  // Applied in order to every tensor key (base and adapter) before lookup. Default: none.
  std::vector<KeyRename> key_renames;
  // For adapters: the base checkpoint folder, overriding adapter_config.json's
  // base_model_name_or_path. Default: empty (use the config's value).
  std::filesystem::path base_model_dir;
  // For adapters: the Hugging Face hub cache to resolve a repo id in. Default: empty =
  // $HF_HUB_CACHE, else $HF_HOME/hub, else ~/.cache/huggingface/hub.
  std::filesystem::path hf_cache_dir;
  // For adapters: merge LoRA updates into get()'s result. Default: true. With false, get()
  // returns the base weight and lora() exposes the factors (for unmerged evaluation).
  bool merge_lora = true;
};

// The low-rank update of one adapted weight: delta = scale * (B @ A).
struct LoraFactors {
  torch::Tensor a;  // [r, in_features], float32
  torch::Tensor b;  // [out_features, r], float32
  double scale = 1.0;
};

class Checkpoint {
 public:
  // Throws patchwise::Error naming the folder / file and what is missing or malformed.
  static Checkpoint open(const std::filesystem::path& dir, const LoadOptions& options = {});

  Checkpoint(Checkpoint&&) noexcept;
  Checkpoint& operator=(Checkpoint&&) noexcept;
  ~Checkpoint();

  const std::filesystem::path& dir() const;
  // config.json of the model (for adapters: the base model's config.json).
  const nlohmann::json& config() const;
  // adapter_config.json when this is an adapter folder.
  const std::optional<nlohmann::json>& adapter_config() const;
  bool is_adapter() const;

  bool has(std::string_view name) const;
  // The tensor (LoRA merged, modules_to_save applied) converted to `dtype`. If
  // expected_shape is non-empty the shape must match. Throws naming the tensor, the
  // folder, and the expected vs found shape.
  torch::Tensor get(std::string_view name, std::vector<std::int64_t> expected_shape = {},
                    torch::ScalarType dtype = torch::kFloat32) const;
  // The stored shape of a tensor without reading it; throws if absent.
  std::vector<std::int64_t> shape(std::string_view name) const;
  // The LoRA factors adapting `name`, if any (also when merge_lora is true).
  std::optional<LoraFactors> lora(std::string_view name) const;
  // All tensor names (after renames), sorted.
  std::vector<std::string> names() const;
  // A hex digest of config.json, adapter_config.json, every tensor's name, dtype, shape and
  // bytes (base and adapter). Stable across runs and machines; computed once, on first call.
  std::string fingerprint() const;

 private:
  struct State;
  explicit Checkpoint(std::unique_ptr<State> state);
  std::unique_ptr<State> state_;
};

// Parses a JSON file; throws patchwise::Error naming the file and the parse position.
nlohmann::json read_json_file(const std::filesystem::path& path);

// Learned parameters in the checkpoint: the element counts of its stored tensors summed
// (for adapters, the base's; the low-rank factors are merged, not added).
std::size_t parameter_count(const Checkpoint& checkpoint);

// The local Hugging Face hub cache: $HF_HUB_CACHE, else $HF_HOME/hub, else
// ~/.cache/huggingface/hub.
std::filesystem::path default_hf_hub_cache();

// The newest snapshot folder of a Hugging Face repo id ("ORG/NAME") in the hub cache
// (`cache_dir`, or the default cache when empty), or nullopt. Uses refs/main when present.
std::optional<std::filesystem::path> find_in_hf_cache(std::string_view repo_id,
                                                      const std::filesystem::path& cache_dir = {});

}  // namespace patchwise::models
