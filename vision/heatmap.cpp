#include "vision/heatmap.h"

#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cmath>
#include <limits>

#include "core/error.h"
#include "vision/cv_image.h"

namespace patchwise::vision {
namespace {

bool drawn(const core::PatchGrid& grid, std::span<const float> values, std::size_t i,
           std::optional<std::uint16_t> source) {
  if (grid.cells[i].empty() || !std::isfinite(values[i])) return false;
  return !source || (i < grid.source.size() && grid.source[i] == *source);
}

int opencv_colormap(HeatmapColors colors) {
  switch (colors) {
    case HeatmapColors::inferno: return cv::COLORMAP_INFERNO;
    case HeatmapColors::viridis: return cv::COLORMAP_VIRIDIS;
    case HeatmapColors::jet: return cv::COLORMAP_JET;
    case HeatmapColors::turbo: break;
  }
  return cv::COLORMAP_TURBO;
}

// The pixels a normalised rectangle covers: every pixel it touches, clipped to the page.
cv::Rect pixel_rect(const core::NormRect& r, int width, int height) {
  const int x0 = std::clamp(int(std::floor(r.x0 * width)), 0, width);
  const int y0 = std::clamp(int(std::floor(r.y0 * height)), 0, height);
  const int x1 = std::clamp(int(std::ceil(r.x1 * width)), 0, width);
  const int y1 = std::clamp(int(std::ceil(r.y1 * height)), 0, height);
  return {x0, y0, x1 - x0, y1 - y0};
}

ValueRange range_of(const core::PatchGrid& grid, std::span<const float> values, const HeatmapOptions& options) {
  if (options.range) return *options.range;
  ValueRange r{std::numeric_limits<float>::max(), std::numeric_limits<float>::lowest()};
  for (std::size_t i = 0; i < grid.size(); ++i) {
    if (!drawn(grid, values, i, options.source)) continue;
    r.low = std::min(r.low, values[i]);
    r.high = std::max(r.high, values[i]);
  }
  return r;
}

// Per pixel: the highest t (0..1) of the cells covering it, or -1 where no cell is drawn.
cv::Mat heat_layer(const PageImage& page, const core::PatchGrid& grid, std::span<const float> values,
                   const HeatmapOptions& options) {
  const ValueRange r = range_of(grid, values, options);
  const float span = r.high - r.low;
  cv::Mat heat(page.height, page.width, CV_32F, cv::Scalar(-1));
  for (std::size_t i = 0; i < grid.size(); ++i) {
    if (!drawn(grid, values, i, options.source)) continue;
    // A flat range carries no contrast: show every cell half-way.
    const float t = span > 0 ? std::clamp((values[i] - r.low) / span, 0.0f, 1.0f) : 0.5f;
    cv::Mat cell = heat(pixel_rect(grid.cells[i], page.width, page.height));
    cv::max(cell, t, cell);
  }
  return heat;
}

void blend(PageImage& out, const cv::Mat& heat, HeatmapColors colors, float opacity) {
  cv::Mat t8;
  heat.convertTo(t8, CV_8U, 255.0);  // -1 (no cell) saturates to 0; those pixels are skipped
  cv::Mat tint_bgr;
  cv::applyColorMap(t8, tint_bgr, opencv_colormap(colors));
  const float a_max = std::clamp(opacity, 0.0f, 1.0f);
  for (int y = 0; y < out.height; ++y) {
    const float* h = heat.ptr<float>(y);
    const cv::Vec3b* tint = tint_bgr.ptr<cv::Vec3b>(y);
    std::uint8_t* px = out.rgb.data() + std::size_t(y) * out.width * 3;
    for (int x = 0; x < out.width; ++x, px += 3) {
      if (h[x] <= 0) continue;
      const float a = a_max * h[x];
      for (int c = 0; c < 3; ++c) {
        const float colour = tint[x][2 - c];  // BGR -> RGB
        px[c] = std::uint8_t(std::lround(px[c] + a * (colour - px[c])));
      }
    }
  }
}

void outline(PageImage& out, const core::NormRect& cell) {
  const cv::Rect r = pixel_rect(cell, out.width, out.height);
  if (r.width <= 0 || r.height <= 0) return;
  const int thickness = std::max(2, std::max(out.width, out.height) / 400);
  cv::Mat rgb = rgb_view(out);
  // A dark frame under a white one stays visible on both paper and dark tints.
  cv::rectangle(rgb, r, cv::Scalar(0, 0, 0), thickness + 2);
  cv::rectangle(rgb, r, cv::Scalar(255, 255, 255), thickness);
}

}  // namespace

std::optional<std::size_t> hottest_cell(const core::PatchGrid& grid, std::span<const float> values,
                                        std::optional<std::uint16_t> source) {
  std::optional<std::size_t> best;
  for (std::size_t i = 0; i < std::min(grid.size(), values.size()); ++i) {
    if (drawn(grid, values, i, source) && (!best || values[i] > values[*best])) best = i;
  }
  return best;
}

PageImage draw_heatmap(const PageImage& page, const core::PatchGrid& grid, std::span<const float> values,
                       const HeatmapOptions& options) {
  if (values.size() != grid.size()) {
    throw Error("heatmap: " + std::to_string(values.size()) + " values for a grid of " +
                std::to_string(grid.size()) + " cells (expected one value per cell)");
  }
  if (page.empty() || page.rgb.size() != std::size_t(page.width) * page.height * 3) {
    throw Error("heatmap: the page image is empty or malformed");
  }
  PageImage out = page;
  blend(out, heat_layer(page, grid, values, options), options.colors, options.opacity);
  if (options.outline_best) {
    if (const auto best = hottest_cell(grid, values, options.source)) outline(out, grid.cells[*best]);
  }
  return out;
}

}  // namespace patchwise::vision
