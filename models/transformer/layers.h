#pragma once
// Building blocks shared by every transformer family (SigLIP, Llama, Gemma, Qwen2, ModernBERT):
// weight loading with shape checks, linear layers, norms, rotary helpers and plain attention.
// Attention is matmul + softmax (libtorch 1.13 has no fused attention); softmax and norm
// statistics run in float32 whatever the activation dtype, as the references do.
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include <torch/torch.h>

namespace patchwise::models {
class Checkpoint;
}

namespace patchwise::models::transformer {

// Intermediate tensors by name, for parity checks against a reference's recorded outputs.
struct Trace {
  std::map<std::string, torch::Tensor> tensors;
};
// Keeps a float32 copy of `t` under `name` (replacing any earlier one).
void record(Trace* trace, const std::string& name, const torch::Tensor& t);
// Concatenates `t` (float32) after what `name` already holds, along dim 0.
void append(Trace* trace, const std::string& name, const torch::Tensor& t);

// How a model keeps its weights and in which dtype it computes. libtorch 1.13 multiplies
// bfloat16 matrices quickly only through oneDNN on AVX-512 CPUs; elsewhere its bfloat16 GEMM
// is a scalar fallback about 15x slower than float32. There, a bfloat16 model keeps its
// linear weights in bfloat16 (half the memory) and widens each one to float32 as it is used.
struct Precision {
  torch::ScalarType weights = torch::kFloat32;  // linear weights and embedding tables
  torch::ScalarType compute = torch::kFloat32;  // activations and every other weight
};

// The precision a request for `dtype` (float32 or bfloat16) gets on this CPU.
Precision precision_for(torch::ScalarType dtype);

// "float32", "bfloat16", or "bfloat16 weights, float32 arithmetic" for EncoderInfo::dtype.
std::string precision_name(torch::ScalarType dtype);

struct Linear {
  torch::Tensor weight;  // [out, in], in Precision::weights
  torch::Tensor bias;    // [out] in Precision::compute, or undefined
  torch::Tensor operator()(const torch::Tensor& x) const;
};

struct Norm {
  torch::Tensor weight;  // float32
  torch::Tensor bias;    // float32; undefined for RMSNorm
};

// Reads tensors from a checkpoint with their expected shapes, converted to the precision_for()
// the requested dtype; a missing or mis-shaped tensor throws patchwise::Error naming it.
class WeightLoader {
 public:
  WeightLoader(const Checkpoint& checkpoint, torch::ScalarType dtype)
      : checkpoint_(checkpoint), precision_(precision_for(dtype)) {}

  // In the compute dtype.
  torch::Tensor get(const std::string& name, std::vector<std::int64_t> shape) const;
  // In the weights dtype: large tables (token embeddings) that are gathered, then widened.
  torch::Tensor get_table(const std::string& name, std::vector<std::int64_t> shape) const;
  Linear linear(const std::string& prefix, std::int64_t out, std::int64_t in, bool bias) const;
  // Norm weights stay float32: the norms compute in float32 and cast at the end.
  Norm norm(const std::string& prefix, std::int64_t dim, bool bias) const;
  const Checkpoint& checkpoint() const { return checkpoint_; }
  // The compute dtype: what activations are cast to.
  torch::ScalarType dtype() const { return precision_.compute; }

 private:
  torch::Tensor read(const std::string& name, std::vector<std::int64_t> shape, torch::ScalarType dtype) const;

  const Checkpoint& checkpoint_;
  Precision precision_;
};

// "float32", "bfloat16", ... for EncoderInfo::dtype and messages.
std::string dtype_name(torch::ScalarType dtype);

// LayerNorm over the last dimension in float32, result in `dtype`.
torch::Tensor layer_norm(const Norm& norm, const torch::Tensor& x, double eps, torch::ScalarType dtype);

// Llama-style RMSNorm: statistics in float32, weight multiplied after the cast to `dtype`.
torch::Tensor rms_norm(const Norm& norm, const torch::Tensor& x, double eps, torch::ScalarType dtype);

// Gemma-style RMSNorm: the stored weight is an offset from 1, and x_normed * (1 + w) is
// computed in float32 before the cast to `dtype`.
torch::Tensor gemma_rms_norm(const Norm& norm, const torch::Tensor& x, double eps, torch::ScalarType dtype);

// [.., d] -> [.., d]: (-second half, first half), the half-split rotary convention.
torch::Tensor rotate_half(const torch::Tensor& x);

// [B, kv_heads, L, hd] -> [B, kv_heads * group, L, hd] for grouped-query attention.
torch::Tensor repeat_kv(const torch::Tensor& x, std::int64_t group);

// softmax(q k^T * scale + mask) v over [B, H, L, hd] tensors; `mask` (float32, broadcastable to
// [B, H, Lq, Lk], finite fill) may be undefined. Softmax in float32, result in q's dtype.
torch::Tensor attention(const torch::Tensor& q, const torch::Tensor& k, const torch::Tensor& v,
                        const torch::Tensor& mask, double scale);

}  // namespace patchwise::models::transformer
