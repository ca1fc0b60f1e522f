#pragma once
// The ColIdefics3 network (Idefics3Model + `linear` head) in libtorch: SigLIP vision tower,
// pixel-shuffle connector, Llama decoder, retrieval projection. Weights are loaded once and
// never change; forward calls keep no state. Attention is matmul + softmax in float32 (libtorch
// 1.13 has no fused attention); with dtype bf16 the matmuls run in bf16, while softmax,
// LayerNorm/RMSNorm statistics and the L2 norm are computed in float32, as the reference does.
#include <memory>
#include <string>
#include <vector>

#include <torch/torch.h>

#include "models/idefics3/idefics3_config.h"
#include "models/idefics3/tiled_encoder.h"
#include "models/idefics3/vision_connector.h"
#include "models/transformer/decoder.h"
#include "models/transformer/layers.h"

namespace patchwise::models::idefics3 {

using transformer::Linear;
using transformer::Norm;
using transformer::Trace;

class Model final : public TiledNetwork {
 public:
  // Reads every tensor the architecture needs with its expected shape; throws
  // patchwise::Error naming the missing or mis-shaped tensor.
  Model(const Checkpoint& checkpoint, const Config& config, torch::ScalarType dtype);

  torch::ScalarType dtype() const { return dtype_; }
  const Config& config() const { return config_; }

  // TiledNetwork: the SigLIP tower and pixel-shuffle connector; the Llama decoder (causal
  // mask, positions 0..L-1 as the reference) and the `linear` head.
  torch::Tensor image_features(const torch::Tensor& tiles, int chunk = 2, Trace* trace = nullptr) const override;
  torch::Tensor merge_inputs(const torch::Tensor& input_ids, const torch::Tensor& features) const override;
  torch::Tensor embed_sequence(const torch::Tensor& inputs_embeds, const torch::Tensor& attention_mask,
                               Trace* trace = nullptr) const override;
  std::int64_t text_hidden() const override { return config_.text.hidden; }
  std::int64_t projection_dim() const override { return config_.projection_dim; }

 private:
  Config config_;
  torch::ScalarType dtype_;
  std::unique_ptr<VisionConnector> vision_;
  torch::Tensor embed_tokens_;
  std::vector<transformer::DecoderLayer> text_layers_;
  Norm final_norm_;
  Linear head_;
};

}  // namespace patchwise::models::idefics3
