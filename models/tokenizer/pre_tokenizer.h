#pragma once
// tokenizer.json "pre_tokenizer" components: split a normalized segment into the words
// the model tokenizes one by one.
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace patchwise::models {

// A piece of text being split, and whether it starts at offset 0 of the original input
// (the reference's Metaspace prepend_scheme "first" only prefixes such a piece).
struct Piece {
  std::string text;
  bool at_origin = false;
};

class PreTokenizer {
 public:
  virtual ~PreTokenizer() = default;
  // Replaces `pieces` by their refinement; empty pieces are dropped.
  virtual void apply(std::vector<Piece>& pieces) const = 0;
};

// nullptr for JSON null. Supported: ByteLevel, Split, Digits, Metaspace, Whitespace,
// WhitespaceSplit, Punctuation, BertPreTokenizer, CharDelimiterSplit, Sequence.
std::unique_ptr<PreTokenizer> make_pre_tokenizer(const nlohmann::json& spec);

}  // namespace patchwise::models
