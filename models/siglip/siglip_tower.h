#pragma once
// The SigLIP vision transformer shared by ColIdefics3 (SmolVLM), ColPali (PaliGemma) and
// ColModernVBERT: a strided conv patch embedding plus learned positions, pre-LN encoder layers
// (tanh-GELU MLP) and a final LayerNorm. Square tiles of a fixed size in, one hidden state per
// patch out. The attention-pooling head is never used for retrieval and is not loaded.
#include <string>
#include <vector>

#include <torch/torch.h>

#include "models/siglip/siglip_config.h"
#include "models/transformer/layers.h"

namespace patchwise::models::siglip {

class SiglipTower {
 public:
  // `prefix` is where the tower's tensors live, e.g. "model.vision_model.". `position_ids`
  // (int64, patches_per_side^2) selects the position embedding rows; undefined means 0..n-1.
  SiglipTower(const transformer::WeightLoader& load, const std::string& prefix, const SiglipConfig& config,
              torch::Tensor position_ids = {});

  const SiglipConfig& config() const { return config_; }

  // Tiles [n, 3, S, S] -> last hidden state [n, (S/patch)^2, hidden], post-LayerNorm. Records
  // vision_embeddings, vision_layer0_out and vision_last_hidden_state (appended per call).
  torch::Tensor forward(const torch::Tensor& tiles, transformer::Trace* trace = nullptr) const;

 private:
  struct Layer {
    transformer::Norm norm1, norm2;
    transformer::Linear q, k, v, out, fc1, fc2;
  };
  torch::Tensor self_attention(const Layer& layer, const torch::Tensor& x) const;
  torch::Tensor norm(const transformer::Norm& n, const torch::Tensor& x) const;

  SiglipConfig config_;
  torch::ScalarType dtype_;
  torch::Tensor patch_weight_, patch_bias_, position_embedding_, position_ids_;
  std::vector<Layer> layers_;
  transformer::Norm post_layernorm_;
};

}  // namespace patchwise::models::siglip
