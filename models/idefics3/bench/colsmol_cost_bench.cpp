// Real-size cost of the ColIdefics3 encoder: a random-weight checkpoint with colSmol-256M's
// architecture (shared/docs/models.md §2.1-2.2; generated here, never committed) encodes one
// letter-size page rendered at 150 dpi (1275 x 1650 px -> 17 tiles, 1155 vectors).
//
//   colsmol_cost_bench make DIR            writes the checkpoint (bf16 weights, ~0.5 GB)
//   colsmol_cost_bench run DIR f32|bf16 [threads=2] [repeats=2]
//                                          loads it, encodes the page, prints s/page and peak RSS
// Run `make` and each `run` as separate processes so each peak RSS is the encoder's own.
// The tokenizer files are the tiny fixture's (ids < 512; image_token_id set to its <image>),
// which changes no cost: the embedding table still has colSmol's 49280 rows.
// glibc serves the attention scratch (> 32 MB) with fresh mmaps, page-faulting on every
// layer; GLIBC_TUNABLES=glibc.malloc.mmap_max=0:glibc.malloc.trim_threshold=4294967295 cut
// system time from 36 s to 4 s per page here (measured 2026-11-25, shared 2-core machine).
#include <filesystem>
#include <string>

#include <nlohmann/json.hpp>
#include <torch/torch.h>

#include "models/bench_support.h"
#include "models/idefics3/colidefics3_encoder.h"

namespace fs = std::filesystem;
using namespace patchwise;
namespace bench = patchwise::models::bench;

namespace {

nlohmann::json colsmol_config() {
  return {
      {"architectures", {"ColIdefics3"}},
      {"model_type", "idefics3"},
      {"image_token_id", 473},
      {"pad_token_id", 2},
      {"scale_factor", 4},
      {"tie_word_embeddings", false},
      {"vision_config",
       {{"hidden_size", 768}, {"num_hidden_layers", 12}, {"num_attention_heads", 12}, {"intermediate_size", 3072},
        {"patch_size", 16}, {"image_size", 512}, {"layer_norm_eps", 1e-6}, {"hidden_act", "gelu_pytorch_tanh"},
        {"max_image_size", {{"longest_edge", 512}}}, {"size", {{"longest_edge", 2048}}}}},
      {"text_config",
       {{"hidden_size", 576}, {"num_hidden_layers", 30}, {"num_attention_heads", 9}, {"num_key_value_heads", 3},
        {"head_dim", 64}, {"intermediate_size", 1536}, {"rms_norm_eps", 1e-5}, {"rope_theta", 100000.0},
        {"vocab_size", 49280}, {"hidden_act", "silu"}, {"model_type", "llama"}}},
  };
}

void make_checkpoint(const fs::path& dir) {
  bench::write_idefics3_checkpoint_files(dir, colsmol_config(), PATCHWISE_FIXTURE_TOKENIZER_DIR);
  bench::ShardedWriter w(dir);
  bench::add_siglip_tower(w.adder(), "model.vision_model.", 768, 12, 3072, 16, 1024);
  w.add("model.connector.modality_projection.proj.weight", {576, 12288});
  w.add("model.text_model.embed_tokens.weight", {49280, 576});
  for (int i = 0; i < 30; ++i) {
    bench::add_decoder_layer(w.adder(), "model.text_model.layers." + std::to_string(i) + ".", 576, 576, 192, 1536);
  }
  w.add("model.text_model.norm.weight", {576});
  w.add("linear.weight", {128, 576});
  w.add("linear.bias", {128});
  w.finish();
}

}  // namespace

int main(int argc, char** argv) {
  // The Python reference's seconds per page on the machine (float32, bf16): issue #4.
  using models::idefics3::ColIdefics3Encoder;
  return bench::encoder_bench_main<ColIdefics3Encoder, models::idefics3::EncoderOptions>(argc, argv, make_checkpoint,
                                                                                         28.9, 20.3, 2);
}
