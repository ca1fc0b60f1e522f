#pragma once
// ColPali (colpali-engine's ColPali + ColPaliProcessor, PaliGemma backbone) as a
// models::Encoder. Every page is encoded on its own (all page prompts have the same length, so
// a batch of pages has no padding anyway); queries run in right-padded batches whose padding
// is masked out, which changes results only by float rounding (positions are 1..n for the real
// tokens either way).
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include <torch/torch.h>

#include "models/colpali/model.h"
#include "models/colpali/paligemma_config.h"
#include "models/encoder.h"

namespace patchwise::models {
class Tokenizer;
}

namespace patchwise::models::colpali {

struct EncoderOptions {
  // kFloat32 (default, matches the reference) or kBFloat16 (smaller, lower precision).
  torch::ScalarType dtype = torch::kFloat32;
  // Queries per decoder batch.
  int query_batch = 16;
};

// A page ready for the network.
struct PageInputs {
  torch::Tensor pixels;  // [3, S, S] float32
  std::vector<std::int64_t> input_ids;
};

class ColPaliEncoder final : public Encoder {
 public:
  // Loads config, tokenizer and weights from a checkpoint folder (engine or "-hf" layout, or a
  // LoRA adapter folder); throws patchwise::Error naming the file, field or tensor at fault.
  explicit ColPaliEncoder(const std::filesystem::path& dir, EncoderOptions options = {});
  ~ColPaliEncoder() override;

  EncoderInfo info() const override { return info_; }
  std::vector<core::PageEmbedding> encode_pages(std::span<const vision::PageImage> pages) override;
  std::vector<core::MultiVector> encode_queries(std::span<const std::string> queries) override;
  std::size_t preferred_batch_size() const override { return 1; }
  // Every page gives the same count: the prompt's length (image_seq_len image tokens + text).
  std::optional<std::size_t> vectors_per_page(int width_px, int height_px) const override;

  // The steps, exposed for parity tests.
  const Config& config() const { return config_; }
  PageInputs prepare_page(const vision::PageImage& page) const;
  std::vector<std::int64_t> query_ids(const std::string& query) const;
  // Several pages in ONE right-padded decoder batch, as the reference does with a batch;
  // returns [B, L, D] (zero rows at padding).
  torch::Tensor encode_page_batch(const std::vector<PageInputs>& pages, Trace* trace = nullptr) const;
  // Queries' ids in one right-padded batch -> [B, L, D].
  torch::Tensor encode_id_batch(const std::vector<std::vector<std::int64_t>>& ids, Trace* trace = nullptr) const;

 private:
  std::vector<std::int64_t> tokenize(const std::string& text) const;

  Config config_;
  EncoderOptions options_;
  std::unique_ptr<Tokenizer> tokenizer_;
  std::unique_ptr<Model> model_;
  std::int64_t pad_id_ = 0;
  EncoderInfo info_;
};

// The registry's factory: default options in the given dtype.
std::unique_ptr<Encoder> make_colpali_encoder(const std::filesystem::path& dir,
                                                torch::ScalarType dtype = torch::kFloat32);

}  // namespace patchwise::models::colpali
