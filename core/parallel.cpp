#include "core/parallel.h"

#include <exception>
#include <mutex>

namespace patchwise::core {

void run_parts(int parts, const std::vector<std::size_t>& bounds,
               const std::function<void(int, std::size_t, std::size_t)>& body) {
  std::exception_ptr failure;
  std::mutex failure_mutex;
  auto guarded = [&](int part) {
    try {
      body(part, bounds[part], bounds[part + 1]);
    } catch (...) {
      const std::lock_guard lock(failure_mutex);
      if (!failure) failure = std::current_exception();
    }
  };
  std::vector<std::jthread> workers;
  workers.reserve(parts > 0 ? parts - 1 : 0);
  for (int p = 1; p < parts; ++p) workers.emplace_back(guarded, p);
  if (parts > 0) guarded(0);
  workers.clear();  // joins
  if (failure) std::rethrow_exception(failure);
}

std::vector<std::size_t> split_pages_by_rows(const Corpus& corpus, int parts) {
  const auto offsets = corpus.offsets();
  const std::size_t pages = corpus.page_count();
  const std::size_t rows = corpus.total_rows();
  std::vector<std::size_t> bounds(parts + 1, pages);
  bounds[0] = 0;
  for (int p = 1; p < parts; ++p) {
    const std::size_t target = rows * static_cast<std::size_t>(p) / static_cast<std::size_t>(parts);
    const auto it = std::lower_bound(offsets.begin(), offsets.end() - 1, target);
    bounds[p] = std::max(bounds[p - 1], static_cast<std::size_t>(it - offsets.begin()));
  }
  return bounds;
}

std::vector<std::size_t> split_evenly(std::size_t n, int parts) {
  std::vector<std::size_t> bounds(parts + 1);
  for (int p = 0; p <= parts; ++p) bounds[p] = n * static_cast<std::size_t>(p) / static_cast<std::size_t>(parts);
  return bounds;
}

}  // namespace patchwise::core
