#pragma once
// Finds a model from what a user typed (--model) and builds the right Encoder for it.
//   - a checkpoint folder: config.json (or adapter_config.json) inside decides the family;
//   - a Hugging Face repo id ORG/NAME: looked up in the local Hugging Face cache
//     ($HF_HUB_CACHE, else $HF_HOME/hub, else ~/.cache/huggingface/hub), newest snapshot;
//   - empty: the bundled default model in resources/models/.
// Nothing is ever downloaded.
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "models/encoder.h"

namespace patchwise::models {

// Where the bundled resources live: $PATCHWISE_RESOURCES if set, else the build-time path.
std::filesystem::path resources_dir();

// The folder the spec names; throws patchwise::Error saying where it looked.
std::filesystem::path resolve_model_dir(const std::string& spec);

// The default model folder (the bundled starter model when present).
std::filesystem::path default_model_dir();

// How a checkpoint's weights are held. float32 matches the reference implementations;
// bfloat16 halves the memory (a 3B model: about 6 instead of 12 GB) and gives vectors within
// cosine 0.98 of float32's (the arithmetic is float32 on CPUs without AVX-512, see
// models/transformer/layers.h). The bundled models are float32 whatever is asked.
enum class WeightPrecision { float32, bfloat16 };

// "float32" / "f32" / "bfloat16" / "bf16"; throws patchwise::Error otherwise.
WeightPrecision parse_weight_precision(const std::string& text);

std::unique_ptr<Encoder> load_encoder(const std::string& spec,
                                      WeightPrecision precision = WeightPrecision::float32);

// The model_type values the registry knows, for error messages and `--help`.
std::vector<std::string> known_model_types();

}  // namespace patchwise::models
