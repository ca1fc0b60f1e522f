#pragma once
// A compiled PCRE2 pattern in UTF + UCP mode (\p{L}, \s, \w are Unicode-aware, as in the
// Oniguruma / Rust regex engines Hugging Face tokenizers use). Move-only.
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace patchwise::models {

class Regex {
 public:
  // Whose meaning of \w and \s the pattern is written for. tokenizer.json patterns are
  // Oniguruma's (\w = letters, marks, decimal digits, connector punctuation); the reference's
  // own fixed patterns use Rust's regex crate (\w adds all Alphabetic and the joiners).
  // PCRE2 10.42's \w lacks marks, so both are rewritten into explicit property classes.
  enum class Flavor { Oniguruma, RustRegex };

  // Throws patchwise::Error with the pattern and PCRE2's message if it does not compile.
  explicit Regex(std::string_view pattern, Flavor flavor = Flavor::Oniguruma);
  // A pattern matching `literal` exactly.
  static Regex literal(std::string_view literal);

  // Non-overlapping matches [begin, end) left to right; an empty match advances one character.
  // `text` must be valid UTF-8.
  std::vector<std::pair<std::size_t, std::size_t>> find_all(std::string_view text) const;
  bool search(std::string_view text) const;
  // The first match, if any.
  std::optional<std::pair<std::size_t, std::size_t>> find(std::string_view text) const;

  // The PCRE2 pattern a pattern of `flavor` is compiled as (exposed for tests).
  static std::string translate(std::string_view pattern, Flavor flavor);

 private:
  struct Code;
  std::shared_ptr<const Code> code_;
};

}  // namespace patchwise::models
