// Real-size cost of the ColIdefics3 encoder: a random-weight checkpoint with colSmol-256M's
// architecture (shared/docs/models.md §2.1-2.2; generated here, never committed) encodes one
// letter-size page rendered at 150 dpi (1275 x 1650 px -> 17 tiles, 1155 vectors).
//
//   colsmol_cost_bench make DIR            writes the checkpoint (bf16 weights, ~0.5 GB)
//   colsmol_cost_bench run DIR f32|bf16 [threads=2] [repeats=2]
//                                          loads it, encodes the page, prints s/page and peak RSS
// Run `make` and each `run` as separate processes so each peak RSS is the encoder's own.
// The tokenizer files are the tiny fixture's (ids < 512; image_token_id set to its <image>),
// which changes no cost: the embedding table still has colSmol's 49280 rows.
// glibc serves the attention scratch (> 32 MB) with fresh mmaps, page-faulting on every
// layer; GLIBC_TUNABLES=glibc.malloc.mmap_max=0:glibc.malloc.trim_threshold=4294967295 cut
// system time from 36 s to 4 s per page here (measured 2026-11-25, shared 2-core machine).
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include <nlohmann/json.hpp>
#include <torch/torch.h>

#include "models/checkpoint/safetensors_writer.h"
#include "models/idefics3/colidefics3_encoder.h"
#include "models/bench_support.h"
#include "models/runtime.h"

namespace fs = std::filesystem;
using namespace patchwise;

namespace {

nlohmann::json colsmol_config() {
  return {
      {"architectures", {"ColIdefics3"}},
      {"model_type", "idefics3"},
      {"image_token_id", 473},
      {"pad_token_id", 2},
      {"scale_factor", 4},
      {"tie_word_embeddings", false},
      {"vision_config",
       {{"hidden_size", 768}, {"num_hidden_layers", 12}, {"num_attention_heads", 12}, {"intermediate_size", 3072},
        {"patch_size", 16}, {"image_size", 512}, {"layer_norm_eps", 1e-6}, {"hidden_act", "gelu_pytorch_tanh"},
        {"max_image_size", {{"longest_edge", 512}}}, {"size", {{"longest_edge", 2048}}}}},
      {"text_config",
       {{"hidden_size", 576}, {"num_hidden_layers", 30}, {"num_attention_heads", 9}, {"num_key_value_heads", 3},
        {"head_dim", 64}, {"intermediate_size", 1536}, {"rms_norm_eps", 1e-5}, {"rope_theta", 100000.0},
        {"vocab_size", 49280}, {"hidden_act", "silu"}, {"model_type", "llama"}}},
  };
}

void write_json(const fs::path& file, const nlohmann::json& j) { std::ofstream(file) << j.dump(2); }

void make_checkpoint(const fs::path& dir) {
  fs::create_directories(dir);
  write_json(dir / "config.json", colsmol_config());
  write_json(dir / "preprocessor_config.json",
             {{"do_image_splitting", true}, {"resample", 1}, {"size", {{"longest_edge", 2048}}},
              {"max_image_size", {{"longest_edge", 512}}}, {"image_mean", {0.5, 0.5, 0.5}},
              {"image_std", {0.5, 0.5, 0.5}}, {"rescale_factor", 1.0 / 255}});
  write_json(dir / "processor_config.json", {{"image_seq_len", 64}});
  const fs::path fixture = fs::path(PATCHWISE_FIXTURE_TOKENIZER_DIR);
  for (const char* f : {"tokenizer.json", "tokenizer_config.json", "special_tokens_map.json"}) {
    fs::copy_file(fixture / f, dir / f, fs::copy_options::overwrite_existing);
  }
  torch::manual_seed(1234);
  models::SafetensorsWriter w;
  auto add = [&](const std::string& name, std::vector<std::int64_t> shape) {
    const double fan_in = shape.size() > 1 ? static_cast<double>(torch::tensor(shape).slice(0, 1).prod().item<long>()) : 1.0;
    auto t = shape.size() == 1 ? 1.0 + 0.05 * torch::randn(shape) : torch::randn(shape) / std::sqrt(fan_in);
    w.add(name, t.to(torch::kBFloat16));
  };
  const std::string vp = "model.vision_model.";
  add(vp + "embeddings.patch_embedding.weight", {768, 3, 16, 16});
  add(vp + "embeddings.patch_embedding.bias", {768});
  add(vp + "embeddings.position_embedding.weight", {1024, 768});
  for (int i = 0; i < 12; ++i) {
    const std::string p = vp + "encoder.layers." + std::to_string(i) + ".";
    for (const char* n : {"layer_norm1", "layer_norm2"}) {
      add(p + n + ".weight", {768});
      add(p + n + ".bias", {768});
    }
    for (const char* n : {"q_proj", "k_proj", "v_proj", "out_proj"}) {
      add(p + "self_attn." + n + ".weight", {768, 768});
      add(p + "self_attn." + n + ".bias", {768});
    }
    add(p + "mlp.fc1.weight", {3072, 768});
    add(p + "mlp.fc1.bias", {3072});
    add(p + "mlp.fc2.weight", {768, 3072});
    add(p + "mlp.fc2.bias", {768});
  }
  add(vp + "post_layernorm.weight", {768});
  add(vp + "post_layernorm.bias", {768});
  add("model.connector.modality_projection.proj.weight", {576, 12288});
  add("model.text_model.embed_tokens.weight", {49280, 576});
  for (int i = 0; i < 30; ++i) {
    const std::string p = "model.text_model.layers." + std::to_string(i) + ".";
    add(p + "self_attn.q_proj.weight", {576, 576});
    add(p + "self_attn.k_proj.weight", {192, 576});
    add(p + "self_attn.v_proj.weight", {192, 576});
    add(p + "self_attn.o_proj.weight", {576, 576});
    add(p + "mlp.gate_proj.weight", {1536, 576});
    add(p + "mlp.up_proj.weight", {1536, 576});
    add(p + "mlp.down_proj.weight", {576, 1536});
    add(p + "input_layernorm.weight", {576});
    add(p + "post_attention_layernorm.weight", {576});
  }
  add("model.text_model.norm.weight", {576});
  add("linear.weight", {128, 576});
  add("linear.bias", {128});
  w.write(dir / "model.safetensors");
}

using models::bench::letter_page;
using models::bench::peak_rss_mib;

int run(const fs::path& dir, const std::string& dtype, int threads, int repeats) {
  models::configure_runtime({threads});
  using clock = std::chrono::steady_clock;
  const auto t0 = clock::now();
  models::idefics3::EncoderOptions options;
  options.dtype = dtype == "bf16" ? torch::kBFloat16 : torch::kFloat32;
  models::idefics3::ColIdefics3Encoder encoder(dir, options);
  const double load_s = std::chrono::duration<double>(clock::now() - t0).count();
  const vision::PageImage page = letter_page();
  const auto in = encoder.prepare_page(page);
  std::printf("dtype %s, threads %d, load %.2f s, tiles %d, vectors %zu\n", dtype.c_str(), threads, load_s,
              in.image.tile_count(), in.input_ids.size());
  double best = 1e30;
  for (int r = 0; r < repeats; ++r) {
    const auto t = clock::now();
    const auto out = encoder.encode_pages({&page, 1});
    const double s = std::chrono::duration<double>(clock::now() - t).count();
    best = std::min(best, s);
    std::printf("  run %d: %.2f s/page (%zu x %zu)\n", r + 1, s, out[0].vectors.rows(), out[0].vectors.dim());
  }
  std::printf("best %.2f s/page; peak RSS %.0f MiB; vs Python reference (%s): %.2fx time\n", best, peak_rss_mib(),
              dtype == "bf16" ? "20.3 s" : "28.9 s", best / (dtype == "bf16" ? 20.3 : 28.9));
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  return models::bench::bench_main(
      argc, argv, [](const std::string& dir) { make_checkpoint(dir); },
      [](const std::string& dir, const std::string& dtype, int threads, int repeats) {
        return run(dir, dtype, threads, repeats);
      },
      2);
}
