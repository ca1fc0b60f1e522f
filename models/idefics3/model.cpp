#include "models/idefics3/model.h"

#include <cmath>
#include <string>

#include "core/error.h"
#include "models/checkpoint/checkpoint.h"

namespace patchwise::models::idefics3 {
namespace {

using transformer::record;
using Loader = transformer::WeightLoader;

// Position ids of a fully valid tile, computed like Idefics3VisionEmbeddings (fractional
// coordinates bucketised against the boundaries 1/side .. (side-1)/side), in torch so the
// float32 arithmetic is the reference's.
torch::Tensor full_tile_position_ids(int side) {
  const auto boundaries = torch::arange(1.0 / side, 1.0, 1.0 / side, torch::kFloat32);
  const auto coords = torch::arange(0.0, 1.0 - 1e-6, 1.0 / side, torch::kFloat32);
  const auto buckets = torch::bucketize(coords, boundaries, /*out_int32=*/false, /*right=*/true);
  return (buckets.unsqueeze(1) * side + buckets.unsqueeze(0)).flatten();
}

}  // namespace

Model::Model(const Checkpoint& checkpoint, const Config& config, torch::ScalarType dtype)
    : config_(config), dtype_(transformer::precision_for(dtype).compute) {
  if (dtype != torch::kFloat32 && dtype != torch::kBFloat16) {
    throw Error("ColIdefics3 runs in float32 or bfloat16 only");
  }
  const Loader load(checkpoint, dtype);
  const auto& t = config.text;
  vision_ = std::make_unique<VisionConnector>(load, config.vision, config.scale_factor, t.hidden, "ColIdefics3",
                                              full_tile_position_ids(config.vision.patches_per_side()));
  const std::string tp = "model.text_model.";
  embed_tokens_ = load.get_table(tp + "embed_tokens.weight", {t.vocab, t.hidden});
  for (int i = 0; i < t.layers; ++i) {
    text_layers_.push_back(transformer::load_decoder_layer(load, tp + "layers." + std::to_string(i) + ".", t, false));
  }
  final_norm_ = load.norm(tp + "norm", t.hidden, false);
  const auto head_shape = checkpoint.shape("linear.weight");
  if (head_shape.size() != 2 || head_shape[1] != t.hidden) {
    throw Error(checkpoint.dir().string() + ": tensor linear.weight should be [dim, " + std::to_string(t.hidden) + "]");
  }
  config_.projection_dim = static_cast<int>(head_shape[0]);
  head_ = load.linear("linear", head_shape[0], t.hidden, true);
}

torch::Tensor Model::image_features(const torch::Tensor& tiles, int chunk, Trace* trace) const {
  return vision_->features(tiles, chunk, trace);
}

torch::Tensor Model::merge_inputs(const torch::Tensor& input_ids, const torch::Tensor& features) const {
  return transformer::merge_image_features(embed_tokens_, input_ids, config_.image_token_id, features, "ColIdefics3");
}

torch::Tensor Model::embed_sequence(const torch::Tensor& inputs_embeds, const torch::Tensor& attention_mask,
                                    Trace* trace) const {
  const auto& t = config_.text;
  const auto len = inputs_embeds.size(1);
  auto x = inputs_embeds.to(dtype_);
  record(trace, "text_inputs_embeds", x);

  // Rotary tables for positions 0..len-1 (the reference ignores left padding here).
  const auto [cos, sin] = transformer::rotary_tables(torch::arange(len, torch::kFloat32), t, dtype_);
  const auto mask = transformer::additive_attention_mask(attention_mask, /*causal=*/true);
  x = transformer::run_decoder(text_layers_, t, x, cos, sin, mask, dtype_, trace);
  x = transformer::decoder_norm(t, final_norm_, x, dtype_);
  record(trace, "text_last_hidden_state", x);
  return transformer::retrieval_head(head_, x, attention_mask, trace);
}

}  // namespace patchwise::models::idefics3
