#include "models/idefics3/preprocess.h"

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "core/error.h"
#include "models/encoder_support.h"

namespace patchwise::models::idefics3 {
namespace {

constexpr int kMaxImageSize = 4096;  // transformers' MAX_IMAGE_SIZE for Idefics3

int ceil_to_multiple(int value, int m) { return static_cast<int>(std::ceil(static_cast<double>(value) / m)) * m; }

vision::Image8 crop(const vision::Image8& img, int x0, int y0, int x1, int y1) {
  vision::Image8 out;
  out.width = x1 - x0;
  out.height = y1 - y0;
  out.channels = img.channels;
  out.pixels.resize(static_cast<std::size_t>(out.width) * out.height * out.channels);
  const std::size_t row_bytes = static_cast<std::size_t>(out.width) * img.channels;
  for (int y = 0; y < out.height; ++y) {
    const auto* src = img.pixels.data() + (static_cast<std::size_t>(y0 + y) * img.width + x0) * img.channels;
    std::copy_n(src, row_bytes, out.pixels.data() + y * row_bytes);
  }
  return out;
}

}  // namespace

Size longest_edge_size(Size in, int longest_edge) {
  int w = in.width;
  int h = in.height;
  double aspect = static_cast<double>(w) / h;
  if (w >= h) {
    w = longest_edge;
    h = static_cast<int>(w / aspect);
    if (h % 2 != 0) ++h;
  } else {
    h = longest_edge;
    w = static_cast<int>(h * aspect);
    if (w % 2 != 0) ++w;
  }
  h = std::max(h, 1);
  w = std::max(w, 1);
  aspect = static_cast<double>(w) / h;
  if (w >= h && w > kMaxImageSize) {
    w = kMaxImageSize;
    h = static_cast<int>(w / aspect);
  } else if (h > w && h > kMaxImageSize) {
    h = kMaxImageSize;
    w = static_cast<int>(h * aspect);
  }
  return {std::max(w, 1), std::max(h, 1)};
}

Size tile_multiple_size(Size in, int tile) {
  const double aspect = static_cast<double>(in.width) / in.height;
  int w = in.width;
  int h = in.height;
  if (w >= h) {
    w = ceil_to_multiple(w, tile);
    h = ceil_to_multiple(static_cast<int>(w / aspect), tile);
  } else {
    h = ceil_to_multiple(h, tile);
    w = ceil_to_multiple(static_cast<int>(h * aspect), tile);
  }
  return {w, h};
}

PreparedImage prepare_image(const vision::Image8& rgb, const PreprocessConfig& config) {
  if (rgb.channels != 3) throw Error("Idefics3 preprocessing needs an RGB image");
  const int m = config.tile_size;
  const Size first = longest_edge_size({rgb.width, rgb.height}, config.longest_edge);
  vision::Image8 image = vision::resize_like_pillow(rgb, first.width, first.height, config.filter);

  PreparedImage out;
  std::vector<vision::Image8> frames;
  if (config.split_image) {
    const Size canvas = tile_multiple_size(first, m);
    image = vision::resize_like_pillow(image, canvas.width, canvas.height, config.filter);
    out.resized = canvas;
    if (canvas.height > m || canvas.width > m) {
      out.rows = (canvas.height + m - 1) / m;
      out.cols = (canvas.width + m - 1) / m;
      const int tile_h = (canvas.height + out.rows - 1) / out.rows;
      const int tile_w = (canvas.width + out.cols - 1) / out.cols;
      for (int r = 0; r < out.rows; ++r) {
        for (int c = 0; c < out.cols; ++c) {
          frames.push_back(crop(image, c * tile_w, r * tile_h, std::min((c + 1) * tile_w, canvas.width),
                                std::min((r + 1) * tile_h, canvas.height)));
        }
      }
      image = vision::resize_like_pillow(image, m, m, config.filter);
    }
  } else {
    image = vision::resize_like_pillow(image, m, m, config.filter);
    out.resized = {m, m};
  }
  frames.push_back(std::move(image));

  out.tiles = torch::empty({static_cast<long>(frames.size()), 3, m, m}, torch::kFloat32);
  float* dst = out.tiles.data_ptr<float>();
  for (const auto& frame : frames) {
    if (frame.width != m || frame.height != m) throw Error("Idefics3 preprocessing produced a tile of the wrong size");
    normalize_into(frame, config.rescale_factor, config.mean, config.std, dst);
    dst += static_cast<std::size_t>(3) * m * m;
  }
  return out;
}

}  // namespace patchwise::models::idefics3
