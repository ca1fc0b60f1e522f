// core_kernel_bench: MaxSim kernel throughput per storage form on synthetic ColPali-size
// pages (1030 x 128), one thread, against this core's measured fp32 FMA peak.
//   core_kernel_bench [pages=200] [tokens=32]
#include <time.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <vector>

#include "core/arithmetic_peak.h"
#include "core/maxsim_kernel.h"
#include "core/synthetic_corpus.h"

using namespace patchwise::core;

// Thread CPU time: the machine is shared, so wall time includes other people's work.
static double cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return double(ts.tv_sec) + double(ts.tv_nsec) * 1e-9;
}

int main(int argc, char** argv) {
  SyntheticSpec spec;
  spec.pages = argc > 1 ? std::strtoul(argv[1], nullptr, 10) : 200;
  spec.query_tokens = argc > 2 ? std::strtoul(argv[2], nullptr, 10) : 32;
  const SyntheticCorpus synthetic(spec);
  const PreparedQuery query(synthetic.query(0));
  const ArithmeticPeak peak = measure_arithmetic_peak();
  std::printf("isa %s  peak fp32 %.1f GFLOP/s  int16 madd %.1f GOP/s (one core)\n",
              std::string(peak.isa).c_str(), peak.f32_gflops, peak.int16_gops);
  const double flops = 2.0 * double(spec.pages * spec.rows * spec.dim * spec.query_tokens);
  for (const VectorForm form : kAllForms) {
    const Corpus corpus = synthetic.build(form, 1);
    std::vector<float> scores(corpus.page_count());
    for (const KernelIsa isa : {KernelIsa::scalar, best_kernel_isa()}) {
      if (isa == KernelIsa::scalar && form != VectorForm::f32) continue;
      score_pages(query, corpus, 0, corpus.page_count(), scores, isa);  // warm
      double best = 1e9;
      for (int rep = 0; rep < 3; ++rep) {
        const double start = cpu_seconds();
        score_pages(query, corpus, 0, corpus.page_count(), scores, isa);
        best = std::min(best, cpu_seconds() - start);
      }
      std::printf("%-5s %-9s %8.3f cpu-ms/1k pages  %7.1f GFLOP/s-equivalent  %5.2f of fp32 peak\n",
                  std::string(form_name(form)).c_str(), std::string(kernel_isa_name(isa)).c_str(),
                  best * 1e3 * 1000.0 / double(spec.pages), flops / best / 1e9,
                  flops / best / 1e9 / peak.f32_gflops);
    }
  }
  return 0;
}
