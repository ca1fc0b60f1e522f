#include "models/tokenizer/regex.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "core/error.h"
#include "models/tokenizer/unicode_text.h"

namespace patchwise::models {

struct Regex::Code {
  pcre2_code* code = nullptr;
  explicit Code(pcre2_code* c) : code(c) {}
  Code(const Code&) = delete;
  Code& operator=(const Code&) = delete;
  ~Code() { pcre2_code_free(code); }
};

namespace {

struct MatchData {
  pcre2_match_data* data;
  explicit MatchData(const pcre2_code* code) : data(pcre2_match_data_create_from_pattern(code, nullptr)) {
    if (!data) throw Error("out of memory for regex match data");
  }
  MatchData(const MatchData&) = delete;
  MatchData& operator=(const MatchData&) = delete;
  ~MatchData() { pcre2_match_data_free(data); }
};


pcre2_code* compile(std::string_view pattern, uint32_t extra_options) {
  int error = 0;
  PCRE2_SIZE offset = 0;
  pcre2_code* code = pcre2_compile(reinterpret_cast<PCRE2_SPTR>(pattern.data()), pattern.size(),
                                   PCRE2_UTF | extra_options, &error, &offset, nullptr);
  if (!code) {
    PCRE2_UCHAR message[256];
    pcre2_get_error_message(error, message, sizeof(message));
    throw Error("invalid regex '" + std::string(pattern) + "' at offset " + std::to_string(offset) + ": " +
                reinterpret_cast<const char*>(message));
  }
  // JIT is an optimisation only; matching falls back to the interpreter if unavailable.
  pcre2_jit_compile(code, PCRE2_JIT_COMPLETE);
  return code;
}

// One match starting the search at `start`; returns false when there is none.
bool match_at(const pcre2_code* code, MatchData& md, std::string_view text, std::size_t start,
              std::pair<std::size_t, std::size_t>& out) {
  const int rc = pcre2_match(code, reinterpret_cast<PCRE2_SPTR>(text.data()), text.size(), start,
                             PCRE2_NO_UTF_CHECK, md.data, nullptr);
  if (rc == PCRE2_ERROR_NOMATCH) return false;
  if (rc < 0) {
    PCRE2_UCHAR message[256];
    pcre2_get_error_message(rc, message, sizeof(message));
    throw Error(std::string("regex matching failed: ") + reinterpret_cast<const char*>(message));
  }
  const PCRE2_SIZE* ovector = pcre2_get_ovector_pointer(md.data);
  out = {ovector[0], ovector[1]};
  return true;
}

}  // namespace

Regex::Regex(std::string_view pattern, Flavor flavor)
    : code_(std::make_shared<const Code>(compile(translate(pattern, flavor), PCRE2_UCP))) {}

std::string Regex::translate(std::string_view pattern, Flavor flavor) {
  const std::string word = flavor == Flavor::RustRegex ? R"(\p{Alphabetic}\p{M}\p{Nd}\p{Pc}\x{200C}\x{200D})"
                                                       : R"(\p{L}\p{M}\p{Nd}\p{Pc})";
  std::string out;
  bool in_class = false;
  for (std::size_t i = 0; i < pattern.size(); ++i) {
    const char c = pattern[i];
    if (c == '\\' && i + 1 < pattern.size()) {
      const char next = pattern[++i];
      if (next == 'w') out += in_class ? word : "[" + word + "]";
      else if (next == 'W' && !in_class) out += "[^" + word + "]";
      else if (next == 's') out += R"(\p{White_Space})";
      else if (next == 'S') out += R"(\P{White_Space})";
      else out += {c, next};
      continue;
    }
    if (c == '[' && !in_class) {
      in_class = true;
      out += c;
      // A ']' right after '[' or '[^' is a literal member, not the end of the class.
      if (i + 1 < pattern.size() && pattern[i + 1] == '^') out += pattern[++i];
      if (i + 1 < pattern.size() && pattern[i + 1] == ']') out += pattern[++i];
      continue;
    }
    if (c == ']' && in_class) in_class = false;
    out += c;
  }
  return out;
}

Regex Regex::literal(std::string_view literal) {
  // PCRE2 allows no Unicode-property option together with PCRE2_LITERAL (none is needed).
  Regex regex("");
  regex.code_ = std::make_shared<const Code>(compile(literal, PCRE2_LITERAL));
  return regex;
}

std::vector<std::pair<std::size_t, std::size_t>> Regex::find_all(std::string_view text) const {
  std::vector<std::pair<std::size_t, std::size_t>> matches;
  MatchData md(code_->code);
  std::size_t start = 0;
  std::pair<std::size_t, std::size_t> m;
  while (start <= text.size() && match_at(code_->code, md, text, start, m)) {
    matches.push_back(m);
    if (m.second > m.first) {
      start = m.second;
    } else {
      if (m.second >= text.size()) break;
      start = m.second + unicode::sequence_length(static_cast<unsigned char>(text[m.second]));
    }
  }
  return matches;
}

std::optional<std::pair<std::size_t, std::size_t>> Regex::find(std::string_view text) const {
  MatchData md(code_->code);
  std::pair<std::size_t, std::size_t> m;
  if (!match_at(code_->code, md, text, 0, m)) return std::nullopt;
  return m;
}

bool Regex::search(std::string_view text) const { return find(text).has_value(); }

}  // namespace patchwise::models
