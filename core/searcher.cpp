#include "core/searcher.h"

#include <algorithm>
#include <limits>
#include <thread>

#include "core/error.h"
#include "core/top_k.h"

namespace patchwise::core {
namespace {

float maxsim_f32(const MultiVector& query, std::span<const float> page, std::size_t dim) {
  const std::size_t rows = page.size() / dim;
  if (rows == 0) return 0.0f;
  float total = 0;
  for (std::size_t t = 0; t < query.rows(); ++t) {
    const float* q = query.row(t).data();
    float best = -std::numeric_limits<float>::infinity();
    for (std::size_t p = 0; p < rows; ++p) {
      const float* v = page.data() + p * dim;
      float dot = 0;
      for (std::size_t d = 0; d < dim; ++d) dot += q[d] * v[d];
      best = std::max(best, dot);
    }
    total += best;
  }
  return total;
}

int resolve_threads(int requested) {
  if (requested > 0) return requested;
  return std::max(1u, std::thread::hardware_concurrency());
}

}  // namespace

std::vector<Hit> Searcher::search(const MultiVector& query, const SearchOptions& options) const {
  if (query.dim() != corpus_.dim()) {
    throw Error("search: the query has dimension " + std::to_string(query.dim()) +
                " but the library's vectors have " + std::to_string(corpus_.dim()));
  }
  const std::size_t n = corpus_.page_count();
  const int threads = std::min<int>(resolve_threads(options.threads), std::max<std::size_t>(1, n));
  std::vector<TopK> partial(threads, TopK(options.k));
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t) {
    pool.emplace_back([&, t] {
      for (std::size_t i = t; i < n; i += threads) {
        partial[t].push(maxsim_f32(query, corpus_.page_values(i), corpus_.dim()), i);
      }
    });
  }
  for (auto& th : pool) th.join();
  TopK all(options.k);
  for (const auto& p : partial) all.merge(p);
  std::vector<Hit> hits;
  for (const auto& s : all.sorted()) hits.push_back({corpus_.page_id(s.index), s.score});
  return hits;
}

Explanation Searcher::explain(const MultiVector& query, std::size_t page_index) const {
  return core::explain(query, corpus_.page_values(page_index), corpus_.dim());
}

}  // namespace patchwise::core
