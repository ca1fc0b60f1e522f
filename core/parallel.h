#pragma once
// Static work splitting for the search kernels: a fixed split decided up front (no queue,
// no stealing), which for MaxSim is balanced because work is proportional to page rows.
#include <algorithm>
#include <cstddef>
#include <functional>
#include <thread>
#include <vector>

#include "core/corpus.h"

namespace patchwise::core {

// `requested` threads, or one per core when 0 or negative.
inline int resolve_threads(int requested) {
  if (requested > 0) return requested;
  return static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
}

// Runs body(part, begin, end) on `parts` threads (the calling thread takes part 0).
// Exceptions from any part are rethrown here, the first one wins.
void run_parts(int parts, const std::vector<std::size_t>& bounds,
               const std::function<void(int, std::size_t, std::size_t)>& body);

// parts + 1 page boundaries over [0, page_count) giving each part about the same number
// of rows (not pages: pages have different lengths).
std::vector<std::size_t> split_pages_by_rows(const Corpus& corpus, int parts);

// parts + 1 boundaries over [0, n) with equal counts.
std::vector<std::size_t> split_evenly(std::size_t n, int parts);

}  // namespace patchwise::core
