#pragma once
// The first-pass index of tiered search: every page summarised by a few pooled vectors
// (k-means means of its rows), stored compactly. Scoring it costs rows_per_page / rows of a
// brute-force pass; the Searcher then re-scores the best candidates exactly.
#include <cstddef>

#include "core/corpus.h"
#include "core/vector_form.h"

namespace patchwise::core {

struct FirstPassOptions {
  std::size_t rows_per_page = 16;     // Default: 16 pooled vectors per page (by measurement).
  VectorForm form = VectorForm::int8;  // Default: int8 (a quarter of f32; the kernels' fastest).
  int iterations = 3;                 // Default: 3 Lloyd iterations per page.
  int threads = 0;                    // Default: 0 = one per core.
};

// Same pages, same order and ids as `corpus`; pages with fewer rows keep all of them.
Corpus build_first_pass(const Corpus& corpus, const FirstPassOptions& options = {});

}  // namespace patchwise::core
