#include "models/runtime.h"

#include <dlfcn.h>
#include <malloc.h>
#include <torch/torch.h>

#include <algorithm>
#include <cstdlib>
#include <thread>

namespace patchwise::models {
namespace {

// OpenBLAS is found through the symbols libtorch actually loaded (dlsym), so the report
// tells what is in use, not what was linked at build time.
template <typename Fn>
Fn find_symbol(const char* name) {
  return reinterpret_cast<Fn>(dlsym(RTLD_DEFAULT, name));
}

std::string blas_library_path() {
  void* sym = dlsym(RTLD_DEFAULT, "dgemm_");
  Dl_info info{};
  if (sym && dladdr(sym, &info) && info.dli_fname) return info.dli_fname;
  return "unknown";
}

int resolve_threads(int requested) {
  if (requested > 0) return requested;
  return int(std::max(1u, std::thread::hardware_concurrency()));
}

}  // namespace

// glibc serves allocations above a (dynamic, at most 32 MB) threshold with fresh mmap()s and
// returns them on free; encoder activations are that large, so every layer paid page faults:
// 36 s of system time per colSmol page was measured. Keeping them on the heap removes that.
void keep_large_allocations_on_the_heap() {
  mallopt(M_MMAP_THRESHOLD, 1 << 30);
  mallopt(M_TRIM_THRESHOLD, 1 << 30);
}

void configure_runtime(const RuntimeSettings& settings) {
  static const bool heap_tuned = (keep_large_allocations_on_the_heap(), true);
  (void)heap_tuned;
  const int n = resolve_threads(settings.threads);
  torch::set_num_threads(n);
  static bool interop_set = false;  // libtorch allows setting inter-op threads only once
  if (!interop_set) {
    try {
      torch::set_num_interop_threads(1);
    } catch (const c10::Error&) {
      // Already started by an earlier torch call; the default pool is then kept.
    }
    interop_set = true;
  }
  if (auto set = find_symbol<void (*)(int)>("openblas_set_num_threads")) set(n);
}

RuntimeReport runtime_report() {
  RuntimeReport r;
  r.entries.emplace_back("libtorch", TORCH_VERSION);
  r.entries.emplace_back("torch intra-op threads", std::to_string(torch::get_num_threads()));
  r.entries.emplace_back("torch inter-op threads", std::to_string(torch::get_num_interop_threads()));
  r.entries.emplace_back("hardware threads", std::to_string(std::thread::hardware_concurrency()));
  r.entries.emplace_back("BLAS library", blas_library_path());
  if (auto config = find_symbol<char* (*)()>("openblas_get_config")) {
    r.entries.emplace_back("OpenBLAS", config());
    if (auto core = find_symbol<char* (*)()>("openblas_get_corename")) r.entries.emplace_back("OpenBLAS core", core());
    if (auto threads = find_symbol<int (*)()>("openblas_get_num_threads")) {
      r.entries.emplace_back("OpenBLAS threads", std::to_string(threads()));
    }
  } else {
    r.entries.emplace_back("OpenBLAS", "not loaded: encoding will be very slow (install libopenblas-dev)");
  }
  const char* coretype = std::getenv("OPENBLAS_CORETYPE");
  r.entries.emplace_back("OPENBLAS_CORETYPE", coretype ? coretype : "(unset)");
  return r;
}

}  // namespace patchwise::models
