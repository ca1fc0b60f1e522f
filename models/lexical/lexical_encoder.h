#pragma once
// The interim default model until the bundled starter model lands: a lexical late-interaction
// encoder over the PDF text layer. Each word becomes one vector (signed feature hashing of the
// word and its character trigrams, L2-normalised) placed at the word's box, so MaxSim scores a
// query by how well each query word is matched somewhere on the page, and the match can be
// highlighted. It reads no pixels: pages without a text layer (scans) get no vectors and are
// never found. It is honest about that in its name, and it is fast and deterministic.
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "models/encoder.h"

namespace patchwise::models {

struct LexicalSettings {
  std::size_t dim = 128;      // Default: 128, the dimension of the ColVision models.
  std::size_t ngram = 3;      // Default: character trigrams.
  float word_weight = 2.0f;   // Default: the whole word counts as much as two n-grams.
};

class LexicalEncoder final : public Encoder {
 public:
  // Reads settings from `dir`/config.json (model_type "patchwise-lexical").
  explicit LexicalEncoder(const std::filesystem::path& dir);
  explicit LexicalEncoder(LexicalSettings settings);

  EncoderInfo info() const override { return info_; }
  std::vector<core::PageEmbedding> encode_pages(std::span<const vision::PageImage> pages) override;
  std::vector<core::MultiVector> encode_queries(std::span<const std::string> queries) override;
  std::vector<std::string> query_token_labels(const std::string& query, std::size_t rows) override;
  std::size_t preferred_batch_size() const override { return 16; }

  // Lower-cased word pieces of `text`, split at anything that is not a letter or digit
  // (bytes of multi-byte UTF-8 characters count as letters).
  static std::vector<std::string> split_words(std::string_view text);

 private:
  void embed_word(std::string_view word, std::span<float> out) const;

  LexicalSettings settings_;
  EncoderInfo info_;
};

}  // namespace patchwise::models
