#pragma once
// Internal to the MaxSim kernels: one entry point per instruction set, all with the same
// contract as core::score_pages (arguments already checked). `scratch` holds at least
// kScratchRows * (dim + 2) floats, for decoding a block of rows; `cos_table` is
// cos(pi * h / dim) for h = 0..dim (the similarity two unit vectors with h differing sign
// bits are expected to have), used by bit1 corpora.
#include <cstddef>

#include "core/corpus.h"
#include "core/maxsim_kernel.h"

namespace patchwise::core::kernels {

inline constexpr std::size_t kScratchRows = 8;

void score_pages_scalar(const PreparedQuery& query, const Corpus& corpus, std::size_t begin,
                        std::size_t end, float* out, float* scratch, const float* cos_table);
void score_pages_avx2(const PreparedQuery& query, const Corpus& corpus, std::size_t begin,
                      std::size_t end, float* out, float* scratch, const float* cos_table);

}  // namespace patchwise::core::kernels
