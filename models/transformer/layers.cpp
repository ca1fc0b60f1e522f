#include "models/transformer/layers.h"

#include "models/checkpoint/checkpoint.h"

namespace patchwise::models::transformer {

void record(Trace* trace, const std::string& name, const torch::Tensor& t) {
  if (trace) trace->tensors[name] = t.to(torch::kFloat32).clone();
}

void append(Trace* trace, const std::string& name, const torch::Tensor& t) {
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

std::string dtype_name(torch::ScalarType dtype) {
  switch (dtype) {
    case torch::kFloat32: return "float32";
    case torch::kBFloat16: return "bfloat16";
    case torch::kFloat16: return "float16";
    default: return c10::toString(dtype);
  }
}

torch::Tensor layer_norm(const Norm& norm, const torch::Tensor& x, double eps, torch::ScalarType dtype) {
  return torch::layer_norm(x.to(torch::kFloat32), {x.size(-1)}, norm.weight, norm.bias, eps).to(dtype);
}

torch::Tensor rms_norm(const Norm& norm, const torch::Tensor& x, double eps, torch::ScalarType dtype) {
  auto h = x.to(torch::kFloat32);
  h = h * torch::rsqrt(h.pow(2).mean(-1, /*keepdim=*/true) + eps);
  return norm.weight.to(dtype) * h.to(dtype);
}

torch::Tensor gemma_rms_norm(const Norm& norm, const torch::Tensor& x, double eps, torch::ScalarType dtype) {
  auto h = x.to(torch::kFloat32);
  h = h * torch::rsqrt(h.pow(2).mean(-1, /*keepdim=*/true) + eps);
  return (h * (1.0 + norm.weight)).to(dtype);
}

torch::Tensor rotate_half(const torch::Tensor& x) {
  const auto halves = x.chunk(2, -1);
  return torch::cat({-halves[1], halves[0]}, -1);
}

torch::Tensor repeat_kv(const torch::Tensor& x, std::int64_t group) {
  if (group == 1) return x;
  const auto b = x.size(0), kv = x.size(1), len = x.size(2), hd = x.size(3);
  return x.unsqueeze(2).expand({b, kv, group, len, hd}).reshape({b, kv * group, len, hd});
}

torch::Tensor attention(const torch::Tensor& q, const torch::Tensor& k, const torch::Tensor& v,
                        const torch::Tensor& mask, double scale) {
  auto scores = torch::matmul(q, k.transpose(-2, -1)) * scale;
  if (mask.defined()) scores = scores.to(torch::kFloat32) + mask;
  const auto weights = torch::softmax(scores, -1, torch::kFloat32).to(q.scalar_type());
  return torch::matmul(weights, v);
}

}  // namespace patchwise::models::transformer
