#pragma once
// Internal to checkpoint: a PEFT LoRA adapter folder (adapter_config.json +
// adapter_model.safetensors) checked against its base checkpoint's tensors.
#include <filesystem>
#include <map>
#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "models/checkpoint/weight_files.h"

namespace patchwise::models::detail {

struct LoraUpdate {
  TensorSource a;  // [r, in]
  TensorSource b;  // [out, r]
  double scale = 1.0;
};

struct LoraAdapter {
  nlohmann::json config;
  std::unique_ptr<SafetensorsFile> file;
  std::map<std::string, LoraUpdate, std::less<>> updates;           // by base weight name
  std::map<std::string, TensorSource, std::less<>> replacements;    // modules_to_save tensors
};

// The base checkpoint folder an adapter names (options override, local folder, or HF cache).
std::filesystem::path adapter_base_dir(const std::filesystem::path& adapter_dir,
                                       const nlohmann::json& adapter_config, const LoadOptions& options);

// Reads and validates the adapter against `base` (every adapted weight exists with a
// matching shape). Throws patchwise::Error naming the file and tensor.
LoraAdapter load_lora_adapter(const std::filesystem::path& dir, nlohmann::json config,
                              const WeightFiles& base, const KeyRenamer& rename);

}  // namespace patchwise::models::detail
