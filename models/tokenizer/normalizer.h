#pragma once
// tokenizer.json "normalizer" components.
#include <memory>
#include <string>

#include <nlohmann/json.hpp>

namespace patchwise::models {

class TextNormalizer {
 public:
  virtual ~TextNormalizer() = default;
  virtual std::string apply(std::string text) const = 0;
};

// nullptr for a JSON null. Supported types: NFC, NFD, NFKC, NFKD, Lowercase, Replace
// (String or Regex pattern), Prepend, Strip, StripAccents, Sequence. Throws patchwise::Error
// for anything else or a malformed entry.
std::unique_ptr<TextNormalizer> make_normalizer(const nlohmann::json& spec);

}  // namespace patchwise::models
