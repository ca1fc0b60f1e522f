#include "models/tokenizer/pre_tokenizer.h"

#include <algorithm>
#include <functional>
#include <optional>
#include <utility>

#include "core/error.h"
#include "models/tokenizer/byte_level.h"
#include "models/tokenizer/json_fields.h"
#include "models/tokenizer/regex.h"
#include "models/tokenizer/unicode_text.h"

namespace patchwise::models {
namespace {

enum class Behavior { Removed, Isolated, MergedWithPrevious, MergedWithNext, Contiguous };

struct Span {
  std::size_t begin, end;
  bool is_match;
};

Behavior parse_behavior(const std::string& name) {
  if (name == "Removed") return Behavior::Removed;
  if (name == "Isolated") return Behavior::Isolated;
  if (name == "MergedWithPrevious") return Behavior::MergedWithPrevious;
  if (name == "MergedWithNext") return Behavior::MergedWithNext;
  if (name == "Contiguous") return Behavior::Contiguous;
  throw Error("unknown split behavior \"" + name + "\"");
}

// Matches and the gaps between them, covering the whole text.
std::vector<Span> cover(std::size_t size, const std::vector<std::pair<std::size_t, std::size_t>>& matches, bool invert) {
  std::vector<Span> spans;
  std::size_t last = 0;
  for (const auto& [b, e] : matches) {
    if (b > last) spans.push_back({last, b, invert});
    spans.push_back({b, e, !invert});
    last = e;
  }
  if (last < size) spans.push_back({last, size, invert});
  return spans;
}

// Applies the delimiter behavior the way the reference's NormalizedString::split does.
std::vector<Piece> split_spans(const Piece& piece, std::vector<Span> spans, Behavior behavior) {
  const std::string& text = piece.text;
  std::vector<Span> out;
  bool previous_match = false;
  switch (behavior) {
    case Behavior::Isolated:
      for (auto s : spans) out.push_back({s.begin, s.end, false});
      break;
    case Behavior::Removed:
      out = std::move(spans);
      break;
    case Behavior::Contiguous:
      for (const auto& s : spans) {
        if (s.is_match == previous_match && !out.empty()) out.back().end = s.end;
        else out.push_back({s.begin, s.end, false});
        previous_match = s.is_match;
      }
      break;
    case Behavior::MergedWithPrevious:
      for (const auto& s : spans) {
        if (s.is_match && !previous_match && !out.empty()) out.back().end = s.end;
        else out.push_back({s.begin, s.end, false});
        previous_match = s.is_match;
      }
      break;
    case Behavior::MergedWithNext:
      for (auto it = spans.rbegin(); it != spans.rend(); ++it) {
        if (it->is_match && !previous_match && !out.empty()) out.back().begin = it->begin;
        else out.push_back({it->begin, it->end, false});
        previous_match = it->is_match;
      }
      std::reverse(out.begin(), out.end());
      break;
  }
  std::vector<Piece> pieces;
  for (const auto& s : out) {
    if (!s.is_match && s.end > s.begin) pieces.push_back({text.substr(s.begin, s.end - s.begin), piece.at_origin && s.begin == 0});
  }
  return pieces;
}

using Matcher = std::function<std::vector<std::pair<std::size_t, std::size_t>>(const std::string&)>;

// Each character satisfying `predicate` is one match.
Matcher char_matcher(std::function<bool(char32_t)> predicate) {
  return [predicate = std::move(predicate)](const std::string& text) {
    std::vector<std::pair<std::size_t, std::size_t>> matches;
    std::size_t offset = 0;
    for (const auto ch : unicode::characters(text)) {
      if (predicate(unicode::decode(ch)[0])) matches.emplace_back(offset, offset + ch.size());
      offset += ch.size();
    }
    return matches;
  };
}

Matcher regex_matcher(Regex regex) {
  return [regex = std::move(regex)](const std::string& text) { return regex.find_all(text); };
}

void refine(std::vector<Piece>& pieces, const std::function<std::vector<Piece>(const Piece&)>& f) {
  std::vector<Piece> out;
  for (const auto& piece : pieces) {
    for (auto& p : f(piece)) out.push_back(std::move(p));
  }
  pieces = std::move(out);
}

class SplitPre final : public PreTokenizer {
 public:
  SplitPre(Matcher matcher, Behavior behavior, bool invert)
      : matcher_(std::move(matcher)), behavior_(behavior), invert_(invert) {}
  void apply(std::vector<Piece>& pieces) const override {
    refine(pieces, [this](const Piece& piece) {
      return split_spans(piece, cover(piece.text.size(), matcher_(piece.text), invert_), behavior_);
    });
  }

 private:
  Matcher matcher_;
  Behavior behavior_;
  bool invert_;
};

class ByteLevelPre final : public PreTokenizer {
 public:
  ByteLevelPre(bool add_prefix_space, bool use_regex)
      : add_prefix_space_(add_prefix_space), regex_(use_regex ? std::optional<Regex>(Regex(byte_level::kGpt2Pattern)) : std::nullopt) {}
  void apply(std::vector<Piece>& pieces) const override {
    refine(pieces, [this](const Piece& original) {
      Piece piece = original;
      if (add_prefix_space_ && !piece.text.starts_with(' ')) piece.text.insert(0, " ");
      std::vector<Piece> parts =
          regex_ ? split_spans(piece, cover(piece.text.size(), regex_->find_all(piece.text), false), Behavior::Isolated)
                 : std::vector<Piece>{piece};
      for (auto& p : parts) p.text = byte_level::encode(p.text);
      return parts;
    });
  }

 private:
  bool add_prefix_space_;
  std::optional<Regex> regex_;
};

class MetaspacePre final : public PreTokenizer {
 public:
  MetaspacePre(std::string replacement, std::string scheme, bool split)
      : replacement_(std::move(replacement)), scheme_(std::move(scheme)), split_(split) {}
  void apply(std::vector<Piece>& pieces) const override {
    const char32_t marker = unicode::decode(replacement_).at(0);
    refine(pieces, [&](const Piece& original) {
      Piece piece{std::string(), original.at_origin};
      for (const char ch : original.text) {
        if (ch == ' ') piece.text += replacement_;
        else piece.text.push_back(ch);
      }
      const bool prepend = scheme_ == "always" || (scheme_ == "first" && piece.at_origin);
      if (prepend && !piece.text.starts_with(replacement_)) piece.text.insert(0, replacement_);
      if (!split_) return std::vector<Piece>{piece};
      const auto matches = char_matcher([marker](char32_t c) { return c == marker; })(piece.text);
      return split_spans(piece, cover(piece.text.size(), matches, false), Behavior::MergedWithNext);
    });
  }

 private:
  std::string replacement_;
  std::string scheme_;
  bool split_;
};

class SequencePre final : public PreTokenizer {
 public:
  explicit SequencePre(std::vector<std::unique_ptr<PreTokenizer>> steps) : steps_(std::move(steps)) {}
  void apply(std::vector<Piece>& pieces) const override {
    for (const auto& step : steps_) step->apply(pieces);
  }

 private:
  std::vector<std::unique_ptr<PreTokenizer>> steps_;
};

std::unique_ptr<PreTokenizer> make_split(const nlohmann::json& spec) {
  const auto behavior = parse_behavior(json_fields::string(spec, "behavior", "pre_tokenizer Split"));
  return std::make_unique<SplitPre>(regex_matcher(json_fields::pattern(spec, "pre_tokenizer Split")), behavior,
                                    json_fields::boolean(spec, "invert", false));
}

std::unique_ptr<PreTokenizer> make_metaspace(const nlohmann::json& spec) {
  std::string scheme = "always";
  if (const auto it = spec.find("prepend_scheme"); it != spec.end() && it->is_string()) {
    scheme = it->get<std::string>();
  } else if (!json_fields::boolean(spec, "add_prefix_space", true)) {
    scheme = "never";
  }
  if (scheme != "always" && scheme != "never" && scheme != "first") {
    throw Error("pre_tokenizer Metaspace: unknown prepend_scheme \"" + scheme + "\"");
  }
  const std::string replacement = spec.contains("replacement") ? json_fields::string(spec, "replacement", "Metaspace") : "\xE2\x96\x81";
  if (replacement.empty() || unicode::characters(replacement).size() != 1) {
    throw Error("pre_tokenizer Metaspace: replacement must be one character");
  }
  return std::make_unique<MetaspacePre>(replacement, scheme, json_fields::boolean(spec, "split", true));
}

}  // namespace

std::unique_ptr<PreTokenizer> make_pre_tokenizer(const nlohmann::json& spec) {
  if (spec.is_null()) return nullptr;
  const auto type = json_fields::type_of(spec, "pre_tokenizer");
  if (type == "ByteLevel") {
    return std::make_unique<ByteLevelPre>(json_fields::boolean(spec, "add_prefix_space", true),
                                          json_fields::boolean(spec, "use_regex", true));
  }
  if (type == "Split") return make_split(spec);
  if (type == "Digits") {
    const auto behavior = json_fields::boolean(spec, "individual_digits", false) ? Behavior::Isolated : Behavior::Contiguous;
    return std::make_unique<SplitPre>(char_matcher(unicode::is_numeric), behavior, false);
  }
  if (type == "Metaspace") return make_metaspace(spec);
  if (type == "Whitespace") {
    return std::make_unique<SplitPre>(regex_matcher(Regex(R"(\w+|[^\w\s]+)", Regex::Flavor::RustRegex)), Behavior::Removed, true);
  }
  if (type == "WhitespaceSplit") {
    return std::make_unique<SplitPre>(char_matcher(unicode::is_whitespace), Behavior::Removed, false);
  }
  if (type == "Punctuation") {
    const auto behavior = spec.contains("behavior") ? parse_behavior(json_fields::string(spec, "behavior", "Punctuation"))
                                                    : Behavior::Isolated;
    return std::make_unique<SplitPre>(char_matcher(unicode::is_punctuation), behavior, false);
  }
  if (type == "BertPreTokenizer") {
    std::vector<std::unique_ptr<PreTokenizer>> steps;
    steps.push_back(std::make_unique<SplitPre>(char_matcher(unicode::is_whitespace), Behavior::Removed, false));
    steps.push_back(std::make_unique<SplitPre>(char_matcher(unicode::is_punctuation), Behavior::Isolated, false));
    return std::make_unique<SequencePre>(std::move(steps));
  }
  if (type == "CharDelimiterSplit") {
    const auto delimiter = unicode::decode(json_fields::string(spec, "delimiter", "CharDelimiterSplit"));
    if (delimiter.size() != 1) throw Error("pre_tokenizer CharDelimiterSplit: delimiter must be one character");
    const char32_t d = delimiter[0];
    return std::make_unique<SplitPre>(char_matcher([d](char32_t c) { return c == d; }), Behavior::Removed, false);
  }
  if (type == "Sequence") {
    std::vector<std::unique_ptr<PreTokenizer>> steps;
    for (const auto& step : json_fields::array(spec, "pretokenizers", "pre_tokenizer Sequence")) {
      if (auto p = make_pre_tokenizer(step)) steps.push_back(std::move(p));
    }
    return std::make_unique<SequencePre>(std::move(steps));
  }
  throw Error("unsupported pre_tokenizer type \"" + type + "\"");
}

}  // namespace patchwise::models
