#pragma once
// Ranks the pages of a Corpus against a query by MaxSim, brute force or tiered.
//
// Tiered search (faiss IndexRefine-style): a cheap first pass scores every page on a
// small stand-in corpus (same pages, in the same order, with far fewer or far smaller
// rows: pooled vectors, 1-bit signs, ...; see core/tiered_index.h), keeps the best
// `candidates` pages, and re-scores only those exactly on the full corpus.
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "core/corpus.h"
#include "core/explanation.h"
#include "core/maxsim_kernel.h"
#include "core/multi_vector.h"
#include "core/top_k.h"

namespace patchwise::core {

struct Hit {
  std::int64_t page_id;
  float score;
};

struct SearchOptions {
  std::size_t k = 10;  // Default: 10 best pages.
  // Default: false: tiered when the Searcher has a first pass, brute force otherwise.
  // true forces brute-force MaxSim over every page (`patchwise search --exact`).
  bool exact = false;
  int threads = 0;  // Default: 0 = one per core.
  // Pages the first pass hands to the exact rerank. Default: 0 = kDefaultCandidates,
  // or k if that is larger.
  std::size_t candidates = 0;
  KernelIsa isa = best_kernel_isa();  // Default: the fastest kernels this CPU runs.
};

// Chosen by measurement (10 queries on 2,000 synthetic pages, core/synthetic_corpus.h,
// first pass of 32 int8 k-means rows per page): recall@10 against exact search was 0.93
// with 50 candidates, 0.97 with 100, 0.98 with 200 and 1.00 with 400 and 800. With 16 rows
// per page 400 candidates gave only 0.96, with 8 rows 0.86.
inline constexpr std::size_t kDefaultCandidates = 400;

class Searcher {
 public:
  // Brute force only.
  explicit Searcher(const Corpus& corpus) : corpus_(corpus) {}
  // Tiered: `first_pass` must hold the same pages in the same order (throws Error if not).
  Searcher(const Corpus& corpus, const Corpus& first_pass);

  std::vector<Hit> search(const MultiVector& query, const SearchOptions& options = {}) const;
  // Several queries in one sweep over the corpus (each page is read once for all of them):
  // per query never slower than search(). Result i belongs to queries[i].
  std::vector<std::vector<Hit>> search_batch(std::span<const MultiVector> queries,
                                             const SearchOptions& options = {}) const;
  Explanation explain(const MultiVector& query, std::size_t page_index) const;

  const Corpus& corpus() const { return corpus_; }
  bool tiered() const { return first_pass_ != nullptr; }

 private:
  // Best k page indexes (with scores) per query, best first.
  std::vector<std::vector<Scored>> brute_force(std::span<const PreparedQuery> queries,
                                               const Corpus& corpus, std::size_t k,
                                               const SearchOptions& options) const;
  std::vector<Scored> rerank(const PreparedQuery& query, const std::vector<Scored>& candidates,
                             const SearchOptions& options) const;
  void check_dim(const MultiVector& query) const;

  const Corpus& corpus_;
  const Corpus* first_pass_ = nullptr;
};

}  // namespace patchwise::core
