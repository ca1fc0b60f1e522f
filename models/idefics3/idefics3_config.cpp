#include "models/idefics3/idefics3_config.h"

#include <cmath>
#include <sstream>

#include "core/error.h"
#include "models/checkpoint/checkpoint.h"
#include "models/common/config_fields.h"
#include "models/common/prompt_overrides.h"

namespace patchwise::models::idefics3 {
namespace fs = std::filesystem;
namespace {

using nlohmann::json;

json read_json(const fs::path& file) { return read_json_file(file); }

}  // namespace

using Fields = ConfigFields;

PreprocessConfig parse_preprocess(const Fields& f, const Fields& vision) {
  PreprocessConfig p;
  p.longest_edge = f.has("size") ? f.object("size").positive_int("longest_edge")
                                 : vision.object("size").positive_int("longest_edge");
  p.tile_size = f.has("max_image_size") ? f.object("max_image_size").positive_int("longest_edge")
                                        : vision.positive_int("image_size");
  p.split_image = f.bool_or("do_image_splitting", true);
  p.filter = vision::resample_filter_from_pillow(f.positive_int_or("resample", 1));
  if (!f.bool_or("do_resize", true)) throw Error(f.where() + ": do_resize false is not supported");
  f.read_rescale_and_normalize(p.rescale_factor, p.mean, p.std);
  return p;
}

std::string PromptConfig::default_query_suffix() {
  std::string s;
  for (int i = 0; i < 10; ++i) s += "<end_of_utterance>";
  return s;
}

Config parse_config(const json& config, const json& preprocessor, const json& processor, const std::string& where) {
  const Fields top(config, where + "/config.json");
  const Fields vision = top.object("vision_config");
  Config c;
  c.vision = siglip::parse_siglip_config(vision);
  c.text = transformer::parse_decoder_config(top.object("text_config"), "silu");
  c.scale_factor = top.positive_int("scale_factor");
  c.image_token_id = top.positive_int("image_token_id");
  c.preprocess = parse_preprocess(Fields(preprocessor, where + "/preprocessor_config.json"), vision);
  if (c.preprocess.tile_size != c.vision.image_size) {
    throw Error(where + ": preprocessor max_image_size.longest_edge (" + std::to_string(c.preprocess.tile_size) +
                ") differs from vision_config.image_size (" + std::to_string(c.vision.image_size) + ")");
  }
  const int side = c.vision.patches_per_side();
  if (side % c.scale_factor != 0) {
    throw Error(where + "/config.json: scale_factor " + std::to_string(c.scale_factor) +
                " does not divide the " + std::to_string(side) + " patches per side");
  }
  const int per_tile = side * side / (c.scale_factor * c.scale_factor);
  c.image_seq_len = Fields(processor, where + "/processor_config.json").positive_int_or("image_seq_len", per_tile);
  if (c.image_seq_len != per_tile) {
    throw Error(where + "/processor_config.json: image_seq_len " + std::to_string(c.image_seq_len) +
                " differs from the " + std::to_string(per_tile) + " image features per tile the model produces");
  }
  return c;
}

Config load_config(const fs::path& dir) {
  const json config = read_json(dir / "config.json");
  const json preprocessor = fs::exists(dir / "preprocessor_config.json") ? read_json(dir / "preprocessor_config.json")
                                                                          : json::object();
  const json processor = fs::exists(dir / "processor_config.json") ? read_json(dir / "processor_config.json")
                                                                   : json::object();
  Config c = parse_config(config, preprocessor, processor, dir.string());
  apply_prompt_overrides(dir, c.prompts);
  return c;
}

std::string describe_settings(const Config& c) {
  return describe_settings("colidefics3", c.preprocess, c.prompts, c.image_seq_len);
}

std::string describe_settings(const std::string& family, const PreprocessConfig& p, const PromptConfig& prompts,
                              int image_seq_len) {
  std::ostringstream s;
  s.precision(17);
  s << family << " preprocess v1: pillow resample " << static_cast<int>(p.filter) << " longest_edge "
    << p.longest_edge << " tile " << p.tile_size << " split " << p.split_image << " rescale "
    << p.rescale_factor << " mean " << p.mean[0] << ',' << p.mean[1] << ',' << p.mean[2] << " std " << p.std[0]
    << ',' << p.std[1] << ',' << p.std[2] << " seq " << image_seq_len << "\ndocument " << prompts.document_prompt
    << "\nplaceholder " << prompts.image_placeholder << "\nquery " << prompts.query_prefix << "{q}"
    << prompts.query_suffix;
  return s.str();
}

}  // namespace patchwise::models::idefics3
