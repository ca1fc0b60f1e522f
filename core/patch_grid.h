#pragma once
// Where each embedding row of a page came from, so a match can be drawn on the page.
// Rectangles are fractions of the page (0..1, origin top-left), so they survive zoom
// and any rendering resolution.
#include <cstddef>
#include <cstdint>
#include <vector>

namespace patchwise::core {

struct NormRect {
  float x0 = 0, y0 = 0, x1 = 0, y1 = 0;
  bool empty() const { return x1 <= x0 || y1 <= y0; }
  friend bool operator==(const NormRect&, const NormRect&) = default;
};

// One entry per embedding row. Rows that are not image patches (prompt tokens,
// special tokens) have an empty rectangle and are never highlighted.
// `source` tells which image the row was computed from: 0 is the whole page
// (a global view), 1.. are sub-image tiles; the GUI may choose to show only tiles.
struct PatchGrid {
  std::vector<NormRect> cells;
  std::vector<std::uint16_t> source;

  std::size_t size() const { return cells.size(); }
  void add(NormRect r, std::uint16_t src = 0) {
    cells.push_back(r);
    source.push_back(src);
  }
};

}  // namespace patchwise::core
