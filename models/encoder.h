#pragma once
// The seam between the pipeline and every model family: pages and query text in,
// multi-vectors out. Implementations keep loaded weights apart from per-call state, so one
// Encoder serves many calls; calls on one Encoder are not concurrent.
#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/multi_vector.h"
#include "core/page_embedding.h"
#include "vision/page_image.h"

namespace patchwise::models {

struct EncoderInfo {
  std::string name;         // e.g. "colSmol-256M" or the checkpoint folder's name
  std::string family;       // e.g. "colidefics3", "starter"
  std::size_t dim = 0;      // embedding dimension D
  std::string fingerprint;  // hash of weights + preprocessing + prompts; never mix two in a search
  std::size_t parameters = 0;  // learned parameters in the checkpoint; 0 for models without weights
  std::string dtype;           // what the network computes in ("float32", "bfloat16"); empty if none
};

class Encoder {
 public:
  virtual ~Encoder() = default;
  virtual EncoderInfo info() const = 0;
  // One PageEmbedding per page, in order. Each page's vectors do not depend on the others.
  virtual std::vector<core::PageEmbedding> encode_pages(std::span<const vision::PageImage> pages) = 0;
  // One MultiVector per query, in order; rows are L2-normalized.
  virtual std::vector<core::MultiVector> encode_queries(std::span<const std::string> queries) = 0;
  // One display label per row encode_queries would produce for `query` (the tokens shown as
  // chips in explanations). Default: "#0", "#1", ... for `rows` rows.
  virtual std::vector<std::string> query_token_labels(const std::string& query, std::size_t rows) {
    (void)query;
    std::vector<std::string> labels;
    for (std::size_t i = 0; i < rows; ++i) labels.push_back(std::string("#").append(std::to_string(i)));
    return labels;
  }
  // How many vectors encode_pages gives a page image of this size, when that follows from the
  // size alone (ColVision models: tiles x tokens per tile + prompt tokens); nullopt when it
  // depends on the content (text-layer words, non-blank cells).
  virtual std::optional<std::size_t> vectors_per_page(int width_px, int height_px) const {
    (void)width_px;
    (void)height_px;
    return std::nullopt;
  }
  // How many pages encode_pages should get at a time for good throughput.
  virtual std::size_t preferred_batch_size() const { return 4; }
};

}  // namespace patchwise::models
