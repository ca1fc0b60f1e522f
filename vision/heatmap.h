#pragma once
// Similarity overlays: one value per patch-grid cell, colour-mapped and blended onto the page,
// for `patchwise explain --out heatmap.png` and the GUI.
#include <cstdint>
#include <optional>
#include <span>

#include "core/patch_grid.h"
#include "vision/page_image.h"

namespace patchwise::vision {

enum class HeatmapColors { turbo, inferno, viridis, jet };

struct ValueRange {
  float low = 0;
  float high = 1;
};

struct HeatmapOptions {
  // How strongly the hottest cell is tinted (0 = invisible, 1 = opaque). A cell's tint is
  // opacity * t, where t in 0..1 is its value within the range, so cold cells leave the
  // page readable. Default: 0.6.
  float opacity = 0.6f;
  // Values mapped to t = 0..1 (clamped). Default: min..max of the drawn cells' values.
  std::optional<ValueRange> range;
  HeatmapColors colors = HeatmapColors::turbo;
  // Draw a frame around the cell with the highest value. Default: on.
  bool outline_best = true;
  // Draw only cells of this grid source (0 = the global view, 1.. = tiles). Default: all.
  std::optional<std::uint16_t> source;
};

// A copy of `page` with the overlay. `values` holds one value per grid cell; cells with an
// empty rectangle or a non-finite value are skipped. Where cells overlap (a global view and
// tiles), the hotter one shows. Throws patchwise::Error when values and grid sizes differ, or
// the page is empty or malformed.
PageImage draw_heatmap(const PageImage& page, const core::PatchGrid& grid, std::span<const float> values,
                       const HeatmapOptions& options = {});

// Index of the highest finite value among the cells draw_heatmap would draw, or nullopt.
std::optional<std::size_t> hottest_cell(const core::PatchGrid& grid, std::span<const float> values,
                                        std::optional<std::uint16_t> source = std::nullopt);

}  // namespace patchwise::vision
