#pragma once
// SiglipImageProcessor (PIL path) as PaliGemma uses it: the page is resized straight to the
// configured width x height (aspect ratio dropped) with Pillow-exact resampling, rescaled and
// normalised. No tiling.
#include <torch/torch.h>

#include "models/colpali/paligemma_config.h"
#include "vision/resample.h"

namespace patchwise::models::colpali {

// RGB page -> pixel values [3, height, width] float32.
torch::Tensor prepare_pixels(const vision::Image8& rgb, const PreprocessConfig& config);

}  // namespace patchwise::models::colpali
