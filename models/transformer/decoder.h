#pragma once
// The decoder layer shared by the Llama-like text models (SmolLM2 in Idefics3, Gemma in
// PaliGemma): pre-norm self-attention with half-split rotary embeddings and grouped-query
// attention, then a gated MLP. Norm flavour and MLP activation differ per family and are left
// to the caller; this file holds the dimensions, the weights and the attention block.
#include <string>

#include <torch/torch.h>

#include "models/transformer/layers.h"

namespace patchwise::models {
class ConfigFields;
}

namespace patchwise::models::transformer {

struct DecoderConfig {
  int hidden = 0;
  int layers = 0;
  int heads = 0;
  int kv_heads = 0;
  int head_dim = 0;
  int intermediate = 0;
  int vocab = 0;
  double rms_norm_eps = 1e-6;
  double rope_theta = 10000.0;
};

// Reads a `text_config` object; `activation` is the only MLP activation the family supports
// (checked against hidden_activation, else hidden_act, defaulting to it when both are absent).
// Throws patchwise::Error naming the field that is missing or inconsistent.
DecoderConfig parse_decoder_config(const ConfigFields& f, const std::string& activation);

struct DecoderLayer {
  Norm input_norm, post_attention_norm;
  Linear q, k, v, o, gate, up, down;
};

// The tensors of layer `prefix` ("....layers.3."), without biases.
DecoderLayer load_decoder_layer(const WeightLoader& load, const std::string& prefix, const DecoderConfig& c);

// cos and sin tables [L, head_dim] in `dtype` for float32 positions [L]: angles computed in
// float32 as the references do, then cast.
std::pair<torch::Tensor, torch::Tensor> rotary_tables(const torch::Tensor& positions, const DecoderConfig& c,
                                                      torch::ScalarType dtype);

// o(attention(rope(q(x)), rope(k(x)), v(x))) for normed input x [B, L, hidden]; `mask` is
// additive float32 [B, 1, L, L] with a finite fill. Scale head_dim^-0.5.
torch::Tensor decoder_self_attention(const DecoderLayer& layer, const DecoderConfig& c, const torch::Tensor& x,
                                     const torch::Tensor& cos, const torch::Tensor& sin, const torch::Tensor& mask);

// Token embeddings [B, L, H] of `input_ids` with every `image_token_id` position replaced, in
// order, by the rows of `features` ([n, seq, H], all images of the batch in sequence order).
// Throws patchwise::Error (naming `family`) when the counts differ.
torch::Tensor merge_image_features(const torch::Tensor& embed_tokens, const torch::Tensor& input_ids,
                                   std::int64_t image_token_id, const torch::Tensor& features,
                                   const std::string& family);

// Additive float32 mask [B, 1, L, L] from attention_mask [B, L] (1 real, 0 padding): padding
// keys are blocked with the finite lowest float, and with `causal` also later keys. A finite
// fill keeps fully blocked rows (padding queries) finite, so no NaN can reach real rows.
torch::Tensor additive_attention_mask(const torch::Tensor& attention_mask, bool causal);

// The ColVision retrieval head: head(hidden) in float32 (recorded as proj_unnormalized), L2
// normalised per row, multiplied by attention_mask [B, L] (padding rows become exactly 0).
torch::Tensor retrieval_embeddings(const Linear& head, const torch::Tensor& hidden, const torch::Tensor& attention_mask,
                                   Trace* trace);

}  // namespace patchwise::models::transformer
