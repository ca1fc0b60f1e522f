#pragma once
// Everything a ColPali checkpoint folder says about its architecture, preprocessing and
// prompts. Two config layouts are read: colpali-engine's (config.json of model_type
// "paligemma", architectures ["ColPali"]) and transformers-native ColPaliForRetrieval's
// ("-hf" checkpoints: model_type "colpali", the PaliGemma config under "vlm_config",
// "embedding_dim"). Prompts are data (defaults: colpali-engine 0.3.12 with transformers 4.53,
// which shared/fixtures/colpali reproduces); a folder may override them in
// patchwise_prompts.json (see PromptConfig).
#include <array>
#include <filesystem>
#include <string>

#include <nlohmann/json.hpp>

#include "models/siglip/siglip_config.h"
#include "models/transformer/decoder.h"
#include "vision/resample.h"

namespace patchwise::models::colpali {

struct PreprocessConfig {
  int width = 0;  // every page is resized to exactly width x height (aspect ratio dropped)
  int height = 0;
  vision::ResampleFilter filter = vision::ResampleFilter::bicubic;
  double rescale_factor = 1.0 / 255.0;
  std::array<float, 3> mean{0.5F, 0.5F, 0.5F};
  std::array<float, 3> std{0.5F, 0.5F, 0.5F};
};

// The text around pages and queries (shared/docs/models.md §3.4). The document prompt's
// image placeholder is replaced by image_seq_len image tokens; with bos_after_image (what
// PaliGemmaProcessor does from transformers ~4.47 on) a "<bos>" follows the last image token
// even though the prompt already has one; document_suffix ends the prompt. A query is
// query_prefix + query + query_suffix. Keys of patchwise_prompts.json: document_prompt,
// image_placeholder, bos_after_image, document_suffix, query_prefix, query_suffix.
struct PromptConfig {
  std::string document_prompt = "<image><bos>Describe the image.";
  std::string image_placeholder = "<image>";
  bool bos_after_image = true;
  std::string document_suffix = "\n";
  std::string query_prefix = "<bos>Query: ";
  std::string query_suffix = default_query_suffix();  // 10 x <pad> (query augmentation)

  static std::string default_query_suffix();
};

// Which tensor names the weights file uses (both are renamed to the engine's on load).
enum class WeightLayout {
  colpali_engine,      // model.vision_tower.*, model.language_model.model.*, custom_text_proj.*
  transformers_native  // vlm.*, embedding_proj_layer.* (ColPaliForRetrieval, "-hf" repos)
};

struct Config {
  siglip::SiglipConfig vision;
  transformer::DecoderConfig text;
  PreprocessConfig preprocess;
  PromptConfig prompts;
  WeightLayout layout = WeightLayout::colpali_engine;
  int image_token_id = 0;   // id of <image>
  int image_seq_len = 0;    // image tokens per page = (image_size / patch)^2
  int projection_dim = 128; // embedding size D (checked against the head's weight)
};

// Reads and checks the folder's configuration: config.json from `base_dir` (the folder itself,
// or an adapter's base model), preprocessor_config.json and patchwise_prompts.json from `dir`
// when there, else from `base_dir`. Throws patchwise::Error naming the file and the missing or
// inconsistent field.
Config load_config(const std::filesystem::path& dir, const std::filesystem::path& base_dir);

// The same from already parsed JSON (for tests); `where` names the folder in errors.
Config parse_config(const nlohmann::json& config, const nlohmann::json& preprocessor, const std::string& where);

// A short canonical text of the preprocessing and prompt settings, for fingerprints.
std::string describe_settings(const Config& config);

}  // namespace patchwise::models::colpali
