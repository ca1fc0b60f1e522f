// Real-size cost of the ColQwen2.5 encoder: a random-weight checkpoint with ColQwen2.5-3B's
// architecture (Qwen2.5-VL-3B: 32-block vision transformer with window attention and full
// attention in blocks 7/15/23/31, 2x2 patch merger to 2048, Qwen2 decoder of 36 layers;
// shared/docs/models.md §4; generated here, never committed) encodes one letter-size page
// (1275 x 1650 px at 150 dpi; smart resize with max_pixels 602112 -> 672 x 868, 744 image tokens).
//
//   colqwen_cost_bench make DIR           writes the checkpoint (bf16, ~7.5 GB, in shards)
//   colqwen_cost_bench run DIR f32|bf16 [threads=2] [repeats=1]
//                                         loads it, encodes the page, prints s/page and peak RSS
// Run `make` and each `run` as separate processes so each peak RSS is the encoder's own.
// The tokenizer files are the tiny fixture's (its special-token ids, all < 512, are what the
// config names), which changes no cost: the embedding table has Qwen2.5's 151936 rows.
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include <nlohmann/json.hpp>
#include <torch/torch.h>

#include "models/bench_support.h"
#include "models/qwen2vl/colqwen2_encoder.h"

namespace fs = std::filesystem;
using namespace patchwise;
using nlohmann::json;

namespace {

constexpr int kVisionHidden = 1280, kVisionMlp = 3420, kVisionDepth = 32, kMergedIn = 4 * kVisionHidden;
constexpr int kHidden = 2048, kMlp = 11008, kLayers = 36, kKvDim = 2 * 128, kVocab = 151936;
constexpr int kMaxPixels = 768 * 28 * 28, kMinPixels = 4 * 28 * 28;

json read_fixture_json(const std::string& name) {
  std::ifstream in(fs::path(PATCHWISE_FIXTURE_DIR) / name);
  return json::parse(in);
}

// The fixture's config (its token ids) with every size set to ColQwen2.5-3B's.
json colqwen_config() {
  json c = read_fixture_json("config.json");
  c.update({{"hidden_size", kHidden}, {"intermediate_size", kMlp}, {"num_hidden_layers", kLayers},
            {"num_attention_heads", 16}, {"num_key_value_heads", 2}, {"vocab_size", kVocab},
            {"max_window_layers", kLayers}, {"max_position_embeddings", 128000}});
  c["rope_scaling"]["mrope_section"] = {16, 24, 24};
  c["vision_config"].update({{"depth", kVisionDepth}, {"hidden_size", kVisionHidden},
                             {"intermediate_size", kVisionMlp}, {"num_heads", 16}, {"out_hidden_size", kHidden},
                             {"patch_size", 14}, {"spatial_patch_size", 14}, {"window_size", 112},
                             {"fullatt_block_indexes", {7, 15, 23, 31}}});
  return c;
}

void write_processor_files(const fs::path& dir) {
  json pre = read_fixture_json("preprocessor_config.json");
  pre.update({{"patch_size", 14}, {"max_pixels", kMaxPixels}, {"min_pixels", kMinPixels},
              {"size", {{"longest_edge", kMaxPixels}, {"shortest_edge", kMinPixels}}}});
  models::bench::write_json(dir / "preprocessor_config.json", pre);
  for (const char* f : {"tokenizer.json", "tokenizer_config.json", "special_tokens_map.json", "vocab.json",
                        "merges.txt"}) {
    fs::copy_file(fs::path(PATCHWISE_FIXTURE_DIR) / f, dir / f, fs::copy_options::overwrite_existing);
  }
}

void add_vision_tower(models::bench::ShardedWriter& w) {
  w.add("visual.patch_embed.proj.weight", {kVisionHidden, 3, 2, 14, 14});
  for (int i = 0; i < kVisionDepth; ++i) {
    const std::string p = "visual.blocks." + std::to_string(i) + ".";
    w.add(p + "norm1.weight", {kVisionHidden});
    w.add(p + "norm2.weight", {kVisionHidden});
    w.add(p + "attn.qkv.weight", {3 * kVisionHidden, kVisionHidden});
    w.add(p + "attn.qkv.bias", {3 * kVisionHidden});
    w.add(p + "attn.proj.weight", {kVisionHidden, kVisionHidden});
    w.add(p + "attn.proj.bias", {kVisionHidden});
    for (const char* n : {"gate_proj", "up_proj"}) {
      w.add(p + "mlp." + n + ".weight", {kVisionMlp, kVisionHidden});
      w.add(p + "mlp." + n + ".bias", {kVisionMlp});
    }
    w.add(p + "mlp.down_proj.weight", {kVisionHidden, kVisionMlp});
    w.add(p + "mlp.down_proj.bias", {kVisionHidden});
  }
  w.add("visual.merger.ln_q.weight", {kVisionHidden});
  w.add("visual.merger.mlp.0.weight", {kMergedIn, kMergedIn});
  w.add("visual.merger.mlp.0.bias", {kMergedIn});
  w.add("visual.merger.mlp.2.weight", {kHidden, kMergedIn});
  w.add("visual.merger.mlp.2.bias", {kHidden});
  w.flush();
}

void add_decoder(models::bench::ShardedWriter& w) {
  w.add("model.embed_tokens.weight", {kVocab, kHidden});
  w.flush();
  for (int i = 0; i < kLayers; ++i) {
    const std::string p = "model.layers." + std::to_string(i) + ".";
    w.add(p + "self_attn.q_proj.weight", {kHidden, kHidden});
    w.add(p + "self_attn.q_proj.bias", {kHidden});
    for (const char* n : {"k_proj", "v_proj"}) {
      w.add(p + "self_attn." + n + ".weight", {kKvDim, kHidden});
      w.add(p + "self_attn." + n + ".bias", {kKvDim});
    }
    w.add(p + "self_attn.o_proj.weight", {kHidden, kHidden});
    w.add(p + "mlp.gate_proj.weight", {kMlp, kHidden});
    w.add(p + "mlp.up_proj.weight", {kMlp, kHidden});
    w.add(p + "mlp.down_proj.weight", {kHidden, kMlp});
    w.add(p + "input_layernorm.weight", {kHidden});
    w.add(p + "post_attention_layernorm.weight", {kHidden});
    if (i % 4 == 3) w.flush();
  }
  w.add("model.norm.weight", {kHidden});
  w.add("custom_text_proj.weight", {128, kHidden});
  w.add("custom_text_proj.bias", {128});
}

void make_checkpoint(const fs::path& dir) {
  fs::create_directories(dir);
  models::bench::write_json(dir / "config.json", colqwen_config());
  write_processor_files(dir);
  models::bench::ShardedWriter w(dir);
  add_vision_tower(w);
  add_decoder(w);
  w.finish();
}

}  // namespace

int main(int argc, char** argv) {
  // No Python reference time is given for this model: no ratio.
  using models::qwen2vl::ColQwen2Encoder;
  using models::qwen2vl::EncoderOptions;
  return models::bench::encoder_bench_main<ColQwen2Encoder, EncoderOptions>(argc, argv, make_checkpoint, 0, 0, 1);
}
