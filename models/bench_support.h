#pragma once
// Shared by the real-size encoder cost benchmarks (models/*/bench/): a synthetic letter page and
// the process's peak resident memory. Header-only; not part of the library.
#include <sys/resource.h>

#include <cstddef>

#include "vision/page_image.h"

namespace patchwise::models::bench {

// A letter page at 150 dpi (1275 x 1650 px) with text-like stripes, so image patches differ.
inline vision::PageImage letter_page() {
  vision::PageImage page;
  page.width = 1275;
  page.height = 1650;
  page.width_pt = 612;
  page.height_pt = 792;
  page.rgb.resize(std::size_t(page.width) * page.height * 3);
  for (int y = 0; y < page.height; ++y) {
    for (int x = 0; x < page.width; ++x) {
      const bool ink = (y / 12) % 3 == 0 && (x / 7 + y / 36) % 5 != 0 && x > 100 && x < 1175;
      for (int c = 0; c < 3; ++c) page.rgb[(std::size_t(y) * page.width + x) * 3 + c] = ink ? 20 : 250;
    }
  }
  return page;
}

// Peak resident set size of this process so far, in MiB.
inline double peak_rss_mib() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_maxrss) / 1024.0;
}

}  // namespace patchwise::models::bench
