#pragma once
// The one place where libtorch and BLAS threads are configured, and where what is in use
// (BLAS library, core type, thread counts, versions) is reported so a slow setup is visible.
#include <string>
#include <vector>

namespace patchwise::models {

struct RuntimeSettings {
  int threads = 0;  // Default: 0 = one per core (std::thread::hardware_concurrency()).
};

// Sets libtorch intra-op threads and OpenBLAS threads to the same count, inter-op threads
// to 1, so OpenMP and OpenBLAS never run more busy threads than there are cores.
// Call once, early, from the thread that will run the encoder. Idempotent.
void configure_runtime(const RuntimeSettings& settings = {});

struct RuntimeReport {
  std::vector<std::pair<std::string, std::string>> entries;  // label, value; in display order
};

RuntimeReport runtime_report();

}  // namespace patchwise::models
