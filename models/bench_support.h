#pragma once
// Shared by the real-size encoder cost benchmarks (models/*/bench/): a synthetic letter page and
// the process's peak resident memory. Header-only; not part of the library.
#include <sys/resource.h>

#include <cstddef>
#include <cstdio>
#include <exception>
#include <functional>
#include <string>

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

// The benchmarks' command line: `make DIR` writes a random-weight checkpoint, `run DIR f32|bf16
// [threads=2] [repeats]` measures it. Returns the process exit code.
inline int bench_main(int argc, char** argv, const std::function<void(const std::string& dir)>& make,
                      const std::function<int(const std::string& dir, const std::string& dtype, int threads,
                                              int repeats)>& run,
                      int default_repeats) {
  try {
    const std::string mode = argc > 1 ? argv[1] : "";
    if (mode == "make" && argc == 3) {
      make(argv[2]);
      std::printf("wrote %s; peak RSS %.0f MiB\n", argv[2], peak_rss_mib());
      return 0;
    }
    if (mode == "run" && argc >= 4) {
      return run(argv[2], argv[3], argc > 4 ? std::stoi(argv[4]) : 2, argc > 5 ? std::stoi(argv[5]) : default_repeats);
    }
    std::fprintf(stderr, "usage: %s make DIR | run DIR f32|bf16 [threads] [repeats]\n", argv[0]);
    return 2;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "error: %s\n", e.what());
    return 1;
  }
}

}  // namespace patchwise::models::bench
