#include "models/tokenizer/unicode_text.h"

#include <unicode/uchar.h>
#include <unicode/unorm2.h>
#include <unicode/ustring.h>

#include "core/error.h"

namespace patchwise::models::unicode {
namespace {

// Decodes one valid sequence at text[i]; returns its length, or 0 if invalid.
std::size_t decode_one(std::string_view text, std::size_t i, char32_t& out) {
  const auto b0 = static_cast<unsigned char>(text[i]);
  if (b0 < 0x80) {
    out = b0;
    return 1;
  }
  std::size_t length = 0;
  char32_t value = 0;
  char32_t minimum = 0;
  if ((b0 & 0xE0) == 0xC0) {
    length = 2, value = b0 & 0x1F, minimum = 0x80;
  } else if ((b0 & 0xF0) == 0xE0) {
    length = 3, value = b0 & 0x0F, minimum = 0x800;
  } else if ((b0 & 0xF8) == 0xF0) {
    length = 4, value = b0 & 0x07, minimum = 0x10000;
  } else {
    return 0;
  }
  if (i + length > text.size()) return 0;
  for (std::size_t k = 1; k < length; ++k) {
    const auto b = static_cast<unsigned char>(text[i + k]);
    if ((b & 0xC0) != 0x80) return 0;
    value = (value << 6) | (b & 0x3F);
  }
  if (value < minimum || value > 0x10FFFF || (value >= 0xD800 && value <= 0xDFFF)) return 0;
  out = value;
  return length;
}

// Length of the maximal prefix of an invalid sequence, as the WHATWG/Rust lossy decoder
// counts it (so one U+FFFD replaces it).
std::size_t invalid_prefix_length(std::string_view text, std::size_t i) {
  const auto b0 = static_cast<unsigned char>(text[i]);
  std::size_t expected = 0;
  unsigned char low = 0x80, high = 0xBF;
  if (b0 >= 0xC2 && b0 <= 0xDF) expected = 2;
  else if (b0 >= 0xE0 && b0 <= 0xEF) {
    expected = 3;
    if (b0 == 0xE0) low = 0xA0;
    if (b0 == 0xED) high = 0x9F;
  } else if (b0 >= 0xF0 && b0 <= 0xF4) {
    expected = 4;
    if (b0 == 0xF0) low = 0x90;
    if (b0 == 0xF4) high = 0x8F;
  } else {
    return 1;
  }
  std::size_t n = 1;
  while (n < expected && i + n < text.size()) {
    const auto b = static_cast<unsigned char>(text[i + n]);
    if (b < low || b > high) break;
    low = 0x80, high = 0xBF;
    ++n;
  }
  return n;
}

std::u16string to_utf16(std::string_view text) {
  std::u16string out;
  for (const char32_t c : decode(text)) {
    if (c >= 0x10000) {
      out.push_back(static_cast<char16_t>(0xD800 + ((c - 0x10000) >> 10)));
      out.push_back(static_cast<char16_t>(0xDC00 + ((c - 0x10000) & 0x3FF)));
    } else {
      out.push_back(static_cast<char16_t>(c));
    }
  }
  return out;
}

std::string from_utf16(const std::u16string& text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    char32_t c = text[i];
    if (c >= 0xD800 && c <= 0xDBFF && i + 1 < text.size() && text[i + 1] >= 0xDC00 && text[i + 1] <= 0xDFFF) {
      c = 0x10000 + ((c - 0xD800) << 10) + (text[i + 1] - 0xDC00);
      ++i;
    }
    append_utf8(out, c);
  }
  return out;
}

const UNormalizer2* normalizer_for(Form form) {
  UErrorCode status = U_ZERO_ERROR;
  const UNormalizer2* n = nullptr;
  switch (form) {
    case Form::NFC: n = unorm2_getNFCInstance(&status); break;
    case Form::NFD: n = unorm2_getNFDInstance(&status); break;
    case Form::NFKC: n = unorm2_getNFKCInstance(&status); break;
    case Form::NFKD: n = unorm2_getNFKDInstance(&status); break;
  }
  if (U_FAILURE(status) || n == nullptr) throw Error(std::string("ICU normalizer unavailable: ") + u_errorName(status));
  return n;
}

// Runs an ICU UTF-16 transform that reports the needed size on overflow.
template <typename Transform>
std::u16string transform_utf16(const std::u16string& source, Transform transform) {
  std::u16string out(source.size() * 2 + 8, u'\0');
  for (int attempt = 0; attempt < 2; ++attempt) {
    UErrorCode status = U_ZERO_ERROR;
    const int32_t length = transform(reinterpret_cast<const UChar*>(source.data()), static_cast<int32_t>(source.size()),
                                     reinterpret_cast<UChar*>(out.data()), static_cast<int32_t>(out.size()), &status);
    if (status == U_BUFFER_OVERFLOW_ERROR) {
      out.assign(static_cast<std::size_t>(length) + 1, u'\0');
      continue;
    }
    if (U_FAILURE(status)) throw Error(std::string("ICU text transform failed: ") + u_errorName(status));
    out.resize(static_cast<std::size_t>(length));
    return out;
  }
  throw Error("ICU text transform failed: buffer size");
}

}  // namespace

bool is_valid_utf8(std::string_view text) {
  char32_t c = 0;
  for (std::size_t i = 0; i < text.size();) {
    const auto n = decode_one(text, i, c);
    if (n == 0) return false;
    i += n;
  }
  return true;
}

std::string sanitize_utf8(std::string_view text) {
  if (is_valid_utf8(text)) return std::string(text);
  std::string out;
  char32_t c = 0;
  for (std::size_t i = 0; i < text.size();) {
    const auto n = decode_one(text, i, c);
    if (n > 0) {
      out.append(text.substr(i, n));
      i += n;
    } else {
      out.append("\xEF\xBF\xBD");
      i += invalid_prefix_length(text, i);
    }
  }
  return out;
}

std::size_t sequence_length(unsigned char lead) {
  if (lead < 0x80) return 1;
  if ((lead & 0xE0) == 0xC0) return 2;
  if ((lead & 0xF0) == 0xE0) return 3;
  if ((lead & 0xF8) == 0xF0) return 4;
  return 1;
}

std::vector<char32_t> decode(std::string_view text) {
  std::vector<char32_t> out;
  out.reserve(text.size());
  char32_t c = 0;
  for (std::size_t i = 0; i < text.size();) {
    const auto n = decode_one(text, i, c);
    out.push_back(n ? c : U'\uFFFD');
    i += n ? n : 1;
  }
  return out;
}

void append_utf8(std::string& out, char32_t c) {
  if (c < 0x80) {
    out.push_back(static_cast<char>(c));
  } else if (c < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (c >> 6)));
    out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
  } else if (c < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (c >> 12)));
    out.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (c >> 18)));
    out.push_back(static_cast<char>(0x80 | ((c >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
  }
}

std::vector<std::string_view> characters(std::string_view text) {
  std::vector<std::string_view> out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    const auto n = std::min(sequence_length(static_cast<unsigned char>(text[i])), text.size() - i);
    out.push_back(text.substr(i, n));
    i += n;
  }
  return out;
}

std::string normalize(std::string_view text, Form form) {
  const UNormalizer2* n = normalizer_for(form);
  const auto source = to_utf16(text);
  return from_utf16(transform_utf16(source, [n](const UChar* s, int32_t sl, UChar* d, int32_t dl, UErrorCode* st) {
    return unorm2_normalize(n, s, sl, d, dl, st);
  }));
}

std::string to_lower(std::string_view text) {
  const auto source = to_utf16(text);
  return from_utf16(transform_utf16(source, [](const UChar* s, int32_t sl, UChar* d, int32_t dl, UErrorCode* st) {
    return u_strToLower(d, dl, s, sl, "", st);
  }));
}

std::string strip_marks(std::string_view text) {
  std::string out;
  for (const char32_t c : decode(text)) {
    const auto type = u_charType(static_cast<UChar32>(c));
    if (type != U_NON_SPACING_MARK && type != U_COMBINING_SPACING_MARK && type != U_ENCLOSING_MARK) append_utf8(out, c);
  }
  return out;
}

bool is_whitespace(char32_t c) { return u_hasBinaryProperty(static_cast<UChar32>(c), UCHAR_WHITE_SPACE); }

bool is_numeric(char32_t c) {
  const auto type = u_charType(static_cast<UChar32>(c));
  return type == U_DECIMAL_DIGIT_NUMBER || type == U_LETTER_NUMBER || type == U_OTHER_NUMBER;
}

bool is_punctuation(char32_t c) {
  if (c < 0x80) return (c >= 33 && c <= 47) || (c >= 58 && c <= 64) || (c >= 91 && c <= 96) || (c >= 123 && c <= 126);
  return u_ispunct(static_cast<UChar32>(c));
}

}  // namespace patchwise::models::unicode
