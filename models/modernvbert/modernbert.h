#pragma once
// The ModernBERT encoder (transformers' ModernBertModel, eager padded path) over given input
// embeddings, as ColModernVBERT runs it: the embedding LayerNorm on the merged sequence, then
// pre-norm layers (layer 0 has no attention norm) with bidirectional attention that is global or
// sliding-window per layer, each kind with its own rotary base, a GeGLU MLP, and a final
// LayerNorm. No biases anywhere. The token table is colpali-engine's DecoupledEmbedding:
// ids >= vocab index the additional table, stored after the main one.
#include <string>
#include <vector>

#include <torch/torch.h>

#include "models/modernvbert/modernvbert_config.h"
#include "models/transformer/layers.h"

namespace patchwise::models::modernvbert {

class ModernBert {
 public:
  // Reads PREFIX{embeddings,layers.N,final_norm}.* with their expected shapes.
  ModernBert(const transformer::WeightLoader& load, const std::string& prefix, const TextConfig& config);

  // The token table [vocab + additional_vocab, hidden] (main rows, then the additional ones).
  const torch::Tensor& token_table() const { return token_table_; }

  // inputs_embeds [B, L, H] and attention_mask [B, L] (1 real, 0 padding) -> last hidden state
  // [B, L, H] after final_norm. Positions are 0..L-1 in every row, also left-padded ones (as
  // the reference; only position differences matter). Records text_inputs_embeds,
  // text_embeddings_out, text_layer{0,1}_out and text_last_hidden_state.
  torch::Tensor forward(const torch::Tensor& inputs_embeds, const torch::Tensor& attention_mask,
                        transformer::Trace* trace = nullptr) const;

 private:
  struct Layer {
    transformer::Norm attn_norm;  // undefined weight for layer 0 (identity)
    transformer::Linear wqkv, wo, wi, mlp_wo;
    transformer::Norm mlp_norm;
  };
  // One kind of attention (global or sliding-window): its rotary tables and additive mask.
  struct AttentionKind {
    torch::Tensor cos, sin, mask;
  };
  AttentionKind attention_kind(const torch::Tensor& attention_mask, double rope_theta, bool windowed) const;
  torch::Tensor norm(const transformer::Norm& n, const torch::Tensor& x) const;
  torch::Tensor attention(const Layer& layer, const torch::Tensor& x, const AttentionKind& kind) const;

  TextConfig config_;
  torch::ScalarType dtype_;
  torch::Tensor token_table_;
  transformer::Norm embedding_norm_, final_norm_;
  std::vector<Layer> layers_;
};

}  // namespace patchwise::models::modernvbert
