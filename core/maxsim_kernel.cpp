#include "core/maxsim_kernel.h"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <string>

#include "core/error.h"
#include "core/maxsim_kernel_impl.h"

namespace patchwise::core {
namespace {

// Largest int16 code for the query's int8 path: keeps sum over dims of 127 * code in int32.
std::int32_t pair_code_limit(std::size_t dim) {
  const double bound = 2147483647.0 / (127.0 * static_cast<double>(std::max<std::size_t>(dim + 1, 1)));
  return static_cast<std::int32_t>(std::min(32767.0, std::floor(bound)));
}

}  // namespace

PreparedQuery::PreparedQuery(const MultiVector& query)
    : tokens_(query.rows()),
      dim_(query.dim()),
      padded_(std::max<std::size_t>(8, (query.rows() + 7) / 8 * 8)),
      original_(query),
      transposed_(dim_ * padded_, 0.0f),
      pairs_(dim_pairs() * padded_ * 2, 0),
      pair_scales_(padded_, 0.0f),
      sign_bits_(tokens_ * words_per_row(), 0),
      token_norms_(tokens_, 0.0f) {
  const std::int32_t limit = pair_code_limit(dim_);
  for (std::size_t t = 0; t < tokens_; ++t) {
    const auto row = query.row(t);
    float peak = 0;
    double norm = 0;
    for (std::size_t d = 0; d < dim_; ++d) {
      transposed_[d * padded_ + t] = row[d];
      peak = std::max(peak, std::abs(row[d]));
      norm += double(row[d]) * row[d];
      if (row[d] > 0) sign_bits_[t * words_per_row() + d / 64] |= std::uint64_t{1} << (d % 64);
    }
    token_norms_[t] = static_cast<float>(std::sqrt(norm));
    pair_scales_[t] = peak > 0 ? peak / static_cast<float>(limit) : 0.0f;
    const float inverse = peak > 0 ? static_cast<float>(limit) / peak : 0.0f;
    for (std::size_t d = 0; d < dim_; ++d) {
      const long code = std::lround(row[d] * inverse);
      pairs_[((d / 2) * padded_ + t) * 2 + d % 2] =
          static_cast<std::int16_t>(std::clamp<long>(code, -limit, limit));
    }
  }
}

KernelIsa best_kernel_isa() {
#if defined(__x86_64__) || defined(__i386__)
  static const bool avx2 = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma") &&
                           __builtin_cpu_supports("f16c") && __builtin_cpu_supports("popcnt");
  return avx2 ? KernelIsa::avx2 : KernelIsa::scalar;
#else
  return KernelIsa::scalar;
#endif
}

std::string_view kernel_isa_name(KernelIsa isa) {
  return isa == KernelIsa::avx2 ? "avx2+fma" : "scalar";
}

void score_pages(const PreparedQuery& query, const Corpus& corpus, std::size_t begin,
                 std::size_t end, std::span<float> out, KernelIsa isa) {
  if (query.dim() != corpus.dim()) {
    throw Error("MaxSim: the query has dimension " + std::to_string(query.dim()) +
                " but the corpus's vectors have " + std::to_string(corpus.dim()));
  }
  if (begin > end || end > corpus.page_count() || out.size() < end - begin) {
    throw Error("MaxSim: page range [" + std::to_string(begin) + ", " + std::to_string(end) +
                ") does not fit a corpus of " + std::to_string(corpus.page_count()) +
                " pages and an output of " + std::to_string(out.size()));
  }
  if (isa == KernelIsa::avx2 && best_kernel_isa() != KernelIsa::avx2) {
    throw Error("MaxSim: this CPU lacks AVX2/FMA/F16C; use the scalar kernels");
  }
  const std::size_t dim = corpus.dim();
  std::vector<float> scratch(kernels::kScratchRows * (dim + 2));
  std::vector<float> cos_table(dim + 1);
  for (std::size_t h = 0; h <= dim; ++h) {
    cos_table[h] = dim ? static_cast<float>(std::cos(std::numbers::pi * double(h) / double(dim))) : 0;
  }
  if (isa == KernelIsa::avx2) {
    kernels::score_pages_avx2(query, corpus, begin, end, out.data(), scratch.data(), cos_table.data());
  } else {
    kernels::score_pages_scalar(query, corpus, begin, end, out.data(), scratch.data(), cos_table.data());
  }
}

}  // namespace patchwise::core
