#include "vision/render_size.h"

#include <algorithm>
#include <cmath>

#include "core/error.h"

namespace patchwise::vision {
namespace {

// Largest size with the aspect of (w, h) whose area is at most `budget`.
PixelSize shrink_to_budget(double w, double h, long budget) {
  const double scale = std::sqrt(double(budget) / (w * h));
  double fw = std::max(1.0, std::floor(w * scale));
  double fh = std::max(1.0, std::floor(h * scale));
  // A very thin page keeps its 1-pixel side; trim the long side so the area still fits.
  while (fw * fh > double(budget)) {
    if (fw >= fh) {
      fw = std::max(1.0, std::floor(double(budget) / fh));
    } else {
      fh = std::max(1.0, std::floor(double(budget) / fw));
    }
  }
  return {int(fw), int(fh)};
}

}  // namespace

void check_render_target(const RenderTarget& target, const std::string& where) {
  if (!std::isfinite(target.dpi) || target.dpi <= 0) {
    throw Error(where + ": render dpi must be positive, got " + std::to_string(target.dpi));
  }
  if (target.max_pixels < 1 || target.max_pixels > kMaxRenderPixels) {
    throw Error(where + ": render pixel budget must be 1.." + std::to_string(kMaxRenderPixels) +
                ", got " + std::to_string(target.max_pixels));
  }
}

PixelSize render_size(PageSize page, const RenderTarget& target, const std::string& where) {
  check_render_target(target, where);
  if (!std::isfinite(page.width_pt) || !std::isfinite(page.height_pt) || page.width_pt <= 0 ||
      page.height_pt <= 0) {
    throw Error(where + ": the page has no usable size (" + std::to_string(page.width_pt) + " x " +
                std::to_string(page.height_pt) + " pt)");
  }
  const double w = std::max(1.0, std::round(page.width_pt * target.dpi / 72.0));
  const double h = std::max(1.0, std::round(page.height_pt * target.dpi / 72.0));
  if (w * h <= double(target.max_pixels)) {
    return {int(w), int(h)};
  }
  return shrink_to_budget(w, h, target.max_pixels);
}

PixelSize fit_pixels(PixelSize source, long max_pixels) {
  if (double(source.width) * source.height <= double(max_pixels)) {
    return source;
  }
  return shrink_to_budget(source.width, source.height, max_pixels);
}

}  // namespace patchwise::vision
