#pragma once
// Qwen2VLImageProcessor (PIL path) in C++: smart resize to multiples of patch * merge within
// [min_pixels, max_pixels], Pillow-exact resize, rescale and normalise, then the patch rows
// the vision tower reads (models.md §4.3).
#include <torch/torch.h>

#include "models/qwen2vl/qwen2vl_config.h"
#include "vision/resample.h"

namespace patchwise::models::qwen2vl {

struct Size {
  int width = 0;
  int height = 0;
  friend bool operator==(const Size&, const Size&) = default;
};

// transformers' smart_resize: sides rounded (half to even) to multiples of `factor`, then
// scaled down or up, keeping the aspect ratio, to fit [min_pixels, max_pixels]. Throws
// patchwise::Error for an aspect ratio above 200.
Size smart_resize(Size in, int factor, int min_pixels, int max_pixels);

// An image's patch grid in patches (temporal grid 1: one image).
struct Grid {
  int rows = 0;  // gh = resized height / patch
  int cols = 0;  // gw = resized width / patch

  int patches() const { return rows * cols; }
};

struct PreparedImage {
  Size resized;
  Grid grid;
  // [gh * gw, C * T * P * P] float32: rows grouped in merge x merge blocks (blocks row-major),
  // each row laid out (channel, frame, py, px) with the image repeated for both frames.
  torch::Tensor patches;
};

PreparedImage prepare_image(const vision::Image8& rgb, const PreprocessConfig& config);

}  // namespace patchwise::models::qwen2vl
