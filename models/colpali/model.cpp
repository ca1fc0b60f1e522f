#include "models/colpali/model.h"

#include <cmath>
#include <string>

#include "core/error.h"
#include "models/checkpoint/checkpoint.h"

namespace patchwise::models::colpali {
namespace {

using transformer::append;
using transformer::record;

const std::string kVision = "model.vision_tower.vision_model.";
const std::string kProjector = "model.multi_modal_projector.linear";
const std::string kText = "model.language_model.model.";
const std::string kHead = "custom_text_proj";

}  // namespace

std::vector<KeyRename> weight_renames() {
  // Applied in order to every key; each pattern is anchored, so a key is renamed at most once
  // into the engine layout and later patterns no longer match it.
  return {
      {"^base_model\\.model\\.", ""},
      {"^(vlm|model)\\.model\\.language_model\\.", "model.language_model.model."},
      {"^(vlm|model)\\.model\\.(vision_tower|multi_modal_projector)\\.", "model.$2."},
      {"^vlm\\.language_model\\.model\\.", "model.language_model.model."},
      {"^vlm\\.(vision_tower|multi_modal_projector|language_model)\\.", "model.$1."},
      {"^embedding_proj_layer\\.", "custom_text_proj."},
  };
}

Model::Model(const Checkpoint& checkpoint, const Config& config, torch::ScalarType dtype)
    : config_(config), dtype_(transformer::precision_for(dtype).compute) {
  if (dtype != torch::kFloat32 && dtype != torch::kBFloat16) throw Error("ColPali runs in float32 or bfloat16 only");
  const transformer::WeightLoader load(checkpoint, dtype);
  vision_tower_ = std::make_unique<siglip::SiglipTower>(load, kVision, config.vision);
  const auto& t = config.text;
  projector_ = load.linear(kProjector, t.hidden, config.vision.hidden, true);
  embed_tokens_ = load.get_table(kText + "embed_tokens.weight", {t.vocab, t.hidden});
  for (int i = 0; i < t.layers; ++i) {
    layers_.push_back(transformer::load_decoder_layer(load, kText + "layers." + std::to_string(i) + ".", t, false));
  }
  final_norm_ = load.norm(kText + "norm", t.hidden, false);
  head_ = load.linear(kHead, config.projection_dim, t.hidden, true);
}

torch::Tensor Model::image_features(const torch::Tensor& pixels, Trace* trace) const {
  const int s = config_.vision.image_size;
  if (pixels.dim() != 4 || pixels.size(1) != 3 || pixels.size(2) != s || pixels.size(3) != s) {
    throw Error("ColPali: pixel values must be [n, 3, " + std::to_string(s) + ", " + std::to_string(s) + "]");
  }
  const auto projected = projector_(vision_tower_->forward(pixels, trace));
  append(trace, "projector_out", projected);
  // PaliGemma divides by sqrt(text hidden) as a Python float, in the activation dtype.
  return projected / std::sqrt(static_cast<double>(config_.text.hidden));
}

torch::Tensor Model::merge_inputs(const torch::Tensor& input_ids, const torch::Tensor& features) const {
  return transformer::merge_image_features(embed_tokens_, input_ids, config_.image_token_id, features, "ColPali");
}

torch::Tensor Model::embed_sequence(const torch::Tensor& inputs_embeds, const torch::Tensor& attention_mask,
                                    Trace* trace) const {
  const auto& t = config_.text;
  const auto len = inputs_embeds.size(1);
  // GemmaModel scales by sqrt(hidden) rounded to the activation dtype (45.25 in bf16 for 2048).
  const auto normalizer = torch::tensor(std::sqrt(static_cast<double>(t.hidden)), torch::kFloat64).to(dtype_);
  auto x = inputs_embeds.to(dtype_) * normalizer;
  record(trace, "text_layer0_in", x);

  // PaliGemma: positions 1..L whatever the padding; every token sees every real token.
  const auto [cos, sin] = transformer::rotary_tables(torch::arange(1, len + 1, torch::kFloat32), t, dtype_);
  const auto mask = transformer::additive_attention_mask(attention_mask, /*causal=*/false);
  x = transformer::run_decoder(layers_, t, x, cos, sin, mask, dtype_, trace);
  x = transformer::decoder_norm(t, final_norm_, x, dtype_);
  record(trace, "text_last_hidden_state", x);
  return transformer::retrieval_head(head_, x, attention_mask, trace);
}

}  // namespace patchwise::models::colpali
