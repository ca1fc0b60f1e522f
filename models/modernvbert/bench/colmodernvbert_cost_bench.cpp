// Real-size cost of the ColModernVBERT encoder: a random-weight checkpoint with
// ModernVBERT/colmodernvbert's architecture (shared/docs/models.md §5.1-5.2: SigLIP2-base
// 512/16 tower, pixel shuffle 4, ettin-encoder-150m ModernBERT, 128-d head; generated here,
// never committed) encodes one letter-size page rendered at 150 dpi (1275 x 1650 px).
//
//   colmodernvbert_cost_bench make DIR      writes the checkpoint (bf16 weights, ~0.5 GB)
//   colmodernvbert_cost_bench run DIR f32|bf16 [threads=2] [repeats=2]
//
// The backbone names resolve to the built-in presets (no backbone folders are written). The
// tokenizer files are the tiny fixture's (image_token_id set to its <image>, 551), which
// changes no cost: the embedding tables keep the real 50368 + 40 rows.
#include <filesystem>
#include <string>

#include <nlohmann/json.hpp>
#include <torch/torch.h>

#include "models/bench_support.h"
#include "models/modernvbert/colmodernvbert_encoder.h"

namespace fs = std::filesystem;
using namespace patchwise;
namespace bench = patchwise::models::bench;

namespace {

constexpr int kHidden = 768;
constexpr int kLayers = 22;
constexpr int kIntermediate = 1152;
constexpr int kVocab = 50368;
constexpr int kAdditional = 40;

nlohmann::json colmodernvbert_config() {
  return {
      {"architectures", {"ColModernVBert"}},
      {"model_type", "modernvbert"},
      {"additional_vocab_size", kAdditional},
      {"hidden_size", kHidden},
      {"image_token_id", 551},
      {"pixel_shuffle_factor", 4},
      {"scale_factor", 4},
      {"vision_config",
       {{"vision_model_name", "google/siglip2-base-patch16-512"}, {"embed_dim", 768}, {"image_size", 512},
        {"patch_size", 16}, {"num_hidden_layers", 12}, {"intermediate_size", 3072}}},
      {"text_config",
       {{"text_model_name", "jhu-clsp/ettin-encoder-150m"}, {"hidden_size", kHidden}, {"num_hidden_layers", kLayers},
        {"intermediate_size", kIntermediate}, {"mlp_bias", false}, {"vocab_size", kVocab},
        {"num_attention_heads", 12}}},
  };
}

void make_checkpoint(const fs::path& dir) {
  bench::write_idefics3_checkpoint_files(dir, colmodernvbert_config(), PATCHWISE_FIXTURE_TOKENIZER_DIR);
  bench::ShardedWriter w(dir);
  bench::add_siglip_tower(w.adder(), "model.vision_model.", 768, 12, 3072, 16, 1024);
  w.add("model.connector.modality_projection.proj.weight", {kHidden, 768 * 16});
  const std::string tp = "model.text_model.";
  w.add(tp + "embeddings.tok_embeddings.weight", {kVocab, kHidden});
  w.add(tp + "embeddings.tok_embeddings.additional_embedding.weight", {kAdditional, kHidden});
  w.add(tp + "embeddings.norm.weight", {kHidden});
  for (int i = 0; i < kLayers; ++i) {
    const std::string p = tp + "layers." + std::to_string(i) + ".";
    if (i != 0) w.add(p + "attn_norm.weight", {kHidden});
    w.add(p + "attn.Wqkv.weight", {3 * kHidden, kHidden});
    w.add(p + "attn.Wo.weight", {kHidden, kHidden});
    w.add(p + "mlp_norm.weight", {kHidden});
    w.add(p + "mlp.Wi.weight", {2 * kIntermediate, kHidden});
    w.add(p + "mlp.Wo.weight", {kHidden, kIntermediate});
  }
  w.add(tp + "final_norm.weight", {kHidden});
  w.add("custom_text_proj.weight", {128, kHidden});
  w.add("custom_text_proj.bias", {128});
  w.finish();
}

}  // namespace

int main(int argc, char** argv) {
  // The Python reference's seconds per page on the machine (float32, bf16): issue #9.
  using models::modernvbert::ColModernVBertEncoder;
  using models::modernvbert::EncoderOptions;
  return bench::encoder_bench_main<ColModernVBertEncoder, EncoderOptions>(argc, argv, make_checkpoint, 31.8, 20.3, 2);
}
