#pragma once
// One rendered page. Contract: packed RGB8, row-major, width*height*3 bytes, plus the page's
// size in points (1/72 inch) so pixel positions map back to the page.
#include <cstdint>
#include <string>
#include <vector>

#include "core/patch_grid.h"

namespace patchwise::vision {

// A word of the PDF text layer with its box as fractions of the page (0..1, top-left origin).
struct Word {
  std::string text;  // UTF-8
  core::NormRect box;
};

struct PageImage {
  int width = 0;
  int height = 0;
  std::vector<std::uint8_t> rgb;
  double width_pt = 0;
  double height_pt = 0;
  std::vector<Word> words;  // empty for scans and images

  bool empty() const { return width == 0 || height == 0; }
  const std::uint8_t* pixel(int x, int y) const { return rgb.data() + (std::size_t(y) * width + x) * 3; }
};

}  // namespace patchwise::vision
