#pragma once
// Transformer building blocks shared by the model families (models.md §1.6, §1.7), written
// once with the reference's precision rules: norms and softmax in float32, matmuls in the
// weight dtype, rotary tables cast to the activation dtype for text models.
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include <torch/torch.h>

namespace patchwise::models {
class Checkpoint;

// Intermediate tensors by the names the fixtures' expected/outputs.safetensors use.
struct Trace {
  std::map<std::string, torch::Tensor> tensors;
};
// Stores a float32 copy of `t` under `name` (replacing), if tracing.
void trace_record(Trace* trace, const std::string& name, const torch::Tensor& t);
// Appends `t` along dim 0 to what is stored under `name`, if tracing.
void trace_append(Trace* trace, const std::string& name, const torch::Tensor& t);

struct Linear {
  torch::Tensor weight;  // [out, in]
  torch::Tensor bias;    // [out] or undefined
  torch::Tensor operator()(const torch::Tensor& x) const { return torch::linear(x, weight, bias); }
};

struct Norm {
  torch::Tensor weight;  // float32
  torch::Tensor bias;    // undefined for RMSNorm
};

// Reads weights with expected shapes from a checkpoint, converted to the runtime dtype
// (norm weights stay float32). Errors name the tensor and the expected shape.
class WeightLoader {
 public:
  WeightLoader(const Checkpoint& checkpoint, torch::ScalarType dtype) : checkpoint_(checkpoint), dtype_(dtype) {}

  torch::Tensor get(const std::string& name, std::vector<std::int64_t> shape) const;
  Linear linear(const std::string& prefix, std::int64_t out, std::int64_t in, bool bias) const;
  Norm norm(const std::string& prefix, std::int64_t dim, bool bias) const;

 private:
  const Checkpoint& checkpoint_;
  torch::ScalarType dtype_;
};

// LayerNorm with float32 statistics, result in `dtype`.
torch::Tensor layer_norm(const Norm& norm, const torch::Tensor& x, double eps, torch::ScalarType dtype);
// Llama/Qwen RMSNorm: float32 statistics, cast to `dtype`, then times the weight in `dtype`.
torch::Tensor rms_norm(const Norm& norm, const torch::Tensor& x, double eps, torch::ScalarType dtype);
// Rotary inverse frequencies 1 / theta^(2i/dim), i < dim/2, in float32 as the reference.
torch::Tensor rope_inv_freq(double theta, int dim);
// [x1, x2] -> [-x2, x1] over the last dimension (half-split rotary layout).
torch::Tensor rotate_half(const torch::Tensor& x);
// x * cos + rotate_half(x) * sin.
torch::Tensor apply_rotary(const torch::Tensor& x, const torch::Tensor& cos, const torch::Tensor& sin);
// softmax(q k^T * head_dim^-0.5 + mask) v with the softmax in float32; q [.., L, d],
// k/v [.., S, d]; mask undefined or broadcastable to [.., L, S] (float32, additive).
torch::Tensor attention(const torch::Tensor& q, const torch::Tensor& k, const torch::Tensor& v,
                        const torch::Tensor& mask = {});

// A Llama/Qwen2 decoder layer: pre-norm GQA self-attention and a SiLU-gated MLP.
struct DecoderLayer {
  Norm input_norm, post_attention_norm;
  Linear q, k, v, o, gate, up, down;
};

struct DecoderShape {
  int hidden = 0;
  int heads = 0;
  int kv_heads = 0;
  int head_dim = 0;
  int intermediate = 0;
  double rms_norm_eps = 1e-6;
};

// Loads `prefix`.{input_layernorm, self_attn.{q,k,v,o}_proj, post_attention_layernorm,
// mlp.{gate,up,down}_proj}; q/k/v carry biases when `qkv_bias` (Qwen2).
DecoderLayer load_decoder_layer(const WeightLoader& load, const std::string& prefix, const DecoderShape& shape,
                                bool qkv_bias);

// Additive float32 mask [B, 1, L, L]: causal and key padding (attention_mask [B, L], 1 real),
// with a finite fill so no row is ever fully -inf.
torch::Tensor causal_padding_mask(const torch::Tensor& attention_mask);

// Runs the decoder layers on x [B, L, H]; cos/sin broadcast against [B, heads, L, head_dim]
// and are already in the activation dtype. Records "text_layer0_out".
torch::Tensor run_decoder(const std::vector<DecoderLayer>& layers, const DecoderShape& shape, torch::Tensor x,
                          const torch::Tensor& cos, const torch::Tensor& sin, const torch::Tensor& mask,
                          torch::ScalarType dtype, Trace* trace);

// The retrieval head (models.md §1.7): projection, L2 normalisation, times the attention mask.
// Returns float32 [B, L, D]; records "proj_unnormalized".
torch::Tensor retrieval_head(const Linear& head, const torch::Tensor& hidden, const torch::Tensor& attention_mask,
                             Trace* trace);

}  // namespace patchwise::models
