#include "models/transformer/decoder.h"

#include <cmath>
#include <limits>

namespace patchwise::models::transformer {

torch::Tensor rope_inv_freq(double theta, int dim) {
  return 1.0 / torch::pow(theta, torch::arange(0, dim, 2, torch::kInt64).to(torch::kFloat32) / dim);
}

torch::Tensor apply_rotary(const torch::Tensor& x, const torch::Tensor& cos, const torch::Tensor& sin) {
  return x * cos + rotate_half(x) * sin;
}

DecoderLayer load_decoder_layer(const WeightLoader& load, const std::string& p, const DecoderShape& s,
                                bool qkv_bias) {
  const int q_dim = s.heads * s.head_dim;
  const int kv_dim = s.kv_heads * s.head_dim;
  return {load.norm(p + "input_layernorm", s.hidden, false),
          load.norm(p + "post_attention_layernorm", s.hidden, false),
          load.linear(p + "self_attn.q_proj", q_dim, s.hidden, qkv_bias),
          load.linear(p + "self_attn.k_proj", kv_dim, s.hidden, qkv_bias),
          load.linear(p + "self_attn.v_proj", kv_dim, s.hidden, qkv_bias),
          load.linear(p + "self_attn.o_proj", s.hidden, q_dim, false),
          load.linear(p + "mlp.gate_proj", s.intermediate, s.hidden, false),
          load.linear(p + "mlp.up_proj", s.intermediate, s.hidden, false),
          load.linear(p + "mlp.down_proj", s.hidden, s.intermediate, false)};
}

torch::Tensor causal_padding_mask(const torch::Tensor& attention_mask) {
  const auto b = attention_mask.size(0);
  const auto len = attention_mask.size(1);
  const auto keys_ok = attention_mask.to(torch::kBool).view({b, 1, 1, len});
  const auto causal = torch::ones({len, len}, torch::kBool).tril().view({1, 1, len, len});
  return torch::zeros({b, 1, len, len}, torch::kFloat32)
      .masked_fill(~(keys_ok & causal), std::numeric_limits<float>::lowest());
}

namespace {

torch::Tensor self_attention(const DecoderLayer& layer, const DecoderShape& s, const torch::Tensor& x,
                             const torch::Tensor& cos, const torch::Tensor& sin, const torch::Tensor& mask) {
  const auto b = x.size(0);
  const auto len = x.size(1);
  const auto q = apply_rotary(layer.q(x).view({b, len, s.heads, s.head_dim}).transpose(1, 2), cos, sin);
  const auto k = apply_rotary(layer.k(x).view({b, len, s.kv_heads, s.head_dim}).transpose(1, 2), cos, sin);
  const auto v = layer.v(x).view({b, len, s.kv_heads, s.head_dim}).transpose(1, 2);
  const int group = s.heads / s.kv_heads;
  const auto out = attention(q, repeat_kv(k, group), repeat_kv(v, group), mask,
                             std::pow(static_cast<double>(s.head_dim), -0.5));
  return layer.o(out.transpose(1, 2).reshape({b, len, s.heads * s.head_dim}));
}

}  // namespace

torch::Tensor run_decoder(const std::vector<DecoderLayer>& layers, const DecoderShape& s, torch::Tensor x,
                          const torch::Tensor& cos, const torch::Tensor& sin, const torch::Tensor& mask,
                          torch::ScalarType dtype, Trace* trace) {
  for (std::size_t i = 0; i < layers.size(); ++i) {
    const auto& layer = layers[i];
    x = x + self_attention(layer, s, rms_norm(layer.input_norm, x, s.rms_norm_eps, dtype), cos, sin, mask);
    const auto h = rms_norm(layer.post_attention_norm, x, s.rms_norm_eps, dtype);
    x = x + layer.down(torch::silu(layer.gate(h)) * layer.up(h));
    if (i == 0) record(trace, "text_layer0_out", x);
  }
  return x;
}

torch::Tensor retrieval_head(const Linear& head, const torch::Tensor& hidden, const torch::Tensor& attention_mask,
                             Trace* trace) {
  auto proj = head(hidden).to(torch::kFloat32);
  record(trace, "proj_unnormalized", proj);
  proj = proj / proj.norm(2, -1, /*keepdim=*/true);
  return proj * attention_mask.to(torch::kFloat32).unsqueeze(-1);
}

}  // namespace patchwise::models::transformer
