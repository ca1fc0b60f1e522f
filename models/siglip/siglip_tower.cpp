#include "models/siglip/siglip_tower.h"

#include <cmath>

namespace patchwise::models::siglip {

using transformer::append;

SiglipTower::SiglipTower(const transformer::WeightLoader& load, const std::string& prefix, const SiglipConfig& config,
                         torch::Tensor position_ids)
    : config_(config), dtype_(load.dtype()) {
  const auto& c = config;
  const int positions = c.patches_per_side() * c.patches_per_side();
  patch_weight_ = load.get(prefix + "embeddings.patch_embedding.weight", {c.hidden, 3, c.patch, c.patch});
  patch_bias_ = load.get(prefix + "embeddings.patch_embedding.bias", {c.hidden});
  position_embedding_ = load.get(prefix + "embeddings.position_embedding.weight", {positions, c.hidden});
  position_ids_ = position_ids.defined() ? position_ids : torch::arange(positions, torch::kInt64);
  for (int i = 0; i < c.layers; ++i) {
    const std::string p = prefix + "encoder.layers." + std::to_string(i) + ".";
    layers_.push_back({load.norm(p + "layer_norm1", c.hidden, true), load.norm(p + "layer_norm2", c.hidden, true),
                       load.linear(p + "self_attn.q_proj", c.hidden, c.hidden, true),
                       load.linear(p + "self_attn.k_proj", c.hidden, c.hidden, true),
                       load.linear(p + "self_attn.v_proj", c.hidden, c.hidden, true),
                       load.linear(p + "self_attn.out_proj", c.hidden, c.hidden, true),
                       load.linear(p + "mlp.fc1", c.intermediate, c.hidden, true),
                       load.linear(p + "mlp.fc2", c.hidden, c.intermediate, true)});
  }
  post_layernorm_ = load.norm(prefix + "post_layernorm", c.hidden, true);
}

torch::Tensor SiglipTower::norm(const transformer::Norm& n, const torch::Tensor& x) const {
  return transformer::layer_norm(n, x, config_.layer_norm_eps, dtype_);
}

torch::Tensor SiglipTower::self_attention(const Layer& layer, const torch::Tensor& x) const {
  const auto n = x.size(0);
  const auto len = x.size(1);
  const int heads = config_.heads;
  const int head_dim = config_.hidden / heads;
  auto split = [&](const torch::Tensor& t) { return t.view({n, len, heads, head_dim}).transpose(1, 2); };
  const auto out = transformer::attention(split(layer.q(x)), split(layer.k(x)), split(layer.v(x)), {},
                                          std::pow(static_cast<double>(head_dim), -0.5));
  return layer.out(out.transpose(1, 2).reshape({n, len, heads * head_dim}));
}

torch::Tensor SiglipTower::forward(const torch::Tensor& tiles, transformer::Trace* trace) const {
  auto x = torch::conv2d(tiles.to(dtype_), patch_weight_, patch_bias_, config_.patch);
  x = x.flatten(2).transpose(1, 2);
  x = x + position_embedding_.index_select(0, position_ids_).unsqueeze(0);
  append(trace, "vision_embeddings", x);
  for (std::size_t i = 0; i < layers_.size(); ++i) {
    const auto& layer = layers_[i];
    x = x + self_attention(layer, norm(layer.norm1, x));
    x = x + layer.fc2(torch::gelu(layer.fc1(norm(layer.norm2, x)), "tanh"));
    if (i == 0) append(trace, "vision_layer0_out", x);
  }
  x = norm(post_layernorm_, x);
  append(trace, "vision_last_hidden_state", x);
  return x;
}

}  // namespace patchwise::models::siglip
