#pragma once
// Shared by the real-size encoder cost benchmarks (models/*/bench/): writing a random-weight
// checkpoint with a real architecture, in shards so memory stays low, and timing an Encoder on
// the synthetic letter page. Header-only; not part of the library.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>
#include <torch/torch.h>

#include "models/bench_support.h"
#include "models/checkpoint/safetensors_writer.h"
#include "models/encoder.h"

namespace patchwise::models::bench {

inline void write_json(const std::filesystem::path& file, const nlohmann::json& j) {
  std::ofstream(file) << j.dump(2);
}

inline double seconds_since(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

// Random bf16 weights (matrices scaled by 1/sqrt(fan-in) so activations stay in range; vectors
// around 0 for biases and around 1 for norms, either way harmless), written to
// model-N.safetensors shards with a model.safetensors.index.json.
class ShardedWriter {
 public:
  explicit ShardedWriter(std::filesystem::path dir) : dir_(std::move(dir)) {}

  void add(const std::string& name, const std::vector<std::int64_t>& shape) {
    std::int64_t fan_in = 1;
    for (std::size_t i = 1; i < shape.size(); ++i) fan_in *= shape[i];
    const auto t = shape.size() == 1 ? 1.0 + 0.05 * torch::randn(shape)
                                     : torch::randn(shape) / std::sqrt(static_cast<double>(fan_in));
    writer_.add(name, t.to(torch::kBFloat16));
    names_.push_back(name);
  }

  // Ends the current shard (call every few layers).
  void flush() {
    if (names_.empty()) return;
    const std::string file = "model-" + std::to_string(++shard_) + ".safetensors";
    writer_.set_metadata("format", "pt");
    writer_.write(dir_ / file);
    for (const auto& n : names_) index_["weight_map"][n] = file;
    names_.clear();
    writer_ = SafetensorsWriter();
  }

  void finish() {
    flush();
    index_["metadata"] = nlohmann::json::object();
    write_json(dir_ / "model.safetensors.index.json", index_);
  }

 private:
  std::filesystem::path dir_;
  SafetensorsWriter writer_;
  std::vector<std::string> names_;
  nlohmann::json index_;
  int shard_ = 0;
};

// The float32 GEMM rate of this process right now, GFLOP/s: a [2048 x 1024] x [1024 x 4096]
// product, best of three. Encoders are GEMM-bound, so seconds per page times this rate is a
// figure that can be compared across machines and across runs on a shared one.
inline double gemm_gflops() {
  const auto a = torch::randn({2048, 1024}), b = torch::randn({4096, 1024});
  double best = 1e30;
  for (int i = 0; i < 3; ++i) {
    const auto t = std::chrono::steady_clock::now();
    const auto c = torch::linear(a, b);
    best = std::min(best, seconds_since(t));
  }
  return 2.0 * 2048 * 1024 * 4096 / best / 1e9;
}

// Encodes the letter page `repeats` times and one query; prints each time, the best, peak RSS,
// the GEMM rate measured before and after, and the ratio to the Python reference's seconds per
// page when one is known (> 0).
inline void report_encoder_cost(Encoder& encoder, int repeats, double reference_s_per_page) {
  std::printf("  float32 GEMM before: %.0f GFLOP/s\n", gemm_gflops());
  const vision::PageImage page = letter_page();
  double best = 1e30;
  for (int r = 0; r < repeats; ++r) {
    const auto t = std::chrono::steady_clock::now();
    const auto out = encoder.encode_pages({&page, 1});
    const double s = seconds_since(t);
    best = std::min(best, s);
    std::printf("  run %d: %.2f s/page (%zu x %zu)\n", r + 1, s, out[0].vectors.rows(), out[0].vectors.dim());
  }
  const std::string q = "What does the DER encoding of an ASN.1 INTEGER look like?";
  const auto tq = std::chrono::steady_clock::now();
  const auto qv = encoder.encode_queries({&q, 1});
  std::printf("  query: %.2f s (%zu vectors)\n", seconds_since(tq), qv[0].rows());
  const double gflops = gemm_gflops();
  std::printf("  float32 GEMM after: %.0f GFLOP/s; best page = %.0f GFLOP at that rate\n", gflops, best * gflops);
  std::printf("best %.2f s/page; peak RSS %.0f MiB; precision %s", best, peak_rss_mib(), encoder.info().dtype.c_str());
  if (reference_s_per_page > 0) {
    std::printf("; vs Python reference (%.1f s): %.2fx time", reference_s_per_page, best / reference_s_per_page);
  }
  std::printf("\n");
}

}  // namespace patchwise::models::bench
