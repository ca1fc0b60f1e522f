#pragma once
// The image half shared by the families that use the Idefics3 processor (ColIdefics3,
// ColModernVBERT): the SigLIP tower on each tile, then the pixel-shuffle connector
// (space-to-depth by the scale factor, then a bias-free projection to the text width).
#include <cstdint>
#include <string>

#include <torch/torch.h>

#include "models/siglip/siglip_tower.h"
#include "models/transformer/layers.h"

namespace patchwise::models::idefics3 {

class VisionConnector {
 public:
  // Reads model.vision_model.* and model.connector.modality_projection.proj.weight.
  // `family` names the model in errors; `position_ids` as for SiglipTower.
  VisionConnector(const transformer::WeightLoader& load, const siglip::SiglipConfig& vision, int scale_factor,
                  int text_hidden, std::string family, torch::Tensor position_ids = {});

  // Real tiles [n, 3, M, M] (float32) -> image features [n, (M/patch)^2 / scale^2, text_hidden].
  // Tiles are independent; `chunk` bounds how many run through the tower at once. Records the
  // tower's intermediates and connector_out (appended per chunk).
  torch::Tensor features(const torch::Tensor& tiles, int chunk, transformer::Trace* trace) const;

 private:
  // The pixel shuffle + projection of hidden states [n, side^2, d].
  torch::Tensor connect(const torch::Tensor& hidden) const;

  siglip::SiglipTower tower_;
  transformer::Linear projection_;
  std::int64_t scale_;
  std::string family_;
};

}  // namespace patchwise::models::idefics3
