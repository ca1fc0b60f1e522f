#pragma once
// Shared by the real-size encoder cost benchmarks (models/*/bench/): random-weight checkpoint
// writing (JSON files, tokenizer copies, seeded weights in shards, the SigLIP tower's and a
// decoder layer's tensors), a synthetic letter page, the process's peak resident memory, a
// same-process GEMM rate as baseline, the timing loop and the command line.
// Header-only; not part of the library.
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <exception>
#include <filesystem>
#include <fstream>
#include <functional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>
#include <torch/torch.h>

#include "models/checkpoint/safetensors_writer.h"
#include "models/encoder.h"
#include "models/runtime.h"
#include "vision/page_image.h"

namespace patchwise::models::bench {

inline void write_json(const std::filesystem::path& file, const nlohmann::json& j) { std::ofstream(file) << j.dump(2); }

// Copies a tiny fixture's tokenizer files (ids below its vocabulary; costs do not depend on them).
inline void copy_tokenizer_files(const std::filesystem::path& fixture, const std::filesystem::path& dir) {
  for (const char* f : {"tokenizer.json", "tokenizer_config.json", "special_tokens_map.json"}) {
    std::filesystem::copy_file(fixture / f, dir / f, std::filesystem::copy_options::overwrite_existing);
  }
}

// Adds one random tensor of the given shape under the given name.
using AddTensor = std::function<void(const std::string& name, std::vector<std::int64_t> shape)>;

// Random bf16 weights (matrices scaled by 1/sqrt(fan-in) so activations stay in range; vectors
// around 0 for biases and around 1 for norms, either way harmless), written to
// model-N.safetensors shards with a model.safetensors.index.json.
class ShardedWriter {
 public:
  // Seeded, so a checkpoint made twice is the same.
  explicit ShardedWriter(std::filesystem::path dir) : dir_(std::move(dir)) { torch::manual_seed(1234); }

  void add(const std::string& name, const std::vector<std::int64_t>& shape) {
    std::int64_t fan_in = 1;
    for (std::size_t i = 1; i < shape.size(); ++i) fan_in *= shape[i];
    const auto t = shape.size() == 1 ? 1.0 + 0.05 * torch::randn(shape)
                                     : torch::randn(shape) / std::sqrt(static_cast<double>(fan_in));
    writer_.add(name, t.to(torch::kBFloat16));
    names_.push_back(name);
  }

  AddTensor adder() {
    return [this](const std::string& name, std::vector<std::int64_t> shape) { add(name, shape); };
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

  // Writes the last shard and the index; call once at the end.
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

// A SigLIP tower's tensors under `prefix` (embeddings, encoder.layers.N, post_layernorm; bias
// everywhere, as SigLIP has); `positions` rows of the position embedding.
inline void add_siglip_tower(const AddTensor& add, const std::string& prefix, int hidden, int layers, int intermediate,
                             int patch, int positions) {
  add(prefix + "embeddings.patch_embedding.weight", {hidden, 3, patch, patch});
  add(prefix + "embeddings.patch_embedding.bias", {hidden});
  add(prefix + "embeddings.position_embedding.weight", {positions, hidden});
  for (int i = 0; i < layers; ++i) {
    const std::string p = prefix + "encoder.layers." + std::to_string(i) + ".";
    for (const char* n : {"layer_norm1", "layer_norm2"}) {
      add(p + n + ".weight", {hidden});
      add(p + n + ".bias", {hidden});
    }
    for (const char* n : {"q_proj", "k_proj", "v_proj", "out_proj"}) {
      add(p + "self_attn." + n + ".weight", {hidden, hidden});
      add(p + "self_attn." + n + ".bias", {hidden});
    }
    add(p + "mlp.fc1.weight", {intermediate, hidden});
    add(p + "mlp.fc1.bias", {intermediate});
    add(p + "mlp.fc2.weight", {hidden, intermediate});
    add(p + "mlp.fc2.bias", {hidden});
  }
  add(prefix + "post_layernorm.weight", {hidden});
  add(prefix + "post_layernorm.bias", {hidden});
}

// One Llama/Gemma decoder layer's tensors under `p` (no biases): attention q/k/v/o, gated MLP,
// the two RMSNorm weights.
inline void add_decoder_layer(const AddTensor& add, const std::string& p, int hidden, int q_dim, int kv_dim,
                              int intermediate) {
  add(p + "self_attn.q_proj.weight", {q_dim, hidden});
  add(p + "self_attn.k_proj.weight", {kv_dim, hidden});
  add(p + "self_attn.v_proj.weight", {kv_dim, hidden});
  add(p + "self_attn.o_proj.weight", {hidden, q_dim});
  add(p + "mlp.gate_proj.weight", {intermediate, hidden});
  add(p + "mlp.up_proj.weight", {intermediate, hidden});
  add(p + "mlp.down_proj.weight", {hidden, intermediate});
  add(p + "input_layernorm.weight", {hidden});
  add(p + "post_attention_layernorm.weight", {hidden});
}

// Creates `dir` with `config` as config.json, the tokenizer files of the tiny fixture
// `tokenizer_fixture`, and the Idefics3 processor's files as the released 512-pixel-tile
// checkpoints have them (ColSmol, ColModernVBERT): longest edge 2048, 512 tiles, 64 image tokens
// per tile.
inline void write_idefics3_checkpoint_files(const std::filesystem::path& dir, const nlohmann::json& config,
                                            const std::filesystem::path& tokenizer_fixture) {
  std::filesystem::create_directories(dir);
  write_json(dir / "config.json", config);
  copy_tokenizer_files(tokenizer_fixture, dir);
  write_json(dir / "preprocessor_config.json",
             {{"do_image_splitting", true}, {"resample", 1}, {"size", {{"longest_edge", 2048}}},
              {"max_image_size", {{"longest_edge", 512}}}, {"image_mean", {0.5, 0.5, 0.5}},
              {"image_std", {0.5, 0.5, 0.5}}, {"rescale_factor", 1.0 / 255}});
  write_json(dir / "processor_config.json", {{"image_seq_len", 64}});
}

// A letter page at 150 dpi (1275 x 1650 px) with text-like stripes, so image patches differ.
inline vision::PageImage letter_page() {
  vision::PageImage page;
  page.width = 1275;
  page.height = 1650;
  page.width_pt = 612;
  page.height_pt = 792;
  page.rgb.resize(std::size_t(page.width) * page.height * 3);
  for (int y = 0; y < page.height; ++y) {
    for (int x = 0; x < page.width; ++x) {
      const bool ink = (y / 12) % 3 == 0 && (x / 7 + y / 36) % 5 != 0 && x > 100 && x < 1175;
      for (int c = 0; c < 3; ++c) page.rgb[(std::size_t(y) * page.width + x) * 3 + c] = ink ? 20 : 250;
    }
  }
  return page;
}

// Peak resident set size of this process so far, in MiB.
inline double peak_rss_mib() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_maxrss) / 1024.0;
}

inline double seconds_since(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

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

// The benchmarks' command line: `make DIR` writes a random-weight checkpoint, `run DIR f32|bf16
// [threads=2] [repeats]` measures it. Returns the process exit code.
inline int bench_main(int argc, char** argv, const std::function<void(const std::string& dir)>& make,
                      const std::function<int(const std::string& dir, const std::string& dtype, int threads,
                                              int repeats)>& run,
                      int default_repeats) {
  try {
    const std::string mode = argc > 1 ? argv[1] : "";
    if (mode == "make" && argc == 3) {
      make(argv[2]);
      std::printf("wrote %s; peak RSS %.0f MiB\n", argv[2], peak_rss_mib());
      return 0;
    }
    if (mode == "run" && argc >= 4) {
      return run(argv[2], argv[3], argc > 4 ? std::stoi(argv[4]) : 2, argc > 5 ? std::stoi(argv[5]) : default_repeats);
    }
    std::fprintf(stderr, "usage: %s make DIR | run DIR f32|bf16 [threads] [repeats]\n", argv[0]);
    return 2;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "error: %s\n", e.what());
    return 1;
  }
}

// bench_main whose `run` loads `Encoder(dir, options)` with the dtype on `threads` threads,
// prints the load time and memory, then report_encoder_cost() with the Python reference
// seconds per page for that dtype (0: none given, no ratio).
template <typename Encoder, typename Options>
int encoder_bench_main(int argc, char** argv, const std::function<void(const std::string& dir)>& make,
                       double reference_f32_s, double reference_bf16_s, int default_repeats) {
  return bench_main(
      argc, argv, make,
      [&](const std::string& dir, const std::string& dtype, int threads, int repeats) {
        models::configure_runtime({threads});
        const auto t0 = std::chrono::steady_clock::now();
        Options options;
        options.dtype = dtype == "bf16" ? torch::kBFloat16 : torch::kFloat32;
        Encoder encoder(dir, options);
        std::printf("dtype %s, threads %d, load %.2f s, RSS after load %.0f MiB\n", dtype.c_str(), threads,
                    seconds_since(t0), peak_rss_mib());
        report_encoder_cost(encoder, repeats, dtype == "bf16" ? reference_bf16_s : reference_f32_s);
        return 0;
      },
      default_repeats);
}

}  // namespace patchwise::models::bench
