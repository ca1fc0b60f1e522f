#pragma once
// tokenizer.json "normalizer" components.
#include <memory>
#include <string>

#include <nlohmann/json.hpp>

namespace patchwise::models {

class TextNormalizer {
 public:
  virtual ~TextNormalizer() = default;
  // Sets `keeps_start` to false when the first character of the result no longer comes from
  // the first character of the input (e.g. Strip removed leading spaces): Metaspace's
  // prepend_scheme "first" depends on it.
  virtual std::string apply(std::string text, bool& keeps_start) const = 0;
  std::string apply(std::string text) const {
    bool unused = true;
    return apply(std::move(text), unused);
  }
};

// nullptr for a JSON null. Supported types: NFC, NFD, NFKC, NFKD, Lowercase, Replace
// (String or Regex pattern), Prepend, Strip, StripAccents, Sequence. Throws patchwise::Error
// for anything else or a malformed entry.
std::unique_ptr<TextNormalizer> make_normalizer(const nlohmann::json& spec);

}  // namespace patchwise::models
