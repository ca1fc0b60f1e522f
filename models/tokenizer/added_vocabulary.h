#pragma once
// tokenizer.json "added_tokens": matched on the text before the model sees it, longest
// match first from the left, honouring lstrip / rstrip / single_word. Tokens with
// normalized=false are matched on the raw text, the others on the normalized text.
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <nlohmann/json.hpp>

#include "models/tokenizer/normalizer.h"

namespace patchwise::models {

struct AddedToken {
  std::string content;
  std::int32_t id = 0;
  bool special = false;
  bool lstrip = false;
  bool rstrip = false;
  bool normalized = false;
  bool single_word = false;
};

class AddedVocabulary {
 public:
  struct Segment {
    std::string text;
    std::optional<std::int32_t> id;  // set when the segment is an added token
  };

  AddedVocabulary(const nlohmann::json& added_tokens, const TextNormalizer* normalizer);

  // `text` cut at the added tokens of one kind (raw: normalized=false ones; else the others).
  std::vector<Segment> split(std::string_view text, bool raw_tokens) const;

  std::optional<std::int32_t> token_to_id(std::string_view token) const;
  const AddedToken* token(std::int32_t id) const;
  std::int32_t max_id() const { return max_id_; }

 private:
  struct Trie {
    struct Node {
      std::map<unsigned char, std::size_t> children;
      std::optional<std::size_t> token;  // index into tokens_
    };
    std::vector<Node> nodes{Node{}};
    void insert(std::string_view pattern, std::size_t token);
    // Length and token of the longest pattern starting at text[pos], if any.
    std::optional<std::pair<std::size_t, std::size_t>> longest_at(std::string_view text, std::size_t pos) const;
  };

  std::vector<AddedToken> tokens_;
  std::unordered_map<std::string, std::size_t> by_content_;
  std::unordered_map<std::int32_t, std::size_t> by_id_;
  Trie raw_trie_;
  Trie normalized_trie_;
  std::int32_t max_id_ = -1;
};

}  // namespace patchwise::models
