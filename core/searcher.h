#pragma once
// Ranks the pages of a Corpus against a query by MaxSim.
#include <cstddef>
#include <cstdint>
#include <vector>

#include "core/corpus.h"
#include "core/explanation.h"
#include "core/multi_vector.h"

namespace patchwise::core {

struct Hit {
  std::int64_t page_id;
  float score;
};

struct SearchOptions {
  std::size_t k = 10;  // Default: 10 best pages.
  bool exact = true;   // Default: brute force over every page.
  int threads = 0;     // Default: 0 = one per core.
};

class Searcher {
 public:
  explicit Searcher(const Corpus& corpus) : corpus_(corpus) {}

  std::vector<Hit> search(const MultiVector& query, const SearchOptions& options = {}) const;
  Explanation explain(const MultiVector& query, std::size_t page_index) const;

 private:
  const Corpus& corpus_;
};

}  // namespace patchwise::core
