#pragma once
// Exact MaxSim over a Corpus in any storage form: score = sum over query tokens of the
// best dot product with any of the page's rows. The token x patch similarity matrix is
// never materialised: each row block's dot products stay in registers and are folded into
// running per-token maxima. Accumulation is fp32 (int32 for the int8 form).
//
// The query is prepared once (transposed, padded to 8 tokens, quantised for int8 and
// bit1) and then scored against any number of pages; kernels are chosen at run time
// (AVX2+FMA when the CPU has it, portable scalar code otherwise).
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "core/corpus.h"
#include "core/multi_vector.h"

namespace patchwise::core {

class PreparedQuery {
 public:
  explicit PreparedQuery(const MultiVector& query);

  std::size_t tokens() const { return tokens_; }
  std::size_t dim() const { return dim_; }
  std::size_t padded_tokens() const { return padded_; }
  const MultiVector& original() const { return original_; }
  // dim x padded_tokens fp32, padding tokens are zero.
  const float* transposed() const { return transposed_.data(); }
  // ceil(dim/2) x padded_tokens x 2 int16: pairs of dimensions interleaved per token so one
  // 256-bit multiply-add covers 8 tokens x 2 dimensions.
  const std::int16_t* pairs() const { return pairs_.data(); }
  std::size_t dim_pairs() const { return (dim_ + 1) / 2; }
  // token value = pair_scale[t] * code (per-token scale of the int16 form).
  const float* pair_scales() const { return pair_scales_.data(); }
  // Sign bits of each token, words_per_row() 64-bit words each, and the token's norm.
  const std::uint64_t* sign_bits() const { return sign_bits_.data(); }
  std::size_t words_per_row() const { return (dim_ + 63) / 64; }
  const float* token_norms() const { return token_norms_.data(); }

 private:
  std::size_t tokens_;
  std::size_t dim_;
  std::size_t padded_;
  MultiVector original_;
  std::vector<float> transposed_;
  std::vector<std::int16_t> pairs_;
  std::vector<float> pair_scales_;
  std::vector<std::uint64_t> sign_bits_;
  std::vector<float> token_norms_;
};

enum class KernelIsa { scalar, avx2 };

// The fastest kernel set this CPU runs.
KernelIsa best_kernel_isa();
std::string_view kernel_isa_name(KernelIsa isa);

// Scores pages [begin, end) into out[0 .. end-begin). For bit1 corpora the score is the
// sign-agreement estimate sum_t |q_t| max_p cos(pi * hamming(q_t, p) / dim), a first-pass
// estimate only. Throws Error if the query's dimension differs from the corpus's.
void score_pages(const PreparedQuery& query, const Corpus& corpus, std::size_t begin,
                 std::size_t end, std::span<float> out, KernelIsa isa = best_kernel_isa());

inline float score_page(const PreparedQuery& query, const Corpus& corpus, std::size_t page,
                        KernelIsa isa = best_kernel_isa()) {
  float s = 0;
  score_pages(query, corpus, page, page + 1, std::span<float>(&s, 1), isa);
  return s;
}

}  // namespace patchwise::core
