#include "models/tokenizer/byte_level.h"

#include "models/tokenizer/unicode_text.h"

namespace patchwise::models::byte_level {
namespace {

// Printable Latin-1 bytes map to themselves; the rest (controls, space, soft hyphen...) are
// shifted to U+0100 upwards in byte order.
std::array<char32_t, 256> code_points() {
  std::array<char32_t, 256> map{};
  char32_t next = 256;
  for (int b = 0; b < 256; ++b) {
    const bool printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
    map[static_cast<std::size_t>(b)] = printable ? static_cast<char32_t>(b) : next++;
  }
  return map;
}

}  // namespace

const std::array<std::string, 256>& table() {
  static const auto strings = [] {
    std::array<std::string, 256> out;
    const auto points = code_points();
    for (std::size_t b = 0; b < 256; ++b) unicode::append_utf8(out[b], points[b]);
    return out;
  }();
  return strings;
}

std::optional<unsigned char> byte_of(char32_t c) {
  static const auto points = code_points();
  if (c < 0x180) {
    for (std::size_t b = 0; b < 256; ++b) {
      if (points[b] == c) return static_cast<unsigned char>(b);
    }
  }
  return std::nullopt;
}

std::string encode(std::string_view text) {
  const auto& map = table();
  std::string out;
  out.reserve(text.size() * 2);
  for (const char ch : text) out += map[static_cast<unsigned char>(ch)];
  return out;
}

}  // namespace patchwise::models::byte_level
