#include "core/arithmetic_peak.h"

#include <time.h>

#include "core/maxsim_kernel.h"

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#endif

namespace patchwise::core {
namespace {

// Thread CPU time, not wall time: on a shared machine the wall clock counts other work.
double cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return double(ts.tv_sec) + double(ts.tv_nsec) * 1e-9;
}

#if defined(__x86_64__) || defined(__i386__)
#pragma GCC push_options
#pragma GCC target("avx2,fma")

// 12 independent chains hide the FMA latency on every current x86 core.
float fma_loop(long iterations, float seed) {
  __m256 a[12];
  for (int i = 0; i < 12; ++i) a[i] = _mm256_set1_ps(seed + float(i));
  const __m256 m = _mm256_set1_ps(0.999999f), c = _mm256_set1_ps(1e-7f);
  for (long it = 0; it < iterations; ++it) {
    for (int i = 0; i < 12; ++i) a[i] = _mm256_fmadd_ps(a[i], m, c);
  }
  __m256 s = a[0];
  for (int i = 1; i < 12; ++i) s = _mm256_add_ps(s, a[i]);
  alignas(32) float lanes[8];
  _mm256_store_ps(lanes, s);
  return lanes[0];
}

// The multiply-adds read a register that changes every iteration (so nothing is hoisted)
// and feed 12 independent accumulators, as in the int8 kernel.
int madd_loop(long iterations, int seed) {
  __m256i a[12], b[12];
  for (int i = 0; i < 12; ++i) {
    a[i] = _mm256_set1_epi32(seed + i);
    b[i] = _mm256_set1_epi16(short(seed + 3 * i));
  }
  __m256i m = _mm256_set1_epi16(3);
  const __m256i one = _mm256_set1_epi16(1);
  for (long it = 0; it < iterations; ++it) {
    m = _mm256_add_epi16(m, one);
    for (int i = 0; i < 12; ++i) a[i] = _mm256_add_epi32(a[i], _mm256_madd_epi16(m, b[i]));
  }
  __m256i s = a[0];
  for (int i = 1; i < 12; ++i) s = _mm256_add_epi32(s, a[i]);
  return _mm256_extract_epi32(s, 0);
}

#pragma GCC pop_options
#endif

template <class Loop>
double rate(Loop loop, double ops_per_iteration, double seconds) {
  long iterations = 1 << 16;
  for (;;) {
    const double start = cpu_seconds();
    loop(iterations);
    const double elapsed = cpu_seconds() - start;
    if (elapsed >= seconds) return ops_per_iteration * double(iterations) / elapsed / 1e9;
    iterations *= 2;
  }
}

}  // namespace

ArithmeticPeak measure_arithmetic_peak(double seconds) {
  ArithmeticPeak peak;
  peak.isa = kernel_isa_name(best_kernel_isa());
#if defined(__x86_64__) || defined(__i386__)
  if (best_kernel_isa() == KernelIsa::avx2) {
    volatile float sink_f = 0;
    volatile int sink_i = 0;
    peak.f32_gflops = rate([&](long n) { sink_f = sink_f + fma_loop(n, 1.0f); }, 12 * 8 * 2, seconds);
    peak.int16_gops = rate([&](long n) { sink_i = sink_i + madd_loop(n, 1); }, 12 * 16 * 2, seconds);
  }
#endif
  return peak;
}

}  // namespace patchwise::core
