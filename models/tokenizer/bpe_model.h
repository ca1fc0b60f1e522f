#pragma once
// The BPE model of tokenizer.json: vocabulary, merges by rank, unknown handling and
// SentencePiece-style byte fallback (<0xNN> tokens).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <nlohmann/json.hpp>

namespace patchwise::models {

class BpeModel {
 public:
  // From tokenizer.json's "model" object (type BPE). Merges may be "a b" strings or
  // ["a", "b"] pairs; every merge part and result must be in the vocabulary. Throws
  // patchwise::Error describing the first inconsistency.
  explicit BpeModel(const nlohmann::json& spec);

  // Appends the ids of one pre-tokenized word.
  void tokenize(std::string_view word, std::vector<std::int32_t>& out) const;

  std::optional<std::int32_t> token_to_id(std::string_view token) const;
  const std::string* id_to_token(std::int32_t id) const;
  std::size_t id_limit() const { return id_to_token_.size(); }

 private:
  struct PairHash {
    std::size_t operator()(std::uint64_t key) const { return std::hash<std::uint64_t>()(key); }
  };
  struct Merge {
    std::int32_t rank;
    std::int32_t result;
  };
  static std::uint64_t pair_key(std::int32_t a, std::int32_t b) {
    return (static_cast<std::uint64_t>(static_cast<std::uint32_t>(a)) << 32) | static_cast<std::uint32_t>(b);
  }
  struct Symbol {
    std::int32_t id;
    std::int32_t prev;
    std::int32_t next;
    std::size_t length;  // bytes of the word covered; 0 once merged away
  };

  std::vector<Symbol> initial_symbols(std::string_view word) const;
  void apply_merges(std::vector<Symbol>& symbols) const;

  std::unordered_map<std::string, std::int32_t> vocab_;
  std::vector<std::string> id_to_token_;
  std::unordered_map<std::uint64_t, Merge, PairHash> merges_;
  std::optional<std::int32_t> unk_id_;
  std::string continuing_subword_prefix_;
  std::string end_of_word_suffix_;
  bool fuse_unk_ = false;
  bool byte_fallback_ = false;
  bool ignore_merges_ = false;
};

}  // namespace patchwise::models
