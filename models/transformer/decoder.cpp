#include "models/transformer/decoder.h"

#include <cmath>
#include <limits>

#include "core/error.h"
#include "models/common/config_fields.h"

namespace patchwise::models::transformer {

torch::Tensor rope_inv_freq(double theta, int dim) {
  return 1.0 / torch::pow(theta, torch::arange(0, dim, 2, torch::kInt64).to(torch::kFloat32) / dim);
}

torch::Tensor apply_rotary(const torch::Tensor& x, const torch::Tensor& cos, const torch::Tensor& sin) {
  return x * cos + rotate_half(x) * sin;
}

DecoderConfig parse_decoder_config(const ConfigFields& f, const std::string& activation) {
  DecoderConfig t;
  t.hidden = f.positive_int("hidden_size");
  t.layers = f.positive_int("num_hidden_layers");
  t.heads = f.positive_int("num_attention_heads");
  t.kv_heads = f.positive_int_or("num_key_value_heads", t.heads);
  t.head_dim = f.positive_int_or("head_dim", t.hidden / t.heads);
  t.intermediate = f.positive_int("intermediate_size");
  t.vocab = f.positive_int("vocab_size");
  t.rms_norm_eps = f.positive_number_or("rms_norm_eps", 1e-6);
  t.rope_theta = f.positive_number_or("rope_theta", 10000.0);
  if (t.heads % t.kv_heads != 0) {
    throw Error(f.where() + ": num_attention_heads is not a multiple of num_key_value_heads");
  }
  if (t.head_dim % 2 != 0) throw Error(f.where() + ": head_dim must be even for rotary embeddings");
  if (f.has("rope_scaling")) throw Error(f.where() + ": rope_scaling is not supported");
  const char* act_key = f.has("hidden_activation") ? "hidden_activation" : "hidden_act";
  if (f.string_or(act_key, activation) != activation) {
    throw Error(f.where() + ": only " + act_key + " \"" + activation + "\" is supported");
  }
  if (f.bool_or("attention_bias", false) || f.bool_or("mlp_bias", false)) {
    throw Error(f.where() + ": text models with biases are not supported");
  }
  return t;
}

DecoderLayer load_decoder_layer(const WeightLoader& load, const std::string& p, const DecoderConfig& c,
                                bool qkv_bias) {
  const int q_dim = c.heads * c.head_dim;
  const int kv_dim = c.kv_heads * c.head_dim;
  return {load.norm(p + "input_layernorm", c.hidden, false),
          load.norm(p + "post_attention_layernorm", c.hidden, false),
          load.linear(p + "self_attn.q_proj", q_dim, c.hidden, qkv_bias),
          load.linear(p + "self_attn.k_proj", kv_dim, c.hidden, qkv_bias),
          load.linear(p + "self_attn.v_proj", kv_dim, c.hidden, qkv_bias),
          load.linear(p + "self_attn.o_proj", c.hidden, q_dim, false),
          load.linear(p + "mlp.gate_proj", c.intermediate, c.hidden, false),
          load.linear(p + "mlp.up_proj", c.intermediate, c.hidden, false),
          load.linear(p + "mlp.down_proj", c.hidden, c.intermediate, false)};
}

std::pair<torch::Tensor, torch::Tensor> rotary_tables(const torch::Tensor& positions, const DecoderConfig& c,
                                                      torch::ScalarType dtype) {
  const auto freqs = positions.to(torch::kFloat32).unsqueeze(1) * rope_inv_freq(c.rope_theta, c.head_dim).unsqueeze(0);
  const auto angles = torch::cat({freqs, freqs}, -1);
  return {angles.cos().to(dtype), angles.sin().to(dtype)};
}

torch::Tensor additive_attention_mask(const torch::Tensor& attention_mask, bool causal) {
  const auto b = attention_mask.size(0);
  const auto len = attention_mask.size(1);
  auto allowed = attention_mask.to(torch::kBool).view({b, 1, 1, len}).expand({b, 1, len, len});
  if (causal) allowed = allowed & torch::ones({len, len}, torch::kBool).tril().view({1, 1, len, len});
  return torch::zeros({b, 1, len, len}, torch::kFloat32).masked_fill(~allowed, std::numeric_limits<float>::lowest());
}

torch::Tensor decoder_norm(const DecoderConfig& c, const Norm& norm, const torch::Tensor& x, torch::ScalarType dtype) {
  return c.flavour == DecoderFlavour::gemma ? gemma_rms_norm(norm, x, c.rms_norm_eps, dtype)
                                            : rms_norm(norm, x, c.rms_norm_eps, dtype);
}

namespace {

torch::Tensor self_attention(const DecoderLayer& layer, const DecoderConfig& c, const torch::Tensor& x,
                             const torch::Tensor& cos, const torch::Tensor& sin, const torch::Tensor& mask) {
  const auto b = x.size(0);
  const auto len = x.size(1);
  const auto q = apply_rotary(layer.q(x).view({b, len, c.heads, c.head_dim}).transpose(1, 2), cos, sin);
  const auto k = apply_rotary(layer.k(x).view({b, len, c.kv_heads, c.head_dim}).transpose(1, 2), cos, sin);
  const auto v = layer.v(x).view({b, len, c.kv_heads, c.head_dim}).transpose(1, 2);
  const int group = c.heads / c.kv_heads;
  const auto out = attention(q, repeat_kv(k, group), repeat_kv(v, group), mask,
                             std::pow(static_cast<double>(c.head_dim), -0.5));
  return layer.o(out.transpose(1, 2).reshape({b, len, c.heads * c.head_dim}));
}

torch::Tensor gated_mlp(const DecoderLayer& layer, const DecoderConfig& c, const torch::Tensor& h) {
  const auto gate = layer.gate(h);
  const auto act = c.flavour == DecoderFlavour::gemma ? torch::gelu(gate, "tanh") : torch::silu(gate);
  return layer.down(act * layer.up(h));
}

}  // namespace

torch::Tensor run_decoder(const std::vector<DecoderLayer>& layers, const DecoderConfig& c, torch::Tensor x,
                          const torch::Tensor& cos, const torch::Tensor& sin, const torch::Tensor& mask,
                          torch::ScalarType dtype, Trace* trace) {
  for (std::size_t i = 0; i < layers.size(); ++i) {
    const auto& layer = layers[i];
    x = x + self_attention(layer, c, decoder_norm(c, layer.input_norm, x, dtype), cos, sin, mask);
    x = x + gated_mlp(layer, c, decoder_norm(c, layer.post_attention_norm, x, dtype));
    if (i == 0) record(trace, "text_layer0_out", x);
  }
  return x;
}

torch::Tensor merge_image_features(const torch::Tensor& embed_tokens, const torch::Tensor& input_ids,
                                   std::int64_t image_token_id, const torch::Tensor& features,
                                   const std::string& family) {
  // The table may be stored narrower than the activations (see Precision); gather, then widen.
  auto embeds = torch::embedding(embed_tokens, input_ids);
  if (features.defined() && features.numel() > 0) embeds = embeds.to(features.scalar_type());
  const auto is_image = input_ids == image_token_id;
  const auto slots = is_image.sum().item<std::int64_t>();
  const auto rows = features.reshape({-1, features.size(-1)});
  if (slots != rows.size(0)) {
    throw Error(family + ": the prompt has " + std::to_string(slots) + " image tokens but the images gave " +
                std::to_string(rows.size(0)) + " features");
  }
  if (slots > 0) embeds.index_put_({is_image}, rows.to(embeds.scalar_type()));
  return embeds;
}

torch::Tensor retrieval_head(const Linear& head, const torch::Tensor& hidden, const torch::Tensor& attention_mask,
                             Trace* trace) {
  auto proj = head(hidden).to(torch::kFloat32);
  record(trace, "proj_unnormalized", proj);
  proj = proj / proj.norm(2, -1, /*keepdim=*/true);
  return proj * attention_mask.to(torch::kFloat32).unsqueeze(-1);
}

}  // namespace patchwise::models::transformer
