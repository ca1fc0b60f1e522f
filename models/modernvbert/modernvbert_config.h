#pragma once
// Everything a ColModernVBERT checkpoint folder says about its architecture, preprocessing
// and prompts. colpali-engine builds both towers from the configs *named* in config.json
// (vision_config.vision_model_name, text_config.text_model_name), not from the sizes repeated
// there; we resolve a name as (1) a folder beside config.json (as the tiny fixture has),
// (2) a Hugging Face cache snapshot, (3) a built-in preset for the names the released
// checkpoint uses, and check the sizes config.json repeats against the result.
#include <cstdint>
#include <filesystem>
#include <string>

#include <nlohmann/json.hpp>

#include "models/idefics3/idefics3_config.h"
#include "models/siglip/siglip_config.h"
#include "models/transformer/decoder.h"

namespace patchwise::models::modernvbert {

using VisionConfig = siglip::SiglipConfig;

// A ModernBERT encoder (transformers' ModernBertConfig): the shared shape (hidden, layers,
// heads, head_dim, intermediate = GeGLU width, vocab = main token rows, stored in
// tok_embeddings.weight alone or followed there by the additional rows) plus what ModernBERT adds. rope_theta and rms_norm_eps of the base are unused.
struct TextConfig : transformer::DecoderConfig {
  int additional_vocab = 0;    // rows of the decoupled additional_embedding (ids >= vocab)
  double norm_eps = 1e-5;      // LayerNorm eps
  int global_every = 3;        // global_attn_every_n_layers: layer % global_every == 0 is global
  int local_attention = 128;   // sliding window width: keys with |i - j| <= local_attention / 2
  double global_rope_theta = 160000.0;
  double local_rope_theta = 10000.0;
  std::int64_t pad_id = 0;

  bool is_global(int layer) const { return layer % global_every == 0; }
};

struct Config {
  VisionConfig vision;
  TextConfig text;
  idefics3::PreprocessConfig preprocess;
  idefics3::PromptConfig prompts = default_prompts();
  int scale_factor = 0;      // pixel_shuffle_factor of the connector
  int image_token_id = 0;    // id of <image>
  int image_seq_len = 0;     // image tokens per tile = (image_size/patch)^2 / scale_factor^2
  std::string vision_source; // where the vision tower's config came from (folder, cache or preset)
  std::string text_source;

  // colpali-engine 0.3.13's ColModernVBertProcessor: empty query prefix, 10 x
  // <end_of_utterance> after the query; the tokenizer adds [CLS] ... [SEP] to both.
  static idefics3::PromptConfig default_prompts();
};

// A backbone config as found, with a description of where.
struct Backbone {
  nlohmann::json config;
  std::string source;
};

// Finds the config named by `name` for the checkpoint in `dir` (folder, cache, preset), or
// throws patchwise::Error saying where it looked.
Backbone resolve_backbone(const std::filesystem::path& dir, const std::string& name);

// Reads and checks the folder's configuration. Throws patchwise::Error naming the file and
// the missing or inconsistent field.
Config load_config(const std::filesystem::path& dir);

// The same from already parsed JSON (for tests); `where` names the folder in errors.
Config parse_config(const nlohmann::json& config, const Backbone& vision, const Backbone& text,
                    const nlohmann::json& preprocessor, const nlohmann::json& processor, const std::string& where);

// A short canonical text of the preprocessing and prompt settings, for fingerprints.
std::string describe_settings(const Config& config);

}  // namespace patchwise::models::modernvbert
