#include "models/qwen2vl/qwen2vl_config.h"

#include <numeric>
#include <sstream>

#include "core/error.h"
#include "models/checkpoint/checkpoint.h"
#include "models/common/config_fields.h"
#include "models/common/prompt_overrides.h"

namespace patchwise::models::qwen2vl {
namespace fs = std::filesystem;
namespace {

using nlohmann::json;

VisionConfig parse_vision(const ConfigFields& f, Variant variant, int text_hidden) {
  VisionConfig v;
  v.layers = f.positive_int("depth");
  v.heads = f.positive_int("num_heads");
  v.patch = f.positive_int("patch_size");
  v.temporal_patch = f.positive_int_or("temporal_patch_size", 2);
  v.merge = f.positive_int_or("spatial_merge_size", 2);
  v.in_channels = f.positive_int_or("in_channels", f.positive_int_or("in_chans", 3));
  if (variant == Variant::qwen2_vl) {
    v.hidden = f.positive_int("embed_dim");
    v.intermediate = v.hidden * f.positive_int_or("mlp_ratio", 4);
    v.out_hidden = f.positive_int_or("hidden_size", text_hidden);
    if (f.string_or("hidden_act", "quick_gelu") != "quick_gelu") {
      throw Error(f.where() + ": only hidden_act \"quick_gelu\" is supported for Qwen2-VL vision");
    }
  } else {
    v.hidden = f.positive_int("hidden_size");
    v.intermediate = f.positive_int("intermediate_size");
    v.out_hidden = f.positive_int_or("out_hidden_size", text_hidden);
    v.window_size = f.positive_int("window_size");
    v.full_attention_blocks = f.int_list_or("fullatt_block_indexes", {});
    if (f.string_or("hidden_act", "silu") != "silu") {
      throw Error(f.where() + ": only hidden_act \"silu\" is supported for Qwen2.5-VL vision");
    }
    if (v.window_merged() < 1 || v.window_size % (v.merge * v.patch) != 0) {
      throw Error(f.where() + ": window_size " + std::to_string(v.window_size) + " is not a multiple of " +
                  std::to_string(v.merge * v.patch) + " (spatial_merge_size * patch_size)");
    }
  }
  if (v.hidden % v.heads != 0 || v.head_dim() % 4 != 0) {
    throw Error(f.where() + ": the vision head size must be a multiple of 4 (2-D rotary)");
  }
  if (v.out_hidden != text_hidden) {
    throw Error(f.where() + ": the merger output (" + std::to_string(v.out_hidden) +
                ") differs from the text hidden_size (" + std::to_string(text_hidden) + ")");
  }
  return v;
}

TextConfig parse_text(const ConfigFields& f) {
  TextConfig t;
  t.hidden = f.positive_int("hidden_size");
  t.layers = f.positive_int("num_hidden_layers");
  t.heads = f.positive_int("num_attention_heads");
  t.kv_heads = f.positive_int_or("num_key_value_heads", t.heads);
  t.head_dim = t.hidden / t.heads;
  t.intermediate = f.positive_int("intermediate_size");
  t.vocab = f.positive_int("vocab_size");
  t.rms_norm_eps = f.positive_number_or("rms_norm_eps", 1e-6);
  t.rope_theta = f.positive_number_or("rope_theta", 1000000.0);
  if (t.hidden % t.heads != 0 || t.heads % t.kv_heads != 0) {
    throw Error(f.where() + ": hidden_size, num_attention_heads and num_key_value_heads do not divide evenly");
  }
  if (f.string_or("hidden_act", "silu") != "silu") throw Error(f.where() + ": only hidden_act \"silu\" is supported");
  if (f.bool_or("use_sliding_window", false)) throw Error(f.where() + ": use_sliding_window is not supported");
  const ConfigFields rope = f.object("rope_scaling");
  const std::string type = rope.string_or("rope_type", rope.string_or("type", "default"));
  if (type != "default" && type != "mrope") throw Error(rope.where() + ": rope type \"" + type + "\" is not supported");
  const auto section = rope.int_list_or("mrope_section", {});
  if (section.size() != 3 || std::accumulate(section.begin(), section.end(), 0) * 2 != t.head_dim) {
    throw Error(rope.where() + ": mrope_section must be 3 numbers adding up to head_dim / 2 = " +
                std::to_string(t.head_dim / 2));
  }
  t.mrope_section = {section[0], section[1], section[2]};
  return t;
}

PreprocessConfig parse_preprocess(const ConfigFields& f, const VisionConfig& vision) {
  PreprocessConfig p;
  const bool has_size = f.has("size");
  p.min_pixels = f.positive_int_or("min_pixels", has_size ? f.object("size").positive_int_or("shortest_edge", p.min_pixels)
                                                          : p.min_pixels);
  p.max_pixels = f.positive_int_or("max_pixels", has_size ? f.object("size").positive_int_or("longest_edge", p.max_pixels)
                                                          : p.max_pixels);
  p.patch = f.positive_int_or("patch_size", vision.patch);
  p.merge = f.positive_int_or("merge_size", vision.merge);
  p.temporal_patch = f.positive_int_or("temporal_patch_size", vision.temporal_patch);
  if (p.patch != vision.patch || p.merge != vision.merge || p.temporal_patch != vision.temporal_patch) {
    throw Error(f.where() + ": patch_size / merge_size / temporal_patch_size differ from config.json's vision_config");
  }
  if (p.min_pixels > p.max_pixels) throw Error(f.where() + ": min_pixels is larger than max_pixels");
  p.filter = vision::resample_filter_from_pillow(f.positive_int_or("resample", 3));
  if (!f.bool_or("do_resize", true)) throw Error(f.where() + ": do_resize false is not supported");
  f.read_rescale_and_normalize(p.rescale_factor, p.mean, p.std);
  return p;
}

Variant variant_of(const std::string& model_type, const std::string& where) {
  if (model_type == "qwen2_vl") return Variant::qwen2_vl;
  if (model_type == "qwen2_5_vl") return Variant::qwen2_5_vl;
  throw Error(where + ": model_type \"" + model_type + "\" is not a Qwen2-VL or Qwen2.5-VL backbone");
}

}  // namespace

std::string PromptConfig::default_query_suffix() {
  std::string s;
  for (int i = 0; i < 10; ++i) s += "<|endoftext|>";
  return s;
}

Config parse_config(const json& config, const json& preprocessor, const std::string& where) {
  const ConfigFields outer(config, where + "/config.json");
  Config c;
  // transformers' ColQwen2ForRetrieval wraps the backbone config in vlm_config.
  c.native_layout = outer.string_or("model_type", "") == "colqwen2";
  if (c.native_layout) c.projection_dim = outer.positive_int_or("embedding_dim", 128);
  const ConfigFields top = c.native_layout ? outer.object("vlm_config") : outer;
  c.variant = variant_of(top.string_or("model_type", ""), top.where());
  // Flat legacy format (text fields at the top level) or nested text_config.
  const ConfigFields text = top.has("text_config") ? top.object("text_config") : top;
  c.text = parse_text(text);
  c.vision = parse_vision(top.object("vision_config"), c.variant, c.text.hidden);
  c.image_token_id = top.has("image_token_id") ? top.positive_int("image_token_id") : text.positive_int("image_token_id");
  c.preprocess = parse_preprocess(ConfigFields(preprocessor, where + "/preprocessor_config.json"), c.vision);
  return c;
}

Config load_config(const fs::path& dir) {
  const json config = read_json_file(dir / "config.json");
  const json preprocessor =
      fs::exists(dir / "preprocessor_config.json") ? read_json_file(dir / "preprocessor_config.json") : json::object();
  Config c = parse_config(config, preprocessor, dir.string());
  apply_prompt_overrides(dir, c.prompts);
  return c;
}

std::string describe_settings(const Config& c) {
  const auto& p = c.preprocess;
  std::ostringstream s;
  s.precision(17);
  s << "colqwen preprocess v1: pillow resample " << static_cast<int>(p.filter) << " min_pixels " << p.min_pixels
    << " max_pixels " << p.max_pixels << " patch " << p.patch << " merge " << p.merge << " temporal "
    << p.temporal_patch << " rescale " << p.rescale_factor << " mean " << p.mean[0] << ',' << p.mean[1] << ','
    << p.mean[2] << " std " << p.std[0] << ',' << p.std[1] << ',' << p.std[2] << "\ndocument "
    << c.prompts.document_prompt << "\nplaceholder " << c.prompts.image_placeholder << "\nquery "
    << c.prompts.query_prefix << "{q}" << c.prompts.query_suffix;
  return s.str();
}

}  // namespace patchwise::models::qwen2vl
