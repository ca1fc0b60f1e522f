#include "models/modernvbert/modernbert.h"

#include <cmath>
#include <limits>

#include "models/checkpoint/checkpoint.h"
#include "models/transformer/decoder.h"

namespace patchwise::models::modernvbert {

using transformer::record;

namespace {

// The token table, [vocab + additional_vocab, hidden]: stored either as one table or as the
// decoupled pair (main table plus tok_embeddings.additional_embedding), models.md §5.1.
torch::Tensor read_token_table(const transformer::WeightLoader& load, const std::string& emb, const TextConfig& c) {
  const std::string main = emb + "tok_embeddings.weight";
  const std::string extra = emb + "tok_embeddings.additional_embedding.weight";
  if (c.additional_vocab == 0 || !load.checkpoint().has(extra)) {
    return load.get_table(main, {c.vocab + c.additional_vocab, c.hidden});
  }
  return torch::cat({load.get_table(main, {c.vocab, c.hidden}), load.get_table(extra, {c.additional_vocab, c.hidden})});
}

}  // namespace

ModernBert::ModernBert(const transformer::WeightLoader& load, const std::string& prefix, const TextConfig& config)
    : config_(config), dtype_(load.dtype()) {
  const auto& c = config;
  const std::string emb = prefix + "embeddings.";
  token_table_ = read_token_table(load, emb, c);
  embedding_norm_ = load.norm(emb + "norm", c.hidden, false);
  for (int i = 0; i < c.layers; ++i) {
    const std::string p = prefix + "layers." + std::to_string(i) + ".";
    Layer layer{{},
                load.linear(p + "attn.Wqkv", 3 * c.hidden, c.hidden, false),
                load.linear(p + "attn.Wo", c.hidden, c.hidden, false),
                load.linear(p + "mlp.Wi", 2 * c.intermediate, c.hidden, false),
                load.linear(p + "mlp.Wo", c.hidden, c.intermediate, false),
                load.norm(p + "mlp_norm", c.hidden, false)};
    if (i != 0) layer.attn_norm = load.norm(p + "attn_norm", c.hidden, false);
    layers_.push_back(std::move(layer));
  }
  final_norm_ = load.norm(prefix + "final_norm", c.hidden, false);
}

torch::Tensor ModernBert::norm(const transformer::Norm& n, const torch::Tensor& x) const {
  if (!n.weight.defined()) return x;  // layer 0's attn_norm is nn.Identity
  return transformer::layer_norm(n, x, config_.norm_eps, dtype_);
}

ModernBert::AttentionKind ModernBert::attention_kind(const torch::Tensor& attention_mask, double rope_theta,
                                                     bool windowed) const {
  const auto len = attention_mask.size(1);
  transformer::DecoderConfig rope = config_;
  rope.rope_theta = rope_theta;
  auto [cos, sin] = transformer::rotary_tables(torch::arange(len, torch::kFloat32), rope, dtype_);
  // Bidirectional: padding keys are blocked; a real query always sees itself, so no real row
  // is fully masked. Sliding-window layers also block keys farther than half the window.
  auto mask = transformer::additive_attention_mask(attention_mask, /*causal=*/false);
  if (windowed) {
    const auto positions = torch::arange(len, torch::kInt64);
    const auto distance = (positions.unsqueeze(0) - positions.unsqueeze(1)).abs().view({1, 1, len, len});
    mask = mask.masked_fill(distance > config_.local_attention / 2, std::numeric_limits<float>::lowest());
  }
  return {cos, sin, mask};
}

torch::Tensor ModernBert::attention(const Layer& layer, const torch::Tensor& x, const AttentionKind& kind) const {
  const auto b = x.size(0);
  const auto len = x.size(1);
  const int heads = config_.heads;
  const int head_dim = config_.head_dim;
  // Wqkv's output is [q | k | v], each (heads, head_dim).
  const auto qkv = layer.wqkv(x).view({b, len, 3, heads, head_dim}).permute({2, 0, 3, 1, 4});
  const auto q = transformer::apply_rotary(qkv[0], kind.cos, kind.sin);
  const auto k = transformer::apply_rotary(qkv[1], kind.cos, kind.sin);
  const auto out = transformer::attention(q, k, qkv[2], kind.mask, std::pow(static_cast<double>(head_dim), -0.5));
  return layer.wo(out.transpose(1, 2).reshape({b, len, heads * head_dim}));
}

torch::Tensor ModernBert::forward(const torch::Tensor& inputs_embeds, const torch::Tensor& attention_mask,
                                  transformer::Trace* trace) const {
  auto x = inputs_embeds.to(dtype_);
  record(trace, "text_inputs_embeds", x);
  x = norm(embedding_norm_, x);
  record(trace, "text_embeddings_out", x);

  const AttentionKind global = attention_kind(attention_mask, config_.global_rope_theta, false);
  const AttentionKind local = attention_kind(attention_mask, config_.local_rope_theta, true);
  for (std::size_t i = 0; i < layers_.size(); ++i) {
    const auto& layer = layers_[i];
    x = x + attention(layer, norm(layer.attn_norm, x), config_.is_global(static_cast<int>(i)) ? global : local);
    // GeGLU: Wi's output is [a | g]; exact (erf) GELU on a.
    const auto gates = layer.wi(norm(layer.mlp_norm, x)).chunk(2, -1);
    x = x + layer.mlp_wo(torch::gelu(gates[0]) * gates[1]);
    if (i <= 1) record(trace, "text_layer" + std::to_string(i) + "_out", x);
  }
  x = norm(final_norm_, x);
  record(trace, "text_last_hidden_state", x);
  return x;
}

}  // namespace patchwise::models::modernvbert
