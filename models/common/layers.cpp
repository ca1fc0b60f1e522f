#include "models/common/layers.h"

#include <cmath>
#include <limits>

#include "models/checkpoint/checkpoint.h"

namespace patchwise::models {

void trace_record(Trace* trace, const std::string& name, const torch::Tensor& t) {
  if (trace) trace->tensors[name] = t.to(torch::kFloat32).clone();
}

void trace_append(Trace* trace, const std::string& name, const torch::Tensor& t) {
  if (!trace) return;
  auto& slot = trace->tensors[name];
  const auto value = t.to(torch::kFloat32);
  slot = slot.defined() ? torch::cat({slot, value}) : value.clone();
}

torch::Tensor WeightLoader::get(const std::string& name, std::vector<std::int64_t> shape) const {
  return checkpoint_.get(name, std::move(shape), dtype_).contiguous();
}

Linear WeightLoader::linear(const std::string& prefix, std::int64_t out, std::int64_t in, bool bias) const {
  Linear l{get(prefix + ".weight", {out, in}), {}};
  if (bias) l.bias = get(prefix + ".bias", {out});
  return l;
}

Norm WeightLoader::norm(const std::string& prefix, std::int64_t dim, bool bias) const {
  Norm n{checkpoint_.get(prefix + ".weight", {dim}, torch::kFloat32), {}};
  if (bias) n.bias = checkpoint_.get(prefix + ".bias", {dim}, torch::kFloat32);
  return n;
}

torch::Tensor layer_norm(const Norm& norm, const torch::Tensor& x, double eps, torch::ScalarType dtype) {
  return torch::layer_norm(x.to(torch::kFloat32), {x.size(-1)}, norm.weight, norm.bias, eps).to(dtype);
}

torch::Tensor rms_norm(const Norm& norm, const torch::Tensor& x, double eps, torch::ScalarType dtype) {
  auto h = x.to(torch::kFloat32);
  h = h * torch::rsqrt(h.pow(2).mean(-1, /*keepdim=*/true) + eps);
  return norm.weight.to(dtype) * h.to(dtype);
}

torch::Tensor rope_inv_freq(double theta, int dim) {
  return 1.0 / torch::pow(theta, torch::arange(0, dim, 2, torch::kInt64).to(torch::kFloat32) / dim);
}

torch::Tensor rotate_half(const torch::Tensor& x) {
  const auto halves = x.chunk(2, -1);
  return torch::cat({-halves[1], halves[0]}, -1);
}

torch::Tensor apply_rotary(const torch::Tensor& x, const torch::Tensor& cos, const torch::Tensor& sin) {
  return x * cos + rotate_half(x) * sin;
}

torch::Tensor attention(const torch::Tensor& q, const torch::Tensor& k, const torch::Tensor& v,
                        const torch::Tensor& mask) {
  auto scores = torch::matmul(q, k.transpose(-2, -1)) * std::pow(static_cast<double>(q.size(-1)), -0.5);
  if (mask.defined()) scores = scores.to(torch::kFloat32) + mask;
  const auto weights = torch::softmax(scores, -1, torch::kFloat32).to(q.scalar_type());
  return torch::matmul(weights, v);
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

torch::Tensor decoder_attention(const DecoderLayer& layer, const DecoderShape& s, const torch::Tensor& x,
                                const torch::Tensor& cos, const torch::Tensor& sin, const torch::Tensor& mask) {
  const auto b = x.size(0);
  const auto len = x.size(1);
  auto q = layer.q(x).view({b, len, s.heads, s.head_dim}).transpose(1, 2);
  auto k = layer.k(x).view({b, len, s.kv_heads, s.head_dim}).transpose(1, 2);
  auto v = layer.v(x).view({b, len, s.kv_heads, s.head_dim}).transpose(1, 2);
  q = apply_rotary(q, cos, sin);
  k = apply_rotary(k, cos, sin);
  const int group = s.heads / s.kv_heads;
  if (group > 1) {  // key/value head j serves query heads j*group .. j*group + group - 1
    auto repeat = [&](const torch::Tensor& y) {
      return y.unsqueeze(2).expand({b, s.kv_heads, group, len, s.head_dim}).reshape({b, s.heads, len, s.head_dim});
    };
    k = repeat(k);
    v = repeat(v);
  }
  const auto out = attention(q, k, v, mask).transpose(1, 2).reshape({b, len, s.heads * s.head_dim});
  return layer.o(out);
}

}  // namespace

torch::Tensor run_decoder(const std::vector<DecoderLayer>& layers, const DecoderShape& s, torch::Tensor x,
                          const torch::Tensor& cos, const torch::Tensor& sin, const torch::Tensor& mask,
                          torch::ScalarType dtype, Trace* trace) {
  for (std::size_t i = 0; i < layers.size(); ++i) {
    const auto& layer = layers[i];
    x = x + decoder_attention(layer, s, rms_norm(layer.input_norm, x, s.rms_norm_eps, dtype), cos, sin, mask);
    const auto h = rms_norm(layer.post_attention_norm, x, s.rms_norm_eps, dtype);
    x = x + layer.down(torch::silu(layer.gate(h)) * layer.up(h));
    if (i == 0) trace_record(trace, "text_layer0_out", x);
  }
  return x;
}

torch::Tensor retrieval_head(const Linear& head, const torch::Tensor& hidden, const torch::Tensor& attention_mask,
                             Trace* trace) {
  auto proj = head(hidden).to(torch::kFloat32);
  trace_record(trace, "proj_unnormalized", proj);
  proj = proj / proj.norm(2, -1, /*keepdim=*/true);
  return proj * attention_mask.to(torch::kFloat32).unsqueeze(-1);
}

}  // namespace patchwise::models
