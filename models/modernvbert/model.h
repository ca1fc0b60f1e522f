#pragma once
// The ColModernVBERT network (colpali-engine's ColModernVBert: ModernVBertModel +
// custom_text_proj) in libtorch: the SigLIP tower and pixel-shuffle connector shared with
// ColIdefics3, the ModernBERT encoder, the retrieval projection and L2 normalization. Weights
// are loaded once and never change; forward calls keep no state. With dtype bf16 the matmuls
// run in bf16 while softmax, LayerNorm statistics and the L2 norm are computed in float32.
#include <cstdint>
#include <memory>

#include <torch/torch.h>

#include "models/idefics3/tiled_encoder.h"
#include "models/idefics3/vision_connector.h"
#include "models/modernvbert/modernbert.h"
#include "models/modernvbert/modernvbert_config.h"

namespace patchwise::models {
class Checkpoint;
}

namespace patchwise::models::modernvbert {

using transformer::Trace;

class Model final : public idefics3::TiledNetwork {
 public:
  // Reads every tensor the architecture needs with its expected shape; throws
  // patchwise::Error naming the missing or mis-shaped tensor.
  Model(const Checkpoint& checkpoint, const Config& config, torch::ScalarType dtype);

  torch::Tensor image_features(const torch::Tensor& tiles, int chunk, Trace* trace) const override;
  torch::Tensor merge_inputs(const torch::Tensor& input_ids, const torch::Tensor& features) const override;
  torch::Tensor embed_sequence(const torch::Tensor& inputs_embeds, const torch::Tensor& attention_mask,
                               Trace* trace) const override;
  std::int64_t text_hidden() const override { return config_.text.hidden; }
  std::int64_t projection_dim() const override { return projection_dim_; }

 private:
  Config config_;
  std::unique_ptr<idefics3::VisionConnector> vision_;
  std::unique_ptr<ModernBert> text_;
  transformer::Linear head_;
  std::int64_t projection_dim_ = 0;
};

}  // namespace patchwise::models::modernvbert
