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
#include "models/siglip/siglip_tower.h"
#include "models/transformer/decoder.h"
#include "models/transformer/layers.h"

namespace patchwise::models::idefics3 {

using transformer::Linear;
using transformer::Norm;
using transformer::Trace;

class Model {
 public:
  // Reads every tensor the architecture needs with its expected shape; throws
  // patchwise::Error naming the missing or mis-shaped tensor.
  Model(const Checkpoint& checkpoint, const Config& config, torch::ScalarType dtype);

  torch::ScalarType dtype() const { return dtype_; }
  const Config& config() const { return config_; }

  // Real tiles [n, 3, M, M] (float32) -> image features [n, image_seq_len, text hidden].
  // Tiles are independent; `chunk` bounds how many run through the tower at once.
  torch::Tensor image_features(const torch::Tensor& tiles, int chunk = 2, Trace* trace = nullptr) const;

  // Token embeddings [B, L, H] with the `<image>` positions replaced, in order, by the rows of
  // `features` ([n, seq, H], all images of the batch in sequence order).
  torch::Tensor merge_inputs(const torch::Tensor& input_ids, const torch::Tensor& features) const;

  // Decoder + head: embeddings [B, L, H] and attention_mask [B, L] (1 real, 0 padding; left
  // padding as the reference) -> unit vectors [B, L, D] in float32, zero at padding.
  torch::Tensor embed_sequence(const torch::Tensor& inputs_embeds, const torch::Tensor& attention_mask,
                               Trace* trace = nullptr) const;

 private:
  torch::Tensor connector(const torch::Tensor& hidden) const;

  Config config_;
  torch::ScalarType dtype_;
  std::unique_ptr<siglip::SiglipTower> vision_tower_;
  Linear modality_projection_;
  torch::Tensor embed_tokens_;
  std::vector<transformer::DecoderLayer> text_layers_;
  Norm final_norm_;
  Linear head_;
};

}  // namespace patchwise::models::idefics3
