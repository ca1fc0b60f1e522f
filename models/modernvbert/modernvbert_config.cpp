#include "models/modernvbert/modernvbert_config.h"

#include <algorithm>

#include "core/error.h"
#include "models/checkpoint/checkpoint.h"
#include "models/common/config_fields.h"
#include "models/common/prompt_overrides.h"

namespace patchwise::models::modernvbert {
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

// The upstream configs the released ModernVBERT/colmodernvbert names (shared/docs/models.md
// §5.1), for machines that have neither the repos in the Hugging Face cache nor a copy beside
// the checkpoint. Only the fields the towers read. ettin's local_rope_theta is not confirmed
// from the file (ModernBERT's default is 10000); a cached or local copy of the repo's
// config.json takes precedence over this preset.
json preset(const std::string& name) {
  if (name == "google/siglip2-base-patch16-512") {
    return {{"model_type", "siglip"},
            {"vision_config",
             {{"hidden_size", 768}, {"num_hidden_layers", 12}, {"num_attention_heads", 12},
              {"intermediate_size", 3072}, {"patch_size", 16}, {"image_size", 512}, {"layer_norm_eps", 1e-6},
              {"hidden_act", "gelu_pytorch_tanh"}}}};
  }
  if (name == "jhu-clsp/ettin-encoder-150m") {
    return {{"model_type", "modernbert"},       {"hidden_size", 768},          {"num_hidden_layers", 22},
            {"num_attention_heads", 12},        {"intermediate_size", 1152},   {"vocab_size", 50368},
            {"norm_eps", 1e-5},                 {"norm_bias", false},          {"attention_bias", false},
            {"mlp_bias", false},                {"hidden_activation", "gelu"}, {"global_attn_every_n_layers", 3},
            {"local_attention", 128},           {"global_rope_theta", 160000.0},
            {"local_rope_theta", 160000.0},     {"pad_token_id", 50283}};
  }
  return nullptr;
}

// config.json repeats some backbone sizes; they must agree with the backbone when present.
void require_equal(const ConfigFields& repeated, const char* key, long long expected, const std::string& backbone) {
  if (!repeated.has(key)) return;
  const long long found = repeated.positive_int(key);
  if (found != expected) {
    throw Error(repeated.where() + ": \"" + key + "\" is " + std::to_string(found) + " but " + backbone + " has " +
                std::to_string(expected));
  }
}

void require_false(const ConfigFields& f, const char* key) {
  if (f.bool_or(key, false)) {
    throw Error(f.where() + ": \"" + key + "\" true is not supported (ModernBERT without biases)");
  }
}

VisionConfig parse_vision_backbone(const Backbone& b, const ConfigFields& repeated) {
  const ConfigFields top(b.config, b.source);
  const std::string type = top.string_or("model_type", "");
  if (type != "siglip" && type != "siglip_vision_model") {
    throw Error(b.source + ": model_type \"" + type + "\" is not a SigLIP vision tower");
  }
  const VisionConfig v = siglip::parse_siglip_config(type == "siglip" ? top.object("vision_config") : top);
  require_equal(repeated, "embed_dim", v.hidden, b.source);
  require_equal(repeated, "hidden_size", v.hidden, b.source);
  require_equal(repeated, "image_size", v.image_size, b.source);
  require_equal(repeated, "patch_size", v.patch, b.source);
  require_equal(repeated, "num_hidden_layers", v.layers, b.source);
  require_equal(repeated, "intermediate_size", v.intermediate, b.source);
  return v;
}

TextConfig parse_text_backbone(const Backbone& b, const ConfigFields& repeated) {
  const ConfigFields f(b.config, b.source);
  if (f.string_or("model_type", "") != "modernbert") throw Error(b.source + ": model_type is not \"modernbert\"");
  // hidden_activation "gelu" (exact erf GELU in the GeGLU MLP), no attention/MLP biases.
  TextConfig t;
  static_cast<transformer::DecoderConfig&>(t) = transformer::parse_decoder_config(f, "gelu");
  require_false(f, "norm_bias");
  if (t.kv_heads != t.heads || t.head_dim * t.heads != t.hidden) {
    throw Error(b.source + ": ModernBERT has head_dim = hidden_size / num_attention_heads and no grouped keys");
  }
  t.norm_eps = f.positive_number_or("norm_eps", 1e-5);
  t.global_every = f.positive_int_or("global_attn_every_n_layers", 1);
  t.local_attention = f.positive_int_or("local_attention", 128);
  t.global_rope_theta = f.positive_number_or("global_rope_theta", 160000.0);
  t.local_rope_theta = f.positive_number_or("local_rope_theta", 10000.0);
  t.pad_id = f.positive_int_or("pad_token_id", 0);
  require_equal(repeated, "hidden_size", t.hidden, b.source);
  require_equal(repeated, "num_hidden_layers", t.layers, b.source);
  require_equal(repeated, "num_attention_heads", t.heads, b.source);
  require_equal(repeated, "intermediate_size", t.intermediate, b.source);
  require_equal(repeated, "vocab_size", t.vocab, b.source);
  require_false(repeated, "mlp_bias");
  return t;
}

json read_optional(const fs::path& file) { return fs::exists(file) ? read_json_file(file) : json::object(); }

// image_seq_len from processor_config.json, checked against what one tile yields.
int image_seq_len(const Config& c, const json& processor, const std::string& where) {
  const int side = c.vision.patches_per_side();
  if (side % c.scale_factor != 0) {
    throw Error(where + "/config.json: pixel_shuffle_factor " + std::to_string(c.scale_factor) +
                " does not divide the " + std::to_string(side) + " patches per side");
  }
  const int per_tile = side * side / (c.scale_factor * c.scale_factor);
  const int len = ConfigFields(processor, where + "/processor_config.json").positive_int_or("image_seq_len", per_tile);
  if (len != per_tile) {
    throw Error(where + "/processor_config.json: image_seq_len " + std::to_string(len) + " differs from the " +
                std::to_string(per_tile) + " image features per tile the model produces");
  }
  return len;
}

}  // namespace

idefics3::PromptConfig Config::default_prompts() {
  idefics3::PromptConfig p;
  p.document_prompt = "<|begin_of_text|>User:<image>Describe the image.<end_of_utterance>\nAssistant:";
  p.query_prefix = "";
  return p;
}

Backbone resolve_backbone(const fs::path& dir, const std::string& name) {
  if (name.empty()) throw Error((dir / "config.json").string() + ": a backbone model name is empty");
  if (const fs::path local = dir / name / "config.json"; fs::exists(local)) {
    return {read_json_file(local), local.string()};
  }
  if (std::count(name.begin(), name.end(), '/') == 1) {
    if (const auto snapshot = find_in_hf_cache(name); snapshot && fs::exists(*snapshot / "config.json")) {
      return {read_json_file(*snapshot / "config.json"), (*snapshot / "config.json").string()};
    }
  }
  if (json p = preset(name); !p.is_null()) return {std::move(p), "built-in preset for " + name};
  throw Error((dir / "config.json").string() + " names the backbone \"" + name + "\", which is neither a folder in " +
              dir.string() + ", nor in the Hugging Face cache at " + default_hf_hub_cache().string() +
              ", nor a known preset (nothing is downloaded)");
}

Config parse_config(const json& config, const Backbone& vision, const Backbone& text, const json& preprocessor,
                    const json& processor, const std::string& where) {
  const ConfigFields top(config, where + "/config.json");
  Config c;
  c.vision = parse_vision_backbone(vision, top.object("vision_config"));
  c.text = parse_text_backbone(text, top.object("text_config"));
  c.vision_source = vision.source;
  c.text_source = text.source;
  require_equal(top, "hidden_size", c.text.hidden, text.source);
  c.text.additional_vocab = top.has("additional_vocab_size") ? top.positive_int("additional_vocab_size") : 0;
  c.scale_factor = top.has("pixel_shuffle_factor") ? top.positive_int("pixel_shuffle_factor")
                                                   : top.positive_int("scale_factor");
  require_equal(top, "scale_factor", c.scale_factor, "pixel_shuffle_factor");
  c.image_token_id = top.positive_int("image_token_id");
  if (c.image_token_id >= c.text.vocab + c.text.additional_vocab) {
    throw Error(where + "/config.json: image_token_id " + std::to_string(c.image_token_id) + " is past the " +
                std::to_string(c.text.vocab + c.text.additional_vocab) + " embedding rows");
  }
  if (c.text.pad_id >= c.text.vocab) c.text.pad_id = 0;

  // Engine defaults where preprocessor_config.json is silent (models.md §5.3).
  const json vision_defaults = {{"size", {{"longest_edge", 2048}}}, {"image_size", c.vision.image_size}};
  c.preprocess = idefics3::parse_preprocess(ConfigFields(preprocessor, where + "/preprocessor_config.json"),
                                            ConfigFields(vision_defaults, "ColModernVBERT defaults"));
  if (c.preprocess.tile_size != c.vision.image_size) {
    throw Error(where + ": preprocessor max_image_size.longest_edge (" + std::to_string(c.preprocess.tile_size) +
                ") differs from the vision tower's image_size (" + std::to_string(c.vision.image_size) + ")");
  }
  c.image_seq_len = image_seq_len(c, processor, where);
  return c;
}

Config load_config(const fs::path& dir) {
  const json config = read_json_file(dir / "config.json");
  const ConfigFields top(config, (dir / "config.json").string());
  const Backbone vision = resolve_backbone(dir, top.object("vision_config").string_or("vision_model_name", ""));
  const Backbone text = resolve_backbone(dir, top.object("text_config").string_or("text_model_name", ""));
  Config c = parse_config(config, vision, text, read_optional(dir / "preprocessor_config.json"),
                          read_optional(dir / "processor_config.json"), dir.string());
  apply_prompt_overrides(dir, c.prompts);
  return c;
}

std::string describe_settings(const Config& c) {
  return idefics3::describe_settings("colmodernvbert", c.preprocess, c.prompts, c.image_seq_len) +
         "\nspecial tokens: post-processor";
}

}  // namespace patchwise::models::modernvbert
