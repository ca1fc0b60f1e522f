#include "models/idefics3/model.h"

#include <cmath>
#include <string>

#include "core/error.h"
#include "models/checkpoint/checkpoint.h"

namespace patchwise::models::idefics3 {
namespace {

using torch::indexing::Slice;

using transformer::append;
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
  vision_tower_ = std::make_unique<siglip::SiglipTower>(
      load, "model.vision_model.", config.vision, full_tile_position_ids(config.vision.patches_per_side()));

  const auto& t = config.text;
  modality_projection_ = load.linear("model.connector.modality_projection.proj", t.hidden, config.connector_in(), false);
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

torch::Tensor Model::connector(const torch::Tensor& hidden) const {
  const auto n = hidden.size(0);
  const auto seq = hidden.size(1);
  const auto d = hidden.size(2);
  const std::int64_t s = config_.scale_factor;
  const std::int64_t side = config_.vision.patches_per_side();
  auto x = hidden.view({n, side, side, d});
  x = x.view({n, side, side / s, d * s}).permute({0, 2, 1, 3});
  x = x.reshape({n, side / s, side / s, d * s * s}).permute({0, 2, 1, 3});
  x = x.reshape({n, seq / (s * s), d * s * s});
  return modality_projection_(x);
}

torch::Tensor Model::image_features(const torch::Tensor& tiles, int chunk, Trace* trace) const {
  const int m = config_.vision.image_size;
  if (tiles.dim() != 4 || tiles.size(1) != 3 || tiles.size(2) != m || tiles.size(3) != m) {
    throw Error("ColIdefics3: tiles must be [n, 3, " + std::to_string(m) + ", " + std::to_string(m) + "]");
  }
  std::vector<torch::Tensor> parts;
  for (std::int64_t begin = 0; begin < tiles.size(0); begin += std::max(chunk, 1)) {
    const auto end = std::min<std::int64_t>(begin + std::max(chunk, 1), tiles.size(0));
    const auto out = connector(vision_tower_->forward(tiles.index({Slice(begin, end)}), trace));
    append(trace, "connector_out", out);
    parts.push_back(out);
  }
  return torch::cat(parts);
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
