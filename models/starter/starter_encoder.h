#pragma once
// The bundled starter model as an Encoder: page pixels in (it never reads the text layer,
// so scans are searchable), one vector per non-blank 32x32 cell of the scaled page out, each
// with its rectangle; queries become one vector per word piece (text_features.h).
// See starter_net.h for the towers and starter_config.h for the settings.
#include <filesystem>
#include <string>

#include "models/encoder.h"
#include "models/starter/starter_net.h"

namespace patchwise::models::starter {

class StarterEncoder final : public Encoder {
 public:
  // A model folder: config.json (model_type "patchwise-starter") and model.safetensors.
  explicit StarterEncoder(const std::filesystem::path& dir);
  // Wraps weights already in memory (the trainer's evaluation); they are used, not copied.
  StarterEncoder(StarterNet net, std::string name);

  EncoderInfo info() const override { return info_; }
  std::vector<core::PageEmbedding> encode_pages(std::span<const vision::PageImage> pages) override;
  std::vector<core::MultiVector> encode_queries(std::span<const std::string> queries) override;
  std::size_t preferred_batch_size() const override { return 4; }
  // The word pieces of the query, one per row (overrides Encoder's "#i" labels).
  std::vector<std::string> query_token_labels(const std::string& query, std::size_t rows) override;

 private:
  core::PageEmbedding encode_page(const vision::PageImage& page);

  StarterNet net_;
  TextFeaturizer featurizer_;
  EncoderInfo info_;
};

// Hash of the config and every weight: two encoders agree on it iff they embed alike.
std::string fingerprint_of(StarterNet& net);

}  // namespace patchwise::models::starter
