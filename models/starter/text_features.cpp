#include "models/starter/text_features.h"

#include "models/lexical/lexical_encoder.h"

namespace patchwise::models::starter {

std::uint64_t fnv1a64(std::string_view s) {
  std::uint64_t h = 1469598103934665603ull;
  for (unsigned char c : s) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return h;
}

TextFeaturizer::TextFeaturizer(const StarterConfig& config)
    : buckets_(config.text_buckets), ngram_(config.ngram), word_weight_(config.word_weight) {}

void TextFeaturizer::add_piece(std::string_view piece, FeatureBags& out) const {
  auto add = [&](std::string_view feature, float weight) {
    const std::uint64_t h = fnv1a64(feature);
    out.ids.push_back(std::int64_t(h % buckets_));
    out.weights.push_back((h >> 63) ? -weight : weight);
  };
  // The "w:" prefix keeps a short word apart from the n-gram with the same letters.
  // (Built with append: GCC 12 -O3 warns falsely (-Wrestrict) on literal + string.)
  std::string word = "w:";
  word.append(piece);
  add(word, word_weight_);
  std::string padded = "#";
  padded.append(piece).append("#");
  for (std::size_t i = 0; i + ngram_ <= padded.size(); ++i) {
    add(std::string_view(padded).substr(i, ngram_), 1.0f);
  }
  out.offsets.push_back(std::int64_t(out.ids.size()));
}

FeatureBags TextFeaturizer::featurize(std::string_view text) const {
  FeatureBags bags;
  for (const auto& piece : LexicalEncoder::split_words(text)) add_piece(piece, bags);
  return bags;
}

}  // namespace patchwise::models::starter
