#pragma once
// The starter model's tokenizer: a query (or a word of the text layer) becomes word pieces
// (LexicalEncoder::split_words), and each piece a bag of hashed features: the whole piece and
// its character n-grams of "#piece#". Feature hashing needs no vocabulary file, never meets an
// unknown word, and keeps near-spellings (OCR-like errors, plurals) close.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "models/starter/starter_config.h"

namespace patchwise::models::starter {

// Features of several pieces packed for an EmbeddingBag: piece i owns
// ids[offsets[i] .. offsets[i+1]) (offsets has pieces+1 entries). Weights carry the
// feature's sign (from the hash) times its weight.
struct FeatureBags {
  std::vector<std::int64_t> ids;
  std::vector<float> weights;
  std::vector<std::int64_t> offsets = {0};

  std::size_t bags() const { return offsets.size() - 1; }
};

class TextFeaturizer {
 public:
  explicit TextFeaturizer(const StarterConfig& config);

  // Appends one bag for `piece` (an already split, lower-cased word piece).
  void add_piece(std::string_view piece, FeatureBags& out) const;
  // One bag per word piece of `text`; empty when the text has no word characters.
  FeatureBags featurize(std::string_view text) const;

 private:
  std::size_t buckets_;
  std::size_t ngram_;
  float word_weight_;
};

// FNV-1a 64: stable across platforms and runs.
std::uint64_t fnv1a64(std::string_view s);

}  // namespace patchwise::models::starter
