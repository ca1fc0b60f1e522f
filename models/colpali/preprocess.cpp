#include "models/colpali/preprocess.h"

#include "core/error.h"
#include "models/common/encoder_support.h"

namespace patchwise::models::colpali {

torch::Tensor prepare_pixels(const vision::Image8& rgb, const PreprocessConfig& config) {
  if (rgb.channels != 3) throw Error("PaliGemma preprocessing needs an RGB image");
  const vision::Image8 resized = vision::resize_like_pillow(rgb, config.width, config.height, config.filter);
  auto pixels = torch::empty({3, config.height, config.width}, torch::kFloat32);
  normalize_into(resized, config.rescale_factor, config.mean, config.std, pixels.data_ptr<float>());
  return pixels;
}

}  // namespace patchwise::models::colpali
