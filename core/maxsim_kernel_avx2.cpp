// AVX2 + FMA MaxSim kernels (x86-64 only; chosen at run time by core::score_pages).
//
// Layout: the query is transposed (dim x padded tokens), so one 256-bit register holds one
// dimension of 8 tokens. A block of R page rows is scored against up to 32 tokens (NV
// registers) at once: each page value is broadcast and multiplied into R x NV accumulators
// that never leave registers; when the block's dimensions are done the accumulators are
// folded into the running per-token maxima. Stored rows are read in their own form and
// widened in a small block buffer (f16, bf16), or scored in int16 multiply-adds (int8).
//
// Everything compiled for AVX2 lives in an anonymous namespace inside the target pragma,
// so no AVX2 copy of a shared inline function can leak into code that runs on older CPUs.
#include "core/maxsim_kernel_impl.h"

#if defined(__x86_64__) || defined(__i386__)

#include <immintrin.h>

#include <cstdint>
#include <cstring>

namespace patchwise::core::kernels {
namespace {

struct QueryView {
  const float* transposed;   // dim x padded
  const std::int16_t* pairs;  // dim_pairs x padded x 2
  const float* pair_scales;
  const std::uint64_t* bits;
  const float* norms;
  std::size_t tokens, padded, dim, dim_pairs, words;
};

struct PageView {
  const std::byte* bytes;
  const float* scales;
  std::size_t rows;
};

#pragma GCC push_options
#pragma GCC target("avx2,fma,f16c,popcnt")

// Register tile sizes: R rows x NV token registers, at most 12 accumulators so the tile,
// the query registers and one broadcast fit in 16 ymm registers.
template <int NV>
constexpr int kRowsPerBlock = NV == 1 ? 8 : NV == 2 ? 5 : NV == 3 ? 3 : 3;

template <int NV, int R>
inline void block_f32(const float* qt, std::size_t padded, const float* rows, std::size_t dim,
                      __m256* best) {
  __m256 acc[R][NV];
  for (int r = 0; r < R; ++r)
    for (int v = 0; v < NV; ++v) acc[r][v] = _mm256_setzero_ps();
  for (std::size_t d = 0; d < dim; ++d) {
    const float* qd = qt + d * padded;
    __m256 q[NV];
    for (int v = 0; v < NV; ++v) q[v] = _mm256_loadu_ps(qd + 8 * v);
    for (int r = 0; r < R; ++r) {
      const __m256 b = _mm256_broadcast_ss(rows + r * dim + d);
      for (int v = 0; v < NV; ++v) acc[r][v] = _mm256_fmadd_ps(b, q[v], acc[r][v]);
    }
  }
  for (int v = 0; v < NV; ++v)
    for (int r = 0; r < R; ++r) best[v] = _mm256_max_ps(best[v], acc[r][v]);
}

// Widens `count` stored rows to fp32 in `out` (rows x dim). f32 rows are copied too: the
// broadcasts then hit L1 while the copy streams the arena sequentially, measurably faster
// than broadcasting straight from several rows in DRAM.
inline const float* widen_rows(VectorForm form, const std::byte* rows, std::size_t count,
                               std::size_t dim, float* out) {
  const std::size_t n = count * dim;
  if (form == VectorForm::f32) {
    const auto* f = reinterpret_cast<const float*>(rows);
    std::size_t i = 0;
    for (; i + 8 <= n; i += 8) _mm256_storeu_ps(out + i, _mm256_loadu_ps(f + i));
    for (; i < n; ++i) out[i] = f[i];
    return out;
  }
  const auto* h = reinterpret_cast<const std::uint16_t*>(rows);
  std::size_t i = 0;
  if (form == VectorForm::f16) {
    for (; i + 8 <= n; i += 8) {
      _mm256_storeu_ps(out + i, _mm256_cvtph_ps(_mm_loadu_si128(reinterpret_cast<const __m128i*>(h + i))));
    }
    for (; i < n; ++i) out[i] = _cvtsh_ss(h[i]);
  } else {  // bf16: the high half of an fp32
    for (; i + 8 <= n; i += 8) {
      const __m256i w = _mm256_cvtepu16_epi32(_mm_loadu_si128(reinterpret_cast<const __m128i*>(h + i)));
      _mm256_storeu_ps(out + i, _mm256_castsi256_ps(_mm256_slli_epi32(w, 16)));
    }
    for (; i < n; ++i) {
      const std::uint32_t u = std::uint32_t(h[i]) << 16;
      std::memcpy(out + i, &u, 4);
    }
  }
  return out;
}

inline float sum_tokens(const __m256* best, int nv, std::size_t first, std::size_t tokens,
                        const float* weights) {
  alignas(32) float lanes[32];
  for (int v = 0; v < nv; ++v) _mm256_store_ps(lanes + 8 * v, best[v]);
  float total = 0;
  for (std::size_t t = first; t < tokens && t < first + 8 * std::size_t(nv); ++t) {
    total += weights ? lanes[t - first] * weights[t] : lanes[t - first];
  }
  return total;
}

template <int NV>
float chunk_dense(const QueryView& q, std::size_t first, VectorForm form, const PageView& page,
                  std::size_t row_bytes, float* scratch) {
  constexpr int R = kRowsPerBlock<NV>;
  const float* qt = q.transposed + first;
  __m256 best[NV];
  for (int v = 0; v < NV; ++v) best[v] = _mm256_set1_ps(-3.0e38f);
  std::size_t p = 0;
  for (; p + R <= page.rows; p += R) {
    const float* rows = widen_rows(form, page.bytes + p * row_bytes, R, q.dim, scratch);
    block_f32<NV, R>(qt, q.padded, rows, q.dim, best);
  }
  for (; p < page.rows; ++p) {
    const float* rows = widen_rows(form, page.bytes + p * row_bytes, 1, q.dim, scratch);
    block_f32<NV, 1>(qt, q.padded, rows, q.dim, best);
  }
  return sum_tokens(best, NV, first, q.tokens, nullptr);
}

// int8 rows widened to int16 (dim padded to pairs), times the int16 query, in int32.
template <int NV, int R>
inline void block_int8(const std::int16_t* qp, std::size_t padded, const std::int16_t* rows,
                       std::size_t pairs, const float* scales, __m256* best) {
  __m256i acc[R][NV];
  for (int r = 0; r < R; ++r)
    for (int v = 0; v < NV; ++v) acc[r][v] = _mm256_setzero_si256();
  for (std::size_t k = 0; k < pairs; ++k) {
    const std::int16_t* qk = qp + k * padded * 2;
    __m256i q[NV];
    for (int v = 0; v < NV; ++v) q[v] = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(qk + 16 * v));
    for (int r = 0; r < R; ++r) {
      std::int32_t pair;
      std::memcpy(&pair, rows + r * pairs * 2 + 2 * k, 4);
      const __m256i b = _mm256_set1_epi32(pair);
      for (int v = 0; v < NV; ++v) acc[r][v] = _mm256_add_epi32(acc[r][v], _mm256_madd_epi16(b, q[v]));
    }
  }
  for (int r = 0; r < R; ++r) {
    const __m256 s = _mm256_set1_ps(scales[r]);
    for (int v = 0; v < NV; ++v) {
      best[v] = _mm256_max_ps(best[v], _mm256_mul_ps(_mm256_cvtepi32_ps(acc[r][v]), s));
    }
  }
}

inline void widen_int8(const std::byte* rows, std::size_t count, std::size_t dim,
                       std::size_t pairs, std::int16_t* out) {
  const auto* c = reinterpret_cast<const std::int8_t*>(rows);
  for (std::size_t r = 0; r < count; ++r) {
    const std::int8_t* src = c + r * dim;
    std::int16_t* dst = out + r * pairs * 2;
    std::size_t d = 0;
    for (; d + 16 <= dim; d += 16) {
      const __m256i w = _mm256_cvtepi8_epi16(_mm_loadu_si128(reinterpret_cast<const __m128i*>(src + d)));
      _mm256_storeu_si256(reinterpret_cast<__m256i*>(dst + d), w);
    }
    for (; d < dim; ++d) dst[d] = src[d];
    if (dim % 2) dst[dim] = 0;
  }
}

template <int NV>
float chunk_int8(const QueryView& q, std::size_t first, const PageView& page, std::int16_t* scratch) {
  constexpr int R = kRowsPerBlock<NV>;
  const std::int16_t* qp = q.pairs + first * 2;
  __m256 best[NV];
  for (int v = 0; v < NV; ++v) best[v] = _mm256_set1_ps(-3.0e38f);
  std::size_t p = 0;
  for (; p + R <= page.rows; p += R) {
    widen_int8(page.bytes + p * q.dim, R, q.dim, q.dim_pairs, scratch);
    block_int8<NV, R>(qp, q.padded, scratch, q.dim_pairs, page.scales + p, best);
  }
  for (; p < page.rows; ++p) {
    widen_int8(page.bytes + p * q.dim, 1, q.dim, q.dim_pairs, scratch);
    block_int8<NV, 1>(qp, q.padded, scratch, q.dim_pairs, page.scales + p, best);
  }
  return sum_tokens(best, NV, first, q.tokens, q.pair_scales);
}

float page_bits(const QueryView& q, const PageView& page, std::size_t row_bytes,
                const float* cos_table) {
  float total = 0;
  std::uint64_t row[8];
  const std::size_t words = q.words;
  for (std::size_t t0 = 0; t0 < q.tokens; t0 += 32) {
    const std::size_t n = q.tokens - t0 < 32 ? q.tokens - t0 : 32;
    std::uint32_t best[32];
    for (std::size_t t = 0; t < n; ++t) best[t] = std::uint32_t(q.dim);
    for (std::size_t p = 0; p < page.rows; ++p) {
      const std::byte* src = page.bytes + p * row_bytes;
      {
        row[words - 1] = 0;
        std::memcpy(row, src, row_bytes);
        for (std::size_t t = 0; t < n; ++t) {
          const std::uint64_t* qb = q.bits + (t0 + t) * words;
          std::uint32_t h = 0;
          for (std::size_t w = 0; w < words; ++w) h += std::uint32_t(_mm_popcnt_u64(row[w] ^ qb[w]));
          best[t] = h < best[t] ? h : best[t];
        }
      }
    }
    for (std::size_t t = 0; t < n; ++t) total += q.norms[t0 + t] * cos_table[best[t]];
  }
  return total;
}

float page_score(const QueryView& q, VectorForm form, const PageView& page, std::size_t row_bytes,
                 float* scratch, const float* cos_table) {
  if (page.rows == 0) return 0.0f;
  if (form == VectorForm::bit1) return page_bits(q, page, row_bytes, cos_table);
  float total = 0;
  for (std::size_t first = 0; first < q.tokens; first += 32) {
    const std::size_t nv = (q.padded - first) / 8 < 4 ? (q.padded - first) / 8 : 4;
    if (form == VectorForm::int8) {
      auto* s16 = reinterpret_cast<std::int16_t*>(scratch);
      total += nv == 1   ? chunk_int8<1>(q, first, page, s16)
               : nv == 2 ? chunk_int8<2>(q, first, page, s16)
               : nv == 3 ? chunk_int8<3>(q, first, page, s16)
                         : chunk_int8<4>(q, first, page, s16);
    } else {
      total += nv == 1   ? chunk_dense<1>(q, first, form, page, row_bytes, scratch)
               : nv == 2 ? chunk_dense<2>(q, first, form, page, row_bytes, scratch)
               : nv == 3 ? chunk_dense<3>(q, first, form, page, row_bytes, scratch)
                         : chunk_dense<4>(q, first, form, page, row_bytes, scratch);
    }
  }
  return total;
}

#pragma GCC pop_options

}  // namespace

void score_pages_avx2(const PreparedQuery& query, const Corpus& corpus, std::size_t begin,
                      std::size_t end, float* out, float* scratch, const float* cos_table) {
  const QueryView q{query.transposed(), query.pairs(),  query.pair_scales(),
                    query.sign_bits(),  query.token_norms(), query.tokens(),
                    query.padded_tokens(), query.dim(), query.dim_pairs(),
                    query.words_per_row()};
  if (corpus.form() == VectorForm::bit1 && q.words > 8) {
    score_pages_scalar(query, corpus, begin, end, out, scratch, cos_table);
    return;
  }
  const std::byte* arena = corpus.arena().data();
  const float* scales = corpus.scales().data();
  const auto offsets = corpus.offsets();
  const std::size_t row_bytes = corpus.row_bytes();
  for (std::size_t i = begin; i < end; ++i) {
    const PageView page{arena + offsets[i] * row_bytes, scales ? scales + offsets[i] : nullptr,
                        static_cast<std::size_t>(offsets[i + 1] - offsets[i])};
    out[i - begin] = page_score(q, corpus.form(), page, row_bytes, scratch, cos_table);
  }
}

}  // namespace patchwise::core::kernels

#else  // not x86: the dispatcher never selects AVX2

namespace patchwise::core::kernels {
void score_pages_avx2(const PreparedQuery& query, const Corpus& corpus, std::size_t begin,
                      std::size_t end, float* out, float* scratch, const float* cos_table) {
  score_pages_scalar(query, corpus, begin, end, out, scratch, cos_table);
}
}  // namespace patchwise::core::kernels

#endif
