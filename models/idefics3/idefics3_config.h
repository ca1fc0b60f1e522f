#pragma once
// Everything a ColIdefics3 (ColSmol) checkpoint folder says about its architecture,
// preprocessing and prompts, read from config.json, preprocessor_config.json and
// processor_config.json, with the prompt strings as data (defaults: colpali-engine 0.3.12,
// which the fixture in shared/fixtures/colidefics3 reproduces).
#include <array>
#include <filesystem>
#include <string>

#include <nlohmann/json.hpp>

#include "models/siglip/siglip_config.h"
#include "models/transformer/decoder.h"
#include "vision/resample.h"

namespace patchwise::models {
class ConfigFields;
}

namespace patchwise::models::idefics3 {

using VisionConfig = siglip::SiglipConfig;

using TextConfig = transformer::DecoderConfig;

struct PreprocessConfig {
  int longest_edge = 0;         // first resize: the image's longest side becomes this
  int tile_size = 0;            // max_image_size.longest_edge: tiles are tile_size squared
  bool split_image = true;      // do_image_splitting
  vision::ResampleFilter filter = vision::ResampleFilter::lanczos;
  double rescale_factor = 1.0 / 255.0;
  std::array<float, 3> mean{0.5F, 0.5F, 0.5F};
  std::array<float, 3> std{0.5F, 0.5F, 0.5F};
};

// The prompt strings colpali-engine builds around pages and queries. They changed between
// colpali-engine releases (see shared/docs/models.md §2.4); the defaults are 0.3.11/0.3.12's.
// A checkpoint folder may override them with a "patchwise_prompts.json" holding any of these
// keys: document_prompt, image_placeholder, query_prefix, query_suffix.
struct PromptConfig {
  std::string document_prompt = "<|im_start|>User:<image>Describe the image.<end_of_utterance>\nAssistant:";
  std::string image_placeholder = "<image>";  // where the image tokens go in document_prompt
  std::string query_prefix = "Query: ";
  std::string query_suffix = default_query_suffix();  // 10 x <end_of_utterance>

  static std::string default_query_suffix();
};

struct Config {
  VisionConfig vision;
  TextConfig text;
  PreprocessConfig preprocess;
  PromptConfig prompts;
  int scale_factor = 0;     // pixel-shuffle factor of the connector
  int image_token_id = 0;   // id of <image>
  int image_seq_len = 0;    // image tokens per tile = (image_size/patch)^2 / scale_factor^2
  int projection_dim = 128; // rows of `linear.weight` (checked against the file)

  int connector_in() const { return vision.hidden * scale_factor * scale_factor; }
};

// Reads and checks the folder's configuration. Throws patchwise::Error naming the file and
// the missing or inconsistent field.
Config load_config(const std::filesystem::path& dir);

// The same from already parsed JSON (for tests); `where` names the source in errors.
Config parse_config(const nlohmann::json& config, const nlohmann::json& preprocessor,
                    const nlohmann::json& processor, const std::string& where);

// A short canonical text of the preprocessing and prompt settings, for fingerprints.
std::string describe_settings(const Config& config);
// The same for any family using the Idefics3 processor (`family` starts the text).
std::string describe_settings(const std::string& family, const PreprocessConfig& preprocess,
                              const PromptConfig& prompts, int image_seq_len);

// preprocessor_config.json; `vision_config` supplies size / image_size where it is silent
// (shared with ColModernVBERT, whose defaults stand in for the vision config).
PreprocessConfig parse_preprocess(const ConfigFields& preprocessor, const ConfigFields& vision_config);

}  // namespace patchwise::models::idefics3
