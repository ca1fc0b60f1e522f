// Portable MaxSim kernels: the fallback on CPUs without AVX2, and the second opinion the
// SIMD kernels are tested against. Same arithmetic contract (fp32 accumulation).
#include <bit>
#include <cstring>
#include <limits>

#include "core/maxsim_kernel_impl.h"
#include "core/quantize.h"

namespace patchwise::core::kernels {
namespace {

float page_score_dense(const PreparedQuery& q, const Corpus& corpus, std::size_t page,
                       float* row) {
  const std::size_t dim = corpus.dim();
  const std::size_t rows = corpus.rows(page);
  if (rows == 0) return 0.0f;
  const auto bytes = corpus.page_bytes(page);
  const auto scales = corpus.page_scales(page);
  float total = 0;
  std::vector<float> best(q.tokens(), -std::numeric_limits<float>::infinity());
  for (std::size_t p = 0; p < rows; ++p) {
    decode_row(corpus.form(), bytes.data() + p * corpus.row_bytes(),
               scales.empty() ? 1.0f : scales[p], std::span<float>(row, dim));
    for (std::size_t t = 0; t < q.tokens(); ++t) {
      const auto qt = q.original().row(t);
      float dot = 0;
      for (std::size_t d = 0; d < dim; ++d) dot += qt[d] * row[d];
      if (dot > best[t]) best[t] = dot;
    }
  }
  for (const float b : best) total += b;
  return total;
}

float page_score_bits(const PreparedQuery& q, const Corpus& corpus, std::size_t page,
                      const float* cos_table) {
  const std::size_t rows = corpus.rows(page);
  if (rows == 0) return 0.0f;
  const std::size_t words = q.words_per_row();
  const std::size_t row_bytes = corpus.row_bytes();
  const auto bytes = corpus.page_bytes(page);
  float total = 0;
  std::vector<std::uint64_t> row(words);
  std::vector<std::size_t> best(q.tokens(), corpus.dim());  // fewest differing bits
  for (std::size_t p = 0; p < rows; ++p) {
    std::memcpy(row.data(), bytes.data() + p * row_bytes, row_bytes);
    for (std::size_t t = 0; t < q.tokens(); ++t) {
      std::size_t h = 0;
      for (std::size_t w = 0; w < words; ++w) {
        h += static_cast<std::size_t>(std::popcount(row[w] ^ q.sign_bits()[t * words + w]));
      }
      if (h < best[t]) best[t] = h;
    }
  }
  for (std::size_t t = 0; t < q.tokens(); ++t) total += q.token_norms()[t] * cos_table[best[t]];
  return total;
}

}  // namespace

void score_pages_scalar(const PreparedQuery& query, const Corpus& corpus, std::size_t begin,
                        std::size_t end, float* out, float* scratch, const float* cos_table) {
  for (std::size_t i = begin; i < end; ++i) {
    out[i - begin] = corpus.form() == VectorForm::bit1
                         ? page_score_bits(query, corpus, i, cos_table)
                         : page_score_dense(query, corpus, i, scratch);
  }
}

}  // namespace patchwise::core::kernels
