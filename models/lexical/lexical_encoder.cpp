#include "models/lexical/lexical_encoder.h"

#include <nlohmann/json.hpp>

#include <cctype>
#include <cmath>
#include <cstdint>
#include <iomanip>
#include <sstream>

#include "core/error.h"
#include "models/checkpoint/checkpoint.h"

namespace patchwise::models {
namespace {

// FNV-1a: stable across platforms and runs, which the fingerprint and hashing rely on.
std::uint64_t fnv1a(std::string_view s, std::uint64_t h = 1469598103934665603ull) {
  for (unsigned char c : s) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return h;
}

bool is_word_byte(unsigned char c) { return std::isalnum(c) || c >= 0x80; }

LexicalSettings read_settings(const std::filesystem::path& dir) {
  const auto file = dir / "config.json";
  const nlohmann::json config = read_json_file(file);
  LexicalSettings s;
  s.dim = config.value("dim", s.dim);
  s.ngram = config.value("ngram", s.ngram);
  s.word_weight = config.value("word_weight", s.word_weight);
  if (s.dim < 8 || s.dim > 4096 || s.ngram < 1 || s.ngram > 8) {
    throw Error(file.string() + ": dim must be 8..4096 and ngram 1..8");
  }
  return s;
}

std::string fingerprint_of(const LexicalSettings& s) {
  std::ostringstream key;
  key << "patchwise-lexical/v1 dim=" << s.dim << " ngram=" << s.ngram << " word_weight=" << s.word_weight;
  std::ostringstream hex;
  hex << "lexical-" << std::hex << std::setw(16) << std::setfill('0') << fnv1a(key.str());
  return hex.str();
}

}  // namespace

LexicalEncoder::LexicalEncoder(const std::filesystem::path& dir) : LexicalEncoder(read_settings(dir)) {}

LexicalEncoder::LexicalEncoder(LexicalSettings settings) : settings_(settings) {
  info_.name = "lexical (text layer only; interim until the starter model is bundled)";
  info_.family = "patchwise-lexical";
  info_.dim = settings_.dim;
  info_.fingerprint = fingerprint_of(settings_);
}

std::vector<std::string> LexicalEncoder::split_words(std::string_view text) {
  std::vector<std::string> words;
  std::string current;
  for (unsigned char c : text) {
    if (is_word_byte(c)) {
      current.push_back(char(c < 0x80 ? std::tolower(c) : c));
    } else if (!current.empty()) {
      words.push_back(std::move(current));
      current.clear();
    }
  }
  if (!current.empty()) words.push_back(std::move(current));
  return words;
}

void LexicalEncoder::embed_word(std::string_view word, std::span<float> out) const {
  auto add = [&](std::string_view feature, float weight) {
    const std::uint64_t h = fnv1a(feature);
    const float sign = (h >> 63) ? -1.0f : 1.0f;
    out[h % settings_.dim] += sign * weight;
  };
  add(word, settings_.word_weight);
  const std::string padded = "#" + std::string(word) + "#";
  const std::size_t n = settings_.ngram;
  for (std::size_t i = 0; i + n <= padded.size(); ++i) add(std::string_view(padded).substr(i, n), 1.0f);
}

std::vector<core::PageEmbedding> LexicalEncoder::encode_pages(std::span<const vision::PageImage> pages) {
  std::vector<core::PageEmbedding> out;
  out.reserve(pages.size());
  for (const auto& page : pages) {
    std::vector<std::pair<std::string, core::NormRect>> pieces;
    for (const auto& word : page.words) {
      for (auto& piece : split_words(word.text)) pieces.emplace_back(std::move(piece), word.box);
    }
    core::PageEmbedding e;
    e.vectors = core::MultiVector(pieces.size(), settings_.dim);
    for (std::size_t i = 0; i < pieces.size(); ++i) {
      embed_word(pieces[i].first, e.vectors.row(i));
      e.grid.add(pieces[i].second);
    }
    e.vectors.normalize_rows();
    out.push_back(std::move(e));
  }
  return out;
}

std::vector<core::MultiVector> LexicalEncoder::encode_queries(std::span<const std::string> queries) {
  std::vector<core::MultiVector> out;
  out.reserve(queries.size());
  for (const auto& query : queries) {
    const auto words = split_words(query);
    if (words.empty()) throw Error("the query \"" + query + "\" has no words to search for");
    core::MultiVector m(words.size(), settings_.dim);
    for (std::size_t i = 0; i < words.size(); ++i) embed_word(words[i], m.row(i));
    m.normalize_rows();
    out.push_back(std::move(m));
  }
  return out;
}

std::vector<std::string> LexicalEncoder::query_token_labels(const std::string& query, std::size_t rows) {
  auto words = split_words(query);
  words.resize(rows);
  return words;
}

}  // namespace patchwise::models
