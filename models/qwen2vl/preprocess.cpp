#include "models/qwen2vl/preprocess.h"

#include <algorithm>
#include <cmath>
#include <string>

#include "core/error.h"
#include "models/common/encoder_support.h"

namespace patchwise::models::qwen2vl {

Size smart_resize(Size in, int factor, int min_pixels, int max_pixels) {
  const double h = in.height;
  const double w = in.width;
  if (in.width <= 0 || in.height <= 0) throw Error("cannot resize an empty image");
  if (std::max(h, w) / std::min(h, w) > 200) {
    throw Error("image of " + std::to_string(in.width) + "x" + std::to_string(in.height) +
                " has an aspect ratio above 200, which Qwen2-VL preprocessing rejects");
  }
  // Python's round() rounds half to even, as nearbyint does in the default rounding mode.
  double h_bar = std::nearbyint(h / factor) * factor;
  double w_bar = std::nearbyint(w / factor) * factor;
  if (h_bar * w_bar > max_pixels) {
    const double beta = std::sqrt(h * w / max_pixels);
    h_bar = std::max<double>(factor, std::floor(h / beta / factor) * factor);
    w_bar = std::max<double>(factor, std::floor(w / beta / factor) * factor);
  } else if (h_bar * w_bar < min_pixels) {
    const double beta = std::sqrt(min_pixels / (h * w));
    h_bar = std::ceil(h * beta / factor) * factor;
    w_bar = std::ceil(w * beta / factor) * factor;
  }
  return {static_cast<int>(w_bar), static_cast<int>(h_bar)};
}

PreparedImage prepare_image(const vision::Image8& rgb, const PreprocessConfig& config) {
  if (rgb.channels != 3) throw Error("Qwen2-VL preprocessing needs an RGB image");
  PreparedImage out;
  out.resized = smart_resize({rgb.width, rgb.height}, config.factor(), config.min_pixels, config.max_pixels);
  const vision::Image8 image = vision::resize_like_pillow(rgb, out.resized.width, out.resized.height, config.filter);
  auto chw = torch::empty({3, image.height, image.width}, torch::kFloat32);
  normalize_into(image, config.rescale_factor, config.mean, config.std, chw.data_ptr<float>());

  const std::int64_t p = config.patch;
  const std::int64_t m = config.merge;
  const std::int64_t t = config.temporal_patch;
  out.grid = {image.height / config.patch, image.width / config.patch};
  const std::int64_t gh = out.grid.rows;
  const std::int64_t gw = out.grid.cols;
  // (T, C, H, W) -> (T, C, gh/m, m, P, gw/m, m, P) -> (gh/m, gw/m, m, m, C, T, P, P).
  out.patches = chw.unsqueeze(0)
                    .expand({t, 3, image.height, image.width})
                    .reshape({t, 3, gh / m, m, p, gw / m, m, p})
                    .permute({2, 5, 3, 6, 1, 0, 4, 7})
                    .reshape({gh * gw, 3 * t * p * p})
                    .contiguous();
  return out;
}

}  // namespace patchwise::models::qwen2vl
