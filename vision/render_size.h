#pragma once
// How many pixels a page becomes for a RenderTarget. Shared by the PDF and image backends so
// both honour the same pixel budget the same way.
#include "vision/document.h"

namespace patchwise::vision {

struct PixelSize {
  int width = 0;
  int height = 0;
};

// Hard ceiling on any render, whatever the caller's budget: 100 megapixels is 300 MB of RGB8,
// which is already more than any encoder wants.
inline constexpr long kMaxRenderPixels = 100'000'000;

// Throws patchwise::Error (prefixed by `where`) when dpi is not positive and finite or when
// max_pixels is not in 1..kMaxRenderPixels.
void check_render_target(const RenderTarget& target, const std::string& where);

// Pixel size of a `width_pt` x `height_pt` page at target.dpi, scaled down (aspect kept,
// each side at least 1 pixel) so that width*height <= target.max_pixels.
// Throws patchwise::Error for a page size that is not positive and finite.
PixelSize render_size(PageSize page, const RenderTarget& target, const std::string& where);

// The same budget for an image that already has pixels (scans): never upscales.
PixelSize fit_pixels(PixelSize source, long max_pixels);

}  // namespace patchwise::vision
