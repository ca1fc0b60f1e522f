// libFuzzer target: a 0x1E byte splits it into a tokenizer.json text and a
// string to encode. Loading must succeed or throw patchwise::Error; encoding and decoding a
// loaded tokenizer must not crash on any text.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/error.h"
#include "models/tokenizer/tokenizer.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const auto split = input.find('\x1e');  // record separator: JSON before, text after
  const auto json = input.substr(0, split);
  const auto text = split == std::string_view::npos ? std::string_view("Hello world 123 ÿ") : input.substr(split + 1);
  std::unique_ptr<patchwise::models::Tokenizer> tokenizer;
  try {
    tokenizer = patchwise::models::Tokenizer::from_json(json, "fuzz/tokenizer.json");
  } catch (const patchwise::Error&) {
    return 0;
  }
  try {
    const auto ids = tokenizer->encode(text, true);
    tokenizer->decode(ids);
    for (const auto id : ids) tokenizer->id_to_token(id);
  } catch (const patchwise::Error&) {
    // A pattern from the file may exceed PCRE2's match limit: an error, not a crash.
  }
  return 0;
}
