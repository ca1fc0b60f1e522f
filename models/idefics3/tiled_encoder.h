#pragma once
// The models::Encoder of every family that uses the Idefics3 processor (colpali-engine's
// ColIdefics3 and ColModernVBERT): pages are tiled and prompted by the Idefics3 rules, the
// prompt is tokenized, a TiledNetwork turns tiles and ids into unit vectors. Every page and
// query is encoded on its own terms: a page's vectors do not depend on the other pages of the
// call (pages run one at a time through the text model; tiles are independent in the vision
// tower), and queries run in left-padded batches whose padding is masked out, which changes
// results only by float rounding.
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <torch/torch.h>

#include "models/encoder.h"
#include "models/idefics3/idefics3_config.h"
#include "models/idefics3/preprocess.h"
#include "models/transformer/layers.h"

namespace patchwise::models {
class Checkpoint;
class Tokenizer;
}  // namespace patchwise::models

namespace patchwise::models::idefics3 {

using transformer::Trace;

struct EncoderOptions {
  // kFloat32 (default, matches the reference) or kBFloat16 (smaller, lower precision).
  torch::ScalarType dtype = torch::kFloat32;
  // Vision tiles run through the tower together; bounds the attention scratch memory.
  int vision_chunk = 2;
  // Queries per text-model batch.
  int query_batch = 16;
};

// A page ready for the network.
struct PageInputs {
  PreparedImage image;
  std::vector<std::int64_t> input_ids;
};

// What a family's network computes. Implementations keep no per-call state.
class TiledNetwork {
 public:
  virtual ~TiledNetwork() = default;
  // Real tiles [n, 3, M, M] (float32) -> image features [n, image_seq_len, text hidden].
  virtual torch::Tensor image_features(const torch::Tensor& tiles, int chunk, Trace* trace) const = 0;
  // Token embeddings [B, L, H] with the <image> positions replaced, in order, by `features`.
  virtual torch::Tensor merge_inputs(const torch::Tensor& input_ids, const torch::Tensor& features) const = 0;
  // Text model + head: embeddings [B, L, H] and attention_mask [B, L] (1 real, 0 padding; left
  // padding) -> unit vectors [B, L, D] in float32, zero at padding.
  virtual torch::Tensor embed_sequence(const torch::Tensor& inputs_embeds, const torch::Tensor& attention_mask,
                                       Trace* trace) const = 0;
  virtual std::int64_t text_hidden() const = 0;
  virtual std::int64_t projection_dim() const = 0;
};

// The family-specific facts the shared encoder needs.
struct TiledSetup {
  std::string family;  // EncoderInfo::family, e.g. "colidefics3"
  std::string name;    // for messages, e.g. "ColIdefics3"
  PreprocessConfig preprocess;
  PromptConfig prompts;
  int image_seq_len = 0;
  std::int64_t image_token_id = 0;
  std::int64_t pad_id = 0;
  bool add_special_tokens = false;  // run the tokenizer's post-processor ([CLS] ... [SEP])
};

class TiledEncoder : public Encoder {
 public:
  ~TiledEncoder() override;

  EncoderInfo info() const override { return info_; }
  std::vector<core::PageEmbedding> encode_pages(std::span<const vision::PageImage> pages) override;
  std::vector<core::MultiVector> encode_queries(std::span<const std::string> queries) override;
  std::size_t preferred_batch_size() const override { return 1; }
  // Prompt tokens + tiles x image_seq_len for a page of this size (the tiling rules only).
  std::optional<std::size_t> vectors_per_page(int width_px, int height_px) const override;

  // The steps, exposed for parity tests.
  PageInputs prepare_page(const vision::PageImage& page) const;
  std::vector<std::int64_t> query_ids(const std::string& query) const;
  // Encodes several pages' inputs in ONE left-padded batch, as the reference does with a
  // batch; returns [B, L, D] like the reference (zero rows at padding).
  torch::Tensor encode_page_batch(const std::vector<PageInputs>& pages, Trace* trace = nullptr) const;
  // Queries' ids in one left-padded batch -> [B, L, D].
  torch::Tensor encode_id_batch(const std::vector<std::vector<std::int64_t>>& ids, Trace* trace = nullptr) const;

 protected:
  explicit TiledEncoder(EncoderOptions options);
  const EncoderOptions& options() const { return options_; }
  // Called by the family's constructor once its network is loaded: checks the tokenizer's
  // image tokens against `setup` and fills the EncoderInfo (fingerprint of the weights,
  // tokenizer.json and `settings`; dtype-independent like every family's).
  void finish_setup(const std::filesystem::path& dir, const Checkpoint& checkpoint,
                    std::unique_ptr<Tokenizer> tokenizer, const TiledNetwork& network, TiledSetup setup,
                    const std::string& settings);

 private:
  std::vector<std::int64_t> tokenize(const std::string& text) const;

  EncoderOptions options_;
  TiledSetup setup_;
  std::unique_ptr<Tokenizer> tokenizer_;
  const TiledNetwork* network_ = nullptr;
  EncoderInfo info_;
};

}  // namespace patchwise::models::idefics3
