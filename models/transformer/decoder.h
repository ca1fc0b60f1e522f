#pragma once
// The decoder stack and retrieval head shared by the text models (models.md §1.6, §1.7):
// pre-norm GQA self-attention with half-split rotary, a gated MLP, an additive key-padding
// (optionally causal) mask, and projection -> L2 norm -> mask. Two flavours: Llama/Qwen2
// (RMSNorm times w, SiLU gate) and Gemma ((1 + w) RMSNorm, GELU-tanh gate). Rotary tables are
// computed by the caller (1-D via rotary_tables, M-RoPE for Qwen2-VL) in the activation dtype.
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include <torch/torch.h>

#include "models/transformer/layers.h"

namespace patchwise::models {
class ConfigFields;
}

namespace patchwise::models::transformer {

// Rotary inverse frequencies 1 / theta^(2i/dim), i < dim/2, in float32 as the references.
torch::Tensor rope_inv_freq(double theta, int dim);
// x * cos + rotate_half(x) * sin.
torch::Tensor apply_rotary(const torch::Tensor& x, const torch::Tensor& cos, const torch::Tensor& sin);

enum class DecoderFlavour {
  llama,  // RMSNorm (weight after the cast), SiLU-gated MLP: SmolLM2, Qwen2
  gemma   // (1 + w) RMSNorm in float32, GELU-tanh-gated MLP: Gemma (PaliGemma)
};

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
  DecoderFlavour flavour = DecoderFlavour::llama;
};

// Reads a `text_config` object; `activation` is the only MLP activation the family supports
// (checked against hidden_activation, else hidden_act, defaulting to it when both are absent).
// The flavour is left as llama. Throws patchwise::Error naming the field that is missing or
// inconsistent.
DecoderConfig parse_decoder_config(const ConfigFields& f, const std::string& activation);

struct DecoderLayer {
  Norm input_norm, post_attention_norm;
  Linear q, k, v, o, gate, up, down;
};

// Loads `prefix`{input_layernorm, self_attn.{q,k,v,o}_proj, post_attention_layernorm,
// mlp.{gate,up,down}_proj}; q/k/v carry biases when `qkv_bias` (Qwen2).
DecoderLayer load_decoder_layer(const WeightLoader& load, const std::string& prefix, const DecoderConfig& c,
                                bool qkv_bias);

// cos and sin tables [L, head_dim] in `dtype` for float32 positions [L]: angles computed in
// float32 as the references do, then cast.
std::pair<torch::Tensor, torch::Tensor> rotary_tables(const torch::Tensor& positions, const DecoderConfig& c,
                                                      torch::ScalarType dtype);

// Additive float32 mask [B, 1, L, L] from attention_mask [B, L] (1 real, 0 padding): padding
// keys are blocked with the finite lowest float, and with `causal` also later keys. A finite
// fill keeps fully blocked rows (padding queries) finite, so no NaN can reach real rows.
torch::Tensor additive_attention_mask(const torch::Tensor& attention_mask, bool causal);

// The flavour's RMSNorm of x in `dtype`.
torch::Tensor decoder_norm(const DecoderConfig& c, const Norm& norm, const torch::Tensor& x, torch::ScalarType dtype);

// Runs the layers on x [B, L, H]; cos/sin broadcast against [B, heads, L, head_dim] and are in
// the activation dtype. Records "text_layer0_out".
torch::Tensor run_decoder(const std::vector<DecoderLayer>& layers, const DecoderConfig& c, torch::Tensor x,
                          const torch::Tensor& cos, const torch::Tensor& sin, const torch::Tensor& mask,
                          torch::ScalarType dtype, Trace* trace);

// Token embeddings [B, L, H] of `input_ids` with every `image_token_id` position replaced, in
// order, by the rows of `features` ([n, seq, H], all images of the batch in sequence order).
// Throws patchwise::Error (naming `family`) when the counts differ. The result is in the
// features' dtype when there are image features, else in the table's (which may be narrower
// than the activations, see Precision): callers cast it to their compute dtype.
torch::Tensor merge_image_features(const torch::Tensor& embed_tokens, const torch::Tensor& input_ids,
                                   std::int64_t image_token_id, const torch::Tensor& features,
                                   const std::string& family);

// The retrieval head: projection, L2 normalisation, times the attention mask. Returns float32
// [B, L, D]; records "proj_unnormalized".
torch::Tensor retrieval_head(const Linear& head, const torch::Tensor& hidden, const torch::Tensor& attention_mask,
                             Trace* trace);

}  // namespace patchwise::models::transformer
