#pragma once
// Idefics3ImageProcessor (PIL path) in C++: longest-edge resize, resize to a multiple of the
// tile size, split into row-major tiles plus a global tile, rescale and normalise. Every resize
// is Pillow-exact and rounds to uint8, as the reference does between steps.
#include <torch/torch.h>

#include "models/idefics3/idefics3_config.h"
#include "vision/page_image.h"
#include "vision/resample.h"

namespace patchwise::models::idefics3 {

struct Size {
  int width = 0;
  int height = 0;
  friend bool operator==(const Size&, const Size&) = default;
};

// Step 1: the longest side becomes `longest_edge` (upscaling too), the other side keeps the
// aspect ratio, truncated and rounded up to even; then capped at 4096.
Size longest_edge_size(Size in, int longest_edge);
// Step 2: both sides rounded up to multiples of `tile` (the short side via the aspect ratio).
Size tile_multiple_size(Size in, int tile);

struct PreparedImage {
  int rows = 0;  // tile rows; 0 when the image was not split (a single global tile)
  int cols = 0;
  Size resized;          // size after step 2 (the canvas the tiles are cut from)
  torch::Tensor tiles;   // [rows*cols + 1, 3, tile, tile] float32: local tiles row-major, then global

  int tile_count() const { return static_cast<int>(tiles.size(0)); }
};

PreparedImage prepare_image(const vision::Image8& rgb, const PreprocessConfig& config);

}  // namespace patchwise::models::idefics3
