#pragma once
// The first-pass index of tiered search: every page summarised by a few pooled vectors
// (k-means means of its rows), stored compactly. Scoring it costs rows_per_page / rows of a
// brute-force pass; the Searcher then re-scores the best candidates exactly.
#include <cstddef>

#include "core/corpus.h"
#include "core/vector_form.h"

namespace patchwise::core {

struct FirstPassOptions {
  // Default: 32 pooled vectors per page: on synthetic pages of 24 topics, 32 rows kept
  // recall@10 at 1.00 with 400 candidates where 16 rows needed 800 (see kDefaultCandidates).
  std::size_t rows_per_page = 32;
  // Default: int8 (a quarter of f32; it ranked exactly like f16 pooled rows in the same test).
  VectorForm form = VectorForm::int8;
  int iterations = 3;                 // Default: 3 Lloyd iterations per page.
  int threads = 0;                    // Default: 0 = one per core.
};

// Same pages, same order and ids as `corpus`; pages with fewer rows keep all of them.
// `reuse` (optional): an earlier first pass built with the same options, e.g. before pages
// were added to a library; pages found in it by id (with the expected row count) are copied
// instead of pooled again. A library never reuses a page id, so an id names the same vectors.
Corpus build_first_pass(const Corpus& corpus, const FirstPassOptions& options = {},
                        const Corpus* reuse = nullptr);

}  // namespace patchwise::core
