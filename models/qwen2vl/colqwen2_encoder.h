#pragma once
// ColQwen2 / ColQwen2.5 (colpali-engine's ColQwen2 / ColQwen2_5 and their processors) as a
// models::Encoder. Pages run one at a time (their vectors never depend on other pages);
// queries run in left-padded batches whose padding is masked out and whose M-RoPE positions
// are numbered over real tokens only, which changes results only by float rounding.
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <torch/torch.h>

#include "models/encoder.h"
#include "models/qwen2vl/model.h"
#include "models/qwen2vl/preprocess.h"
#include "models/qwen2vl/qwen2vl_config.h"

namespace patchwise::models {
class Tokenizer;
}

namespace patchwise::models::qwen2vl {

struct EncoderOptions {
  // kFloat32 (default, matches the reference) or kBFloat16 (smaller, lower precision).
  torch::ScalarType dtype = torch::kFloat32;
  // Queries per decoder batch.
  int query_batch = 16;
};

// A page ready for the network.
struct PageInputs {
  PreparedImage image;
  std::vector<std::int64_t> input_ids;
};

class ColQwen2Encoder final : public Encoder {
 public:
  // Loads config, tokenizer and weights from a checkpoint folder (or adapter folder); throws
  // patchwise::Error naming the file, field or tensor that is missing or malformed.
  explicit ColQwen2Encoder(const std::filesystem::path& dir, EncoderOptions options = {});
  ~ColQwen2Encoder() override;

  EncoderInfo info() const override { return info_; }
  std::vector<core::PageEmbedding> encode_pages(std::span<const vision::PageImage> pages) override;
  std::vector<core::MultiVector> encode_queries(std::span<const std::string> queries) override;
  std::size_t preferred_batch_size() const override { return 1; }
  // N image tokens (the smart-resized grid in merged cells) + the prompt's other tokens.
  std::optional<std::size_t> vectors_per_page(int width_px, int height_px) const override;

  // The steps, exposed for parity tests.
  const Config& config() const { return config_; }
  PageInputs prepare_page(const vision::PageImage& page) const;
  std::vector<std::int64_t> query_ids(const std::string& query) const;
  // Several pages in ONE left-padded decoder batch, as the reference does with a batch;
  // returns [B, L, D] (zero rows at padding).
  torch::Tensor encode_page_batch(const std::vector<PageInputs>& pages, Trace* trace = nullptr) const;
  // Queries' ids in one left-padded batch -> [B, L, D].
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
std::unique_ptr<Encoder> make_colqwen2_encoder(const std::filesystem::path& dir,
                                                torch::ScalarType dtype = torch::kFloat32);

}  // namespace patchwise::models::qwen2vl
