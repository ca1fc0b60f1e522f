#include "models/idefics3/model.h"

#include <cmath>
#include <string>

#include "core/error.h"
#include "models/checkpoint/checkpoint.h"

namespace patchwise::models::idefics3 {
namespace {

using torch::indexing::Slice;

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
    : config_(config), dtype_(dtype) {
  if (dtype != torch::kFloat32 && dtype != torch::kBFloat16) {
    throw Error("ColIdefics3 runs in float32 or bfloat16 only");
  }
  const WeightLoader load(checkpoint, dtype);
  const auto& v = config.vision;
  const std::string vp = "model.vision_model.";
  patch_weight_ = load.get(vp + "embeddings.patch_embedding.weight", {v.hidden, 3, v.patch, v.patch});
  patch_bias_ = load.get(vp + "embeddings.patch_embedding.bias", {v.hidden});
  const int positions = v.patches_per_side() * v.patches_per_side();
  position_embedding_ = load.get(vp + "embeddings.position_embedding.weight", {positions, v.hidden});
  position_ids_ = full_tile_position_ids(v.patches_per_side());
  for (int i = 0; i < v.layers; ++i) {
    const std::string p = vp + "encoder.layers." + std::to_string(i) + ".";
    vision_layers_.push_back({load.norm(p + "layer_norm1", v.hidden, true), load.norm(p + "layer_norm2", v.hidden, true),
                              load.linear(p + "self_attn.q_proj", v.hidden, v.hidden, true),
                              load.linear(p + "self_attn.k_proj", v.hidden, v.hidden, true),
                              load.linear(p + "self_attn.v_proj", v.hidden, v.hidden, true),
                              load.linear(p + "self_attn.out_proj", v.hidden, v.hidden, true),
                              load.linear(p + "mlp.fc1", v.intermediate, v.hidden, true),
                              load.linear(p + "mlp.fc2", v.hidden, v.intermediate, true)});
  }
  post_layernorm_ = load.norm(vp + "post_layernorm", v.hidden, true);

  const auto& t = config.text;
  modality_projection_ = load.linear("model.connector.modality_projection.proj", t.hidden, config.connector_in(), false);
  const std::string tp = "model.text_model.";
  embed_tokens_ = load.get(tp + "embed_tokens.weight", {t.vocab, t.hidden});
  text_shape_ = {t.hidden, t.heads, t.kv_heads, t.head_dim, t.intermediate, t.rms_norm_eps};
  for (int i = 0; i < t.layers; ++i) {
    text_layers_.push_back(load_decoder_layer(load, tp + "layers." + std::to_string(i) + ".", text_shape_, false));
  }
  final_norm_ = load.norm(tp + "norm", t.hidden, false);
  const auto head_shape = checkpoint.shape("linear.weight");
  if (head_shape.size() != 2 || head_shape[1] != t.hidden) {
    throw Error(checkpoint.dir().string() + ": tensor linear.weight should be [dim, " + std::to_string(t.hidden) + "]");
  }
  config_.projection_dim = static_cast<int>(head_shape[0]);
  head_ = load.linear("linear", head_shape[0], t.hidden, true);
}

torch::Tensor Model::vision_attention(const VisionLayer& layer, const torch::Tensor& x) const {
  const auto n = x.size(0);
  const auto len = x.size(1);
  const int heads = config_.vision.heads;
  const int head_dim = config_.vision.hidden / heads;
  auto split = [&](const torch::Tensor& t) { return t.view({n, len, heads, head_dim}).transpose(1, 2); };
  const auto q = split(layer.q(x));
  const auto k = split(layer.k(x));
  const auto v = split(layer.v(x));
  const auto out = attention(q, k, v).transpose(1, 2).reshape({n, len, heads * head_dim});
  return layer.out(out);
}

torch::Tensor Model::vision_tower(const torch::Tensor& tiles, Trace* trace) const {
  const auto& v = config_.vision;
  auto x = torch::conv2d(tiles.to(dtype_), patch_weight_, patch_bias_, v.patch);
  x = x.flatten(2).transpose(1, 2);
  x = x + position_embedding_.index_select(0, position_ids_).unsqueeze(0);
  trace_append(trace, "vision_embeddings", x);
  for (std::size_t i = 0; i < vision_layers_.size(); ++i) {
    const auto& layer = vision_layers_[i];
    x = x + vision_attention(layer, layer_norm(layer.norm1, x, v.layer_norm_eps, dtype_));
    x = x + layer.fc2(torch::gelu(layer.fc1(layer_norm(layer.norm2, x, v.layer_norm_eps, dtype_)), "tanh"));
    if (i == 0) trace_append(trace, "vision_layer0_out", x);
  }
  x = layer_norm(post_layernorm_, x, v.layer_norm_eps, dtype_);
  trace_append(trace, "vision_last_hidden_state", x);
  return x;
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
    const auto out = connector(vision_tower(tiles.index({Slice(begin, end)}), trace));
    trace_append(trace, "connector_out", out);
    parts.push_back(out);
  }
  return torch::cat(parts);
}

torch::Tensor Model::merge_inputs(const torch::Tensor& input_ids, const torch::Tensor& features) const {
  auto embeds = torch::embedding(embed_tokens_, input_ids);
  const auto is_image = input_ids == config_.image_token_id;
  const auto slots = is_image.sum().item<std::int64_t>();
  const auto rows = features.reshape({-1, features.size(-1)});
  if (slots != rows.size(0)) {
    throw Error("ColIdefics3: the prompt has " + std::to_string(slots) + " image tokens but the images gave " +
                std::to_string(rows.size(0)) + " features");
  }
  if (slots > 0) embeds.index_put_({is_image}, rows.to(embeds.scalar_type()));
  return embeds;
}

torch::Tensor Model::embed_sequence(const torch::Tensor& inputs_embeds, const torch::Tensor& attention_mask,
                                    Trace* trace) const {
  const auto& t = config_.text;
  const auto len = inputs_embeds.size(1);
  auto x = inputs_embeds.to(dtype_);
  trace_record(trace, "text_inputs_embeds", x);

  // Rotary tables for positions 0..len-1 (the reference ignores left padding here).
  const auto freqs = torch::arange(len, torch::kFloat32).unsqueeze(1) * rope_inv_freq(t.rope_theta, t.head_dim).unsqueeze(0);
  const auto angles = torch::cat({freqs, freqs}, -1);
  const auto cos = angles.cos().to(dtype_);
  const auto sin = angles.sin().to(dtype_);

  x = run_decoder(text_layers_, text_shape_, x, cos, sin, causal_padding_mask(attention_mask), dtype_, trace);
  x = rms_norm(final_norm_, x, t.rms_norm_eps, dtype_);
  trace_record(trace, "text_last_hidden_state", x);
  return retrieval_head(head_, x, attention_mask, trace);
}

}  // namespace patchwise::models::idefics3
