#pragma once
// tokenizer.json "pre_tokenizer" components: split a normalized segment into the words
// the model tokenizes one by one.
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace patchwise::models {

struct PreTokenizeContext {
  bool segment_at_start = true;  // the segment begins the input (Metaspace prepend_scheme "first")
};

class PreTokenizer {
 public:
  virtual ~PreTokenizer() = default;
  // Replaces `pieces` by their refinement; empty pieces are dropped.
  virtual void apply(std::vector<std::string>& pieces, const PreTokenizeContext& context) const = 0;
};

// nullptr for JSON null. Supported: ByteLevel, Split, Digits, Metaspace, Whitespace,
// WhitespaceSplit, Punctuation, BertPreTokenizer, CharDelimiterSplit, Sequence.
std::unique_ptr<PreTokenizer> make_pre_tokenizer(const nlohmann::json& spec);

}  // namespace patchwise::models
