#pragma once
// Everything a ColQwen2 / ColQwen2.5 checkpoint folder says about its architecture,
// preprocessing and prompts (Qwen2-VL and Qwen2.5-VL backbones, models.md §4), read from
// config.json and preprocessor_config.json. config.json may be the flat legacy format (text
// fields at the top level, as the vidore checkpoints), the nested one (text_config), or a
// transformers-native ColQwen2ForRetrieval config (model_type "colqwen2", vlm_config).
#include <array>
#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "models/transformer/decoder.h"
#include "vision/resample.h"

namespace patchwise::models::qwen2vl {

enum class Variant {
  qwen2_vl,    // ColQwen2: LayerNorm + QuickGELU MLP vision blocks, full attention
  qwen2_5_vl,  // ColQwen2.5: RMSNorm + SiLU-gated vision blocks, window attention
};

struct VisionConfig {
  int hidden = 0;        // embed_dim (Qwen2-VL) / hidden_size (Qwen2.5-VL)
  int layers = 0;        // depth
  int heads = 0;
  int intermediate = 0;  // MLP width
  int out_hidden = 0;    // merger output = text hidden size
  int patch = 0;         // spatial patch side in pixels
  int temporal_patch = 2;
  int merge = 2;         // spatial merge size: merge x merge patches become one token
  int in_channels = 3;
  // Qwen2.5-VL: window side in pixels, and the blocks that attend over the whole image.
  int window_size = 0;
  std::vector<int> full_attention_blocks;
  double norm_eps = 1e-6;

  int head_dim() const { return hidden / heads; }
  int patch_values() const { return in_channels * temporal_patch * patch * patch; }
  // Window side in merged tokens (Qwen2.5-VL).
  int window_merged() const { return window_size / merge / patch; }
};

// The shared decoder's settings plus Qwen2-VL's M-RoPE split (defaults: rope_theta 1e6 when
// config.json is silent, set by the parser).
struct TextConfig : transformer::DecoderConfig {
  std::array<int, 3> mrope_section{};  // frequencies taken from the t, h, w positions
};

struct PreprocessConfig {
  int min_pixels = 56 * 56;
  int max_pixels = 12845056;  // transformers' defaults when the file names none
  int patch = 14;
  int merge = 2;
  int temporal_patch = 2;
  vision::ResampleFilter filter = vision::ResampleFilter::bicubic;
  double rescale_factor = 1.0 / 255.0;
  std::array<float, 3> mean{0.48145466F, 0.4578275F, 0.40821073F};
  std::array<float, 3> std{0.26862954F, 0.26130258F, 0.27577711F};

  int factor() const { return patch * merge; }  // image sides are multiples of this
};

// The prompt strings colpali-engine builds around pages and queries (models.md §4.4). The
// defaults are colpali-engine 0.3.4-0.3.12's, which the checkpoints were trained with and the
// fixtures reproduce. A checkpoint folder may override them with a "patchwise_prompts.json"
// holding any of these keys: document_prompt, image_placeholder, query_prefix, query_suffix
// (e.g. {"query_prefix": ""} for colpali-engine >= 0.3.13).
struct PromptConfig {
  std::string document_prompt =
      "<|im_start|>user\n<|vision_start|><|image_pad|><|vision_end|>Describe the image.<|im_end|><|endoftext|>";
  std::string image_placeholder = "<|image_pad|>";  // repeated once per image token
  std::string query_prefix = "Query: ";
  std::string query_suffix = default_query_suffix();  // 10 x <|endoftext|>

  static std::string default_query_suffix();
};

struct Config {
  Variant variant = Variant::qwen2_vl;
  VisionConfig vision;
  TextConfig text;
  PreprocessConfig preprocess;
  PromptConfig prompts;
  int image_token_id = 0;
  int projection_dim = 128;  // rows of custom_text_proj.weight (checked against the file)
  bool native_layout = false;  // transformers ColQwen2ForRetrieval names (vlm.*, embedding_proj_layer)
};

// Reads and checks the folder's configuration. Throws patchwise::Error naming the file and
// the missing or inconsistent field.
Config load_config(const std::filesystem::path& dir);

// The same from already parsed JSON (for tests); `where` names the folder in errors.
Config parse_config(const nlohmann::json& config, const nlohmann::json& preprocessor, const std::string& where);

// A short canonical text of the preprocessing and prompt settings, for fingerprints.
std::string describe_settings(const Config& config);

}  // namespace patchwise::models::qwen2vl
