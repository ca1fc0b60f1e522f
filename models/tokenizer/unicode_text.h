#pragma once
// UTF-8 helpers and the Unicode operations tokenizers need (ICU underneath).
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace patchwise::models::unicode {

// `text` with every invalid UTF-8 sequence replaced by U+FFFD (as Rust's from_utf8_lossy).
std::string sanitize_utf8(std::string_view text);
bool is_valid_utf8(std::string_view text);

// Byte length of the UTF-8 sequence starting with `lead` (1 for stray bytes).
std::size_t sequence_length(unsigned char lead);
// The code points of valid UTF-8 text, and each code point's byte offset.
std::vector<char32_t> decode(std::string_view text);
void append_utf8(std::string& out, char32_t code_point);
// The text split into its characters (each a UTF-8 substring).
std::vector<std::string_view> characters(std::string_view text);

enum class Form { NFC, NFD, NFKC, NFKD };
std::string normalize(std::string_view text, Form form);
// Full Unicode lower-casing (context-sensitive final sigma included), as Rust's to_lowercase.
std::string to_lower(std::string_view text);
// Removes combining marks (categories Mn, Mc, Me), as the StripAccents normalizer does.
std::string strip_marks(std::string_view text);

bool is_whitespace(char32_t c);   // Unicode White_Space (Rust char::is_whitespace)
bool is_numeric(char32_t c);      // categories Nd, Nl, No (Rust char::is_numeric)
bool is_punctuation(char32_t c);  // ASCII punctuation or categories P* (tokenizers' is_punc)

}  // namespace patchwise::models::unicode
