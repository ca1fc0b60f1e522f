#include "models/modernvbert/model.h"

#include "core/error.h"
#include "models/checkpoint/checkpoint.h"
#include "models/transformer/decoder.h"

namespace patchwise::models::modernvbert {

Model::Model(const Checkpoint& checkpoint, const Config& config, torch::ScalarType dtype) : config_(config) {
  if (dtype != torch::kFloat32 && dtype != torch::kBFloat16) {
    throw Error("ColModernVBERT runs in float32 or bfloat16 only");
  }
  const transformer::WeightLoader load(checkpoint, dtype);
  vision_ = std::make_unique<idefics3::VisionConnector>(load, config.vision, config.scale_factor, config.text.hidden,
                                                        "ColModernVBERT");
  text_ = std::make_unique<ModernBert>(load, "model.text_model.", config.text);
  const auto head_shape = checkpoint.shape("custom_text_proj.weight");
  if (head_shape.size() != 2 || head_shape[1] != config.text.hidden) {
    throw Error(checkpoint.dir().string() + ": tensor custom_text_proj.weight should be [dim, " +
                std::to_string(config.text.hidden) + "]");
  }
  projection_dim_ = head_shape[0];
  head_ = load.linear("custom_text_proj", projection_dim_, config.text.hidden, true);
}

torch::Tensor Model::image_features(const torch::Tensor& tiles, int chunk, Trace* trace) const {
  return vision_->features(tiles, chunk, trace);
}

torch::Tensor Model::merge_inputs(const torch::Tensor& input_ids, const torch::Tensor& features) const {
  return transformer::merge_image_features(text_->token_table(), input_ids, config_.image_token_id, features,
                                           "ColModernVBERT");
}

torch::Tensor Model::embed_sequence(const torch::Tensor& inputs_embeds, const torch::Tensor& attention_mask,
                                    Trace* trace) const {
  return transformer::retrieval_head(head_, text_->forward(inputs_embeds, attention_mask, trace), attention_mask,
                                     trace);
}

}  // namespace patchwise::models::modernvbert
