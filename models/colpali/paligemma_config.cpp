#include "models/colpali/paligemma_config.h"

#include <sstream>

#include "core/error.h"
#include "models/checkpoint/checkpoint.h"
#include "models/common/config_fields.h"
#include "models/common/prompt_overrides.h"

namespace patchwise::models::colpali {
namespace fs = std::filesystem;
namespace {

using nlohmann::json;

PreprocessConfig parse_preprocess(const ConfigFields& f, int image_size) {
  PreprocessConfig p;
  if (!f.bool_or("do_resize", true)) throw Error(f.where() + ": do_resize false is not supported");
  if (f.has("size")) {
    const ConfigFields size = f.object("size");
    p.width = size.positive_int("width");
    p.height = size.positive_int("height");
  } else {
    p.width = p.height = image_size;
  }
  if (p.width != image_size || p.height != image_size) {
    throw Error(f.where() + ": size " + std::to_string(p.width) + "x" + std::to_string(p.height) +
                " differs from the vision tower's image_size " + std::to_string(image_size));
  }
  p.filter = vision::resample_filter_from_pillow(f.positive_int_or("resample", 3));
  f.read_rescale_and_normalize(p.rescale_factor, p.mean, p.std);
  return p;
}

// The prompt keys only ColPali has; apply_prompt_overrides reads the four common ones.
void read_colpali_prompt_keys(const fs::path& file, PromptConfig& p) {
  const json j = read_json_file(file);
  const ConfigFields f(j, file.string());
  p.bos_after_image = f.bool_or("bos_after_image", p.bos_after_image);
  p.document_suffix = f.string_or("document_suffix", p.document_suffix);
}

}  // namespace

std::string PromptConfig::default_query_suffix() {
  std::string s;
  for (int i = 0; i < 10; ++i) s += "<pad>";
  return s;
}

Config parse_config(const json& config, const json& preprocessor, const std::string& where) {
  const ConfigFields top(config, where + "/config.json");
  Config c;
  const bool native = top.string_or("model_type", "") == "colpali";
  c.layout = native ? WeightLayout::transformers_native : WeightLayout::colpali_engine;
  const ConfigFields vlm = native ? top.object("vlm_config") : top;
  if (native) c.projection_dim = top.positive_int_or("embedding_dim", c.projection_dim);

  c.vision = siglip::parse_siglip_config(vlm.object("vision_config"));
  // PaliGemma configs may keep vocab_size at the top level only.
  const json& vlm_json = native ? config.at("vlm_config") : config;
  const std::string text_where = vlm.object("text_config").where();  // throws when absent or not an object
  json text = vlm_json.at("text_config");
  if (!text.contains("vocab_size") && vlm_json.contains("vocab_size")) {
    text["vocab_size"] = vlm_json["vocab_size"];
  }
  c.text = transformer::parse_decoder_config(ConfigFields(text, text_where), "gelu_pytorch_tanh");
  c.text.flavour = transformer::DecoderFlavour::gemma;
  const int projector_out = vlm.positive_int_or("projection_dim", c.text.hidden);
  if (projector_out != c.text.hidden) {
    throw Error(vlm.where() + ": projection_dim " + std::to_string(projector_out) +
                " differs from text_config.hidden_size " + std::to_string(c.text.hidden));
  }
  c.image_token_id = vlm.has("image_token_index") ? vlm.positive_int("image_token_index")
                                                  : vlm.positive_int("image_token_id");
  if (c.image_token_id >= c.text.vocab) {
    throw Error(vlm.where() + ": image token id " + std::to_string(c.image_token_id) + " is outside the vocabulary");
  }
  const int side = c.vision.patches_per_side();
  c.image_seq_len = side * side;

  const ConfigFields pre(preprocessor, where + "/preprocessor_config.json");
  c.preprocess = parse_preprocess(pre, c.vision.image_size);
  const int seq = pre.positive_int_or("image_seq_length", c.image_seq_len);
  if (seq != c.image_seq_len) {
    throw Error(pre.where() + ": image_seq_length " + std::to_string(seq) + " differs from the " +
                std::to_string(c.image_seq_len) + " patches the vision tower produces");
  }
  return c;
}

Config load_config(const fs::path& dir, const fs::path& base_dir) {
  // An adapter folder may carry its own processor files; config.json is the base model's.
  auto file = [&](const char* name) { return fs::exists(dir / name) ? dir / name : base_dir / name; };
  const json config = read_json_file(base_dir / "config.json");
  const fs::path pre = file("preprocessor_config.json");
  const json preprocessor = fs::exists(pre) ? read_json_file(pre) : json::object();
  Config c = parse_config(config, preprocessor, base_dir.string());
  const fs::path prompts_dir = fs::exists(dir / kPromptOverridesFile) ? dir : base_dir;
  apply_prompt_overrides(prompts_dir, c.prompts);
  if (const fs::path overrides = prompts_dir / kPromptOverridesFile; fs::exists(overrides)) {
    read_colpali_prompt_keys(overrides, c.prompts);
  }
  return c;
}

std::string describe_settings(const Config& c) {
  const auto& p = c.preprocess;
  const auto& q = c.prompts;
  std::ostringstream s;
  s.precision(17);
  s << "colpali preprocess v1: pillow resample " << static_cast<int>(p.filter) << " size " << p.width << 'x'
    << p.height << " rescale " << p.rescale_factor << " mean " << p.mean[0] << ',' << p.mean[1] << ',' << p.mean[2]
    << " std " << p.std[0] << ',' << p.std[1] << ',' << p.std[2] << " seq " << c.image_seq_len << "\ndocument "
    << q.document_prompt << "\nplaceholder " << q.image_placeholder << "\nbos_after_image " << q.bos_after_image
    << "\nsuffix " << q.document_suffix << "\nquery " << q.query_prefix << "{q}" << q.query_suffix;
  return s.str();
}

}  // namespace patchwise::models::colpali
