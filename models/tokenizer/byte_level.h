#pragma once
// GPT-2's reversible byte <-> printable character map used by byte-level BPE.
#include <array>
#include <optional>
#include <string>
#include <string_view>

namespace patchwise::models::byte_level {

// Each byte of `text` replaced by its mapped character (UTF-8).
std::string encode(std::string_view text);
// The byte a mapped character stands for, or nullopt if it is not in the map.
std::optional<unsigned char> byte_of(char32_t c);
// The mapped character of each byte, UTF-8 encoded.
const std::array<std::string, 256>& table();

// The GPT-2 pre-tokenizer split pattern (contractions, letters, numbers, other, spaces).
inline constexpr std::string_view kGpt2Pattern =
    R"('s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+)";

}  // namespace patchwise::models::byte_level
