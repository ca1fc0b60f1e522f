#pragma once
// The Llama/Qwen2 decoder stack and the retrieval head shared by the text models (models.md
// §1.6, §1.7): pre-norm GQA self-attention with half-split rotary, a SiLU-gated MLP, a causal +
// key-padding mask, and projection -> L2 norm -> mask. Rotary tables are computed by the
// caller (1-D for Llama, M-RoPE for Qwen2-VL) and passed in the activation dtype.
#include <string>
#include <vector>

#include <torch/torch.h>

#include "models/transformer/layers.h"

namespace patchwise::models::transformer {

// Rotary inverse frequencies 1 / theta^(2i/dim), i < dim/2, in float32 as the references.
torch::Tensor rope_inv_freq(double theta, int dim);
// x * cos + rotate_half(x) * sin.
torch::Tensor apply_rotary(const torch::Tensor& x, const torch::Tensor& cos, const torch::Tensor& sin);

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

// Loads `prefix`{input_layernorm, self_attn.{q,k,v,o}_proj, post_attention_layernorm,
// mlp.{gate,up,down}_proj}; q/k/v carry biases when `qkv_bias` (Qwen2).
DecoderLayer load_decoder_layer(const WeightLoader& load, const std::string& prefix, const DecoderShape& shape,
                                bool qkv_bias);

// Additive float32 mask [B, 1, L, L]: causal and key padding (attention_mask [B, L], 1 = real),
// with a finite fill so no row is ever fully -inf (no NaN).
torch::Tensor causal_padding_mask(const torch::Tensor& attention_mask);

// Runs the layers on x [B, L, H]; cos/sin broadcast against [B, heads, L, head_dim] and are in
// the activation dtype. Records "text_layer0_out".
torch::Tensor run_decoder(const std::vector<DecoderLayer>& layers, const DecoderShape& shape, torch::Tensor x,
                          const torch::Tensor& cos, const torch::Tensor& sin, const torch::Tensor& mask,
                          torch::ScalarType dtype, Trace* trace);

// The retrieval head: projection, L2 normalisation, times the attention mask. Returns float32
// [B, L, D]; records "proj_unnormalized".
torch::Tensor retrieval_head(const Linear& head, const torch::Tensor& hidden, const torch::Tensor& attention_mask,
                             Trace* trace);

}  // namespace patchwise::models::transformer
