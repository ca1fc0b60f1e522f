// Real-size cost of the ColPali encoder: a random-weight checkpoint with ColPali-3B's
// architecture (PaliGemma-3B-448: SigLIP So400m/14 at 448 px, Gemma-2B; shared/docs/models.md
// §3.1-3.2; generated here, never committed) encodes one letter-size page (1275 x 1650 px at
// 150 dpi, squashed to 448 x 448 -> 1024 image tokens + 7 prompt tokens = 1031 vectors).
//
//   colpali_cost_bench make DIR           writes the checkpoint (bf16, ~5.9 GB, one shard per
//                                         group of layers so memory stays low while writing)
//   colpali_cost_bench run DIR f32|bf16 [threads=2] [repeats=1]
//                                         loads it, encodes the page, prints s/page and peak RSS
// Run `make` and each `run` as separate processes so each peak RSS is the encoder's own.
// The tokenizer files are the tiny fixture's with <image> at id 257152 added (ids < 520 for
// the prompt text), which changes no cost: the embedding table has PaliGemma's 257216 rows.
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include <nlohmann/json.hpp>
#include <torch/torch.h>

#include "models/colpali/colpali_encoder.h"
#include "models/bench_support.h"

namespace fs = std::filesystem;
using namespace patchwise;
using nlohmann::json;
using patchwise::models::bench::write_json;

namespace {

constexpr int kImageToken = 257152;
constexpr int kVocab = 257216;

json colpali_config() {
  return {
      {"architectures", {"ColPali"}},
      {"model_type", "paligemma"},
      {"image_token_index", kImageToken},
      {"hidden_size", 2048},
      {"projection_dim", 2048},
      {"pad_token_id", 0},
      {"vision_config",
       {{"hidden_size", 1152}, {"num_hidden_layers", 27}, {"num_attention_heads", 16}, {"intermediate_size", 4304},
        {"patch_size", 14}, {"image_size", 448}, {"num_image_tokens", 1024}, {"model_type", "siglip_vision_model"},
        {"projection_dim", 2048}, {"vision_use_head", false}}},
      {"text_config",
       {{"hidden_size", 2048}, {"num_hidden_layers", 18}, {"num_attention_heads", 8}, {"num_key_value_heads", 1},
        {"intermediate_size", 16384}, {"model_type", "gemma"}, {"num_image_tokens", 1024}, {"vocab_size", kVocab}}},
  };
}

// The fixture's tokenizer with <image> moved to PaliGemma's id.
void write_tokenizer(const fs::path& dir) {
  const fs::path fixture = PATCHWISE_FIXTURE_DIR;
  std::ifstream in(fixture / "tokenizer.json");
  json tok = json::parse(in);
  for (auto& t : tok["added_tokens"]) {
    if (t["content"] == "<image>") t["id"] = kImageToken;
  }
  models::bench::write_json(dir / "tokenizer.json", tok);
  fs::copy_file(fixture / "preprocessor_config.json", dir / "preprocessor_config.json",
                fs::copy_options::overwrite_existing);
  std::ifstream pre_in(dir / "preprocessor_config.json");
  json pre = json::parse(pre_in);
  pre["size"] = {{"height", 448}, {"width", 448}};
  pre["image_seq_length"] = 1024;
  models::bench::write_json(dir / "preprocessor_config.json", pre);
}

void make_checkpoint(const fs::path& dir) {
  fs::create_directories(dir);
  models::bench::write_json(dir / "config.json", colpali_config());
  write_tokenizer(dir);
  models::bench::ShardedWriter w(dir);
  const std::string vp = "model.vision_tower.vision_model.";
  const auto add = w.adder();
  models::bench::add_siglip_tower(add, vp, 1152, 27, 4304, 14, 1024);
  w.add("model.multi_modal_projector.linear.weight", {2048, 1152});
  w.add("model.multi_modal_projector.linear.bias", {2048});
  w.flush();
  const std::string tp = "model.language_model.model.";
  w.add(tp + "embed_tokens.weight", {kVocab, 2048});
  w.flush();
  for (int i = 0; i < 18; ++i) {
    const std::string p = tp + "layers." + std::to_string(i) + ".";
    models::bench::add_decoder_layer(add, p, 2048, 2048, 256, 16384);
    if (i % 3 == 2) w.flush();
  }
  w.add(tp + "norm.weight", {2048});
  w.add("custom_text_proj.weight", {128, 2048});
  w.add("custom_text_proj.bias", {128});
  w.finish();
}

}  // namespace

int main(int argc, char** argv) {
  // No Python reference time is given for this model: no ratio.
  using models::colpali::ColPaliEncoder;
  using models::colpali::EncoderOptions;
  return models::bench::encoder_bench_main<ColPaliEncoder, EncoderOptions>(argc, argv, make_checkpoint, 0, 0, 1);
}
