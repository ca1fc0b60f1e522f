#include "models/tokenizer/normalizer.h"

#include <vector>

#include "core/error.h"
#include "models/tokenizer/json_fields.h"
#include "models/tokenizer/regex.h"
#include "models/tokenizer/unicode_text.h"

namespace patchwise::models {
namespace {

class UnicodeForm final : public TextNormalizer {
 public:
  explicit UnicodeForm(unicode::Form form) : form_(form) {}
  std::string apply(std::string text, bool&) const override { return unicode::normalize(text, form_); }

 private:
  unicode::Form form_;
};

class Lowercase final : public TextNormalizer {
 public:
  std::string apply(std::string text, bool&) const override { return unicode::to_lower(text); }
};

class StripAccents final : public TextNormalizer {
 public:
  std::string apply(std::string text, bool& keeps_start) const override {
    auto out = unicode::strip_marks(text);
    if (!text.empty() && !out.empty() && unicode::characters(out)[0] != unicode::characters(text)[0]) keeps_start = false;
    return out;
  }
};

class Replace final : public TextNormalizer {
 public:
  Replace(Regex pattern, std::string content) : pattern_(std::move(pattern)), content_(std::move(content)) {}
  std::string apply(std::string text, bool& keeps_start) const override {
    std::string out;
    std::size_t last = 0;
    for (const auto& [begin, end] : pattern_.find_all(text)) {
      if (begin == 0 && end > 0 && content_.empty()) keeps_start = false;
      out.append(text, last, begin - last);
      out += content_;
      last = end;
    }
    out.append(text, last, std::string::npos);
    return out;
  }

 private:
  Regex pattern_;
  std::string content_;
};

class Prepend final : public TextNormalizer {
 public:
  explicit Prepend(std::string prefix) : prefix_(std::move(prefix)) {}
  // An empty string stays empty (nothing to prefix).
  std::string apply(std::string text, bool&) const override { return text.empty() ? text : prefix_ + text; }

 private:
  std::string prefix_;
};

class Strip final : public TextNormalizer {
 public:
  Strip(bool left, bool right) : left_(left), right_(right) {}
  std::string apply(std::string text, bool& keeps_start) const override {
    const auto chars = unicode::characters(text);
    std::size_t first = 0, last = chars.size();
    if (left_) {
      while (first < last && unicode::is_whitespace(unicode::decode(chars[first])[0])) ++first;
    }
    if (right_) {
      while (last > first && unicode::is_whitespace(unicode::decode(chars[last - 1])[0])) --last;
    }
    if (first > 0) keeps_start = false;
    if (first == last) return {};
    const auto begin = static_cast<std::size_t>(chars[first].data() - text.data());
    const auto end = static_cast<std::size_t>(chars[last - 1].data() + chars[last - 1].size() - text.data());
    return text.substr(begin, end - begin);
  }

 private:
  bool left_, right_;
};

class Sequence final : public TextNormalizer {
 public:
  explicit Sequence(std::vector<std::unique_ptr<TextNormalizer>> steps) : steps_(std::move(steps)) {}
  std::string apply(std::string text, bool& keeps_start) const override {
    for (const auto& step : steps_) text = step->apply(std::move(text), keeps_start);
    return text;
  }

 private:
  std::vector<std::unique_ptr<TextNormalizer>> steps_;
};

}  // namespace

std::unique_ptr<TextNormalizer> make_normalizer(const nlohmann::json& spec) {
  if (spec.is_null()) return nullptr;
  const auto type = json_fields::type_of(spec, "normalizer");
  if (type == "NFC") return std::make_unique<UnicodeForm>(unicode::Form::NFC);
  if (type == "NFD") return std::make_unique<UnicodeForm>(unicode::Form::NFD);
  if (type == "NFKC") return std::make_unique<UnicodeForm>(unicode::Form::NFKC);
  if (type == "NFKD") return std::make_unique<UnicodeForm>(unicode::Form::NFKD);
  if (type == "Lowercase") return std::make_unique<Lowercase>();
  if (type == "StripAccents") return std::make_unique<StripAccents>();
  if (type == "Replace") {
    return std::make_unique<Replace>(json_fields::pattern(spec, "normalizer Replace"),
                                     json_fields::string(spec, "content", "normalizer Replace"));
  }
  if (type == "Prepend") return std::make_unique<Prepend>(json_fields::string(spec, "prepend", "normalizer Prepend"));
  if (type == "Strip") {
    return std::make_unique<Strip>(json_fields::boolean(spec, "strip_left", true),
                                   json_fields::boolean(spec, "strip_right", true));
  }
  if (type == "Sequence") {
    std::vector<std::unique_ptr<TextNormalizer>> steps;
    for (const auto& step : json_fields::array(spec, "normalizers", "normalizer Sequence")) {
      if (auto n = make_normalizer(step)) steps.push_back(std::move(n));
    }
    return std::make_unique<Sequence>(std::move(steps));
  }
  throw Error("unsupported normalizer type \"" + type + "\"");
}

}  // namespace patchwise::models
