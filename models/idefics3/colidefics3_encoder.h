#pragma once
// ColIdefics3 / ColSmol (colpali-engine's ColIdefics3 + ColIdefics3Processor) as a
// models::Encoder. Every page and query is encoded on its own terms: a page's vectors do not
// depend on the other pages of the call (pages run one at a time through the decoder; tiles
// are independent in the vision tower), and queries run in left-padded batches whose padding
// is masked out, which changes results only by float rounding.
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include <torch/torch.h>

#include "models/encoder.h"
#include "models/idefics3/idefics3_config.h"
#include "models/idefics3/model.h"
#include "models/idefics3/preprocess.h"

namespace patchwise::models {
class Tokenizer;
}

namespace patchwise::models::idefics3 {

struct EncoderOptions {
  // kFloat32 (default, matches the reference) or kBFloat16 (smaller, lower precision).
  torch::ScalarType dtype = torch::kFloat32;
  // Vision tiles run through the tower together; bounds the attention scratch memory.
  int vision_chunk = 2;
  // Queries per decoder batch.
  int query_batch = 16;
};

// A page ready for the network.
struct PageInputs {
  PreparedImage image;
  std::vector<std::int64_t> input_ids;
};

class ColIdefics3Encoder final : public Encoder {
 public:
  // Loads config, tokenizer and weights from a checkpoint folder (or adapter folder); throws
  // patchwise::Error naming the file, field or tensor that is missing or malformed.
  explicit ColIdefics3Encoder(const std::filesystem::path& dir, EncoderOptions options = {});
  ~ColIdefics3Encoder() override;

  EncoderInfo info() const override { return info_; }
  std::vector<core::PageEmbedding> encode_pages(std::span<const vision::PageImage> pages) override;
  std::vector<core::MultiVector> encode_queries(std::span<const std::string> queries) override;
  std::size_t preferred_batch_size() const override { return 1; }
  std::optional<std::size_t> vectors_per_page(int width_px, int height_px) const override;

  // The steps, exposed for parity tests.
  const Config& config() const { return config_; }
  const Model& model() const { return *model_; }
  PageInputs prepare_page(const vision::PageImage& page) const;
  std::vector<std::int64_t> query_ids(const std::string& query) const;
  // Encodes several pages' inputs in ONE left-padded decoder batch, as the reference does
  // with a batch; returns [B, L, D] like the reference (zero rows at padding).
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

// The registry's factory: default options (float32).
std::unique_ptr<Encoder> make_colidefics3_encoder(const std::filesystem::path& dir);

}  // namespace patchwise::models::idefics3
