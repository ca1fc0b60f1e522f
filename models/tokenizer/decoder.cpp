#include "models/tokenizer/decoder.h"

#include <optional>

#include "core/error.h"
#include "models/tokenizer/byte_level.h"
#include "models/tokenizer/json_fields.h"
#include "models/tokenizer/regex.h"
#include "models/tokenizer/unicode_text.h"

namespace patchwise::models {
namespace {

class ByteLevelDecoder final : public Decoder {
 public:
  std::vector<std::string> apply(std::vector<std::string> tokens) const override {
    std::string bytes;
    for (const auto& token : tokens) {
      std::string mapped;
      bool all_mapped = true;
      for (const char32_t c : unicode::decode(token)) {
        const auto b = byte_level::byte_of(c);
        if (!b) {
          all_mapped = false;
          break;
        }
        mapped.push_back(static_cast<char>(*b));
      }
      bytes += all_mapped ? mapped : token;
    }
    return {unicode::sanitize_utf8(bytes)};
  }
};

class ReplaceDecoder final : public Decoder {
 public:
  ReplaceDecoder(Regex pattern, std::string content) : pattern_(std::move(pattern)), content_(std::move(content)) {}
  std::vector<std::string> apply(std::vector<std::string> tokens) const override {
    for (auto& token : tokens) {
      std::string out;
      std::size_t last = 0;
      for (const auto& [b, e] : pattern_.find_all(token)) {
        out.append(token, last, b - last);
        out += content_;
        last = e;
      }
      out.append(token, last, std::string::npos);
      token = std::move(out);
    }
    return tokens;
  }

 private:
  Regex pattern_;
  std::string content_;
};

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

// The byte a "<0xNN>" token stands for.
std::optional<unsigned char> fallback_byte(const std::string& token) {
  if (token.size() != 6 || !token.starts_with("<0x") || token.back() != '>') return std::nullopt;
  const int high = hex_digit(token[3]);
  const int low = hex_digit(token[4]);
  if (high < 0 || low < 0) return std::nullopt;
  return static_cast<unsigned char>(high * 16 + low);
}

// Runs of <0xNN> tokens become their bytes; invalid UTF-8 gives one U+FFFD per byte.
class ByteFallbackDecoder final : public Decoder {
 public:
  std::vector<std::string> apply(std::vector<std::string> tokens) const override {
    std::vector<std::string> out;
    std::string pending;
    std::size_t pending_count = 0;
    const auto flush = [&] {
      if (pending_count == 0) return;
      if (unicode::is_valid_utf8(pending)) {
        out.push_back(pending);
      } else {
        std::string replacement;
        for (std::size_t i = 0; i < pending_count; ++i) replacement += "\xEF\xBF\xBD";
        out.push_back(replacement);
      }
      pending.clear();
      pending_count = 0;
    };
    for (auto& token : tokens) {
      if (const auto byte = fallback_byte(token)) {
        pending.push_back(static_cast<char>(*byte));
        ++pending_count;
        continue;
      }
      flush();
      out.push_back(std::move(token));
    }
    flush();
    return out;
  }
};

class FuseDecoder final : public Decoder {
 public:
  std::vector<std::string> apply(std::vector<std::string> tokens) const override {
    std::string joined;
    for (const auto& t : tokens) joined += t;
    return {joined};
  }
};

class StripDecoder final : public Decoder {
 public:
  StripDecoder(std::string content, std::size_t start, std::size_t stop)
      : content_(std::move(content)), start_(start), stop_(stop) {}
  std::vector<std::string> apply(std::vector<std::string> tokens) const override {
    for (auto& token : tokens) {
      for (std::size_t i = 0; i < start_ && token.starts_with(content_); ++i) token.erase(0, content_.size());
      for (std::size_t i = 0; i < stop_ && token.ends_with(content_); ++i) token.resize(token.size() - content_.size());
    }
    return tokens;
  }

 private:
  std::string content_;
  std::size_t start_, stop_;
};

class MetaspaceDecoder final : public Decoder {
 public:
  MetaspaceDecoder(std::string replacement, bool strip_first) : replacement_(std::move(replacement)), strip_first_(strip_first) {}
  std::vector<std::string> apply(std::vector<std::string> tokens) const override {
    for (std::size_t i = 0; i < tokens.size(); ++i) {
      std::string out;
      const auto& token = tokens[i];
      for (std::size_t p = 0; p < token.size();) {
        if (token.compare(p, replacement_.size(), replacement_) == 0) {
          out.push_back(' ');
          p += replacement_.size();
        } else {
          out.push_back(token[p++]);
        }
      }
      if (i == 0 && strip_first_ && out.starts_with(' ')) out.erase(0, 1);
      tokens[i] = std::move(out);
    }
    return tokens;
  }

 private:
  std::string replacement_;
  bool strip_first_;
};

class SequenceDecoder final : public Decoder {
 public:
  explicit SequenceDecoder(std::vector<std::unique_ptr<Decoder>> steps) : steps_(std::move(steps)) {}
  std::vector<std::string> apply(std::vector<std::string> tokens) const override {
    for (const auto& step : steps_) tokens = step->apply(std::move(tokens));
    return tokens;
  }

 private:
  std::vector<std::unique_ptr<Decoder>> steps_;
};

std::size_t count_field(const nlohmann::json& spec, const char* key) {
  const auto it = spec.find(key);
  if (it == spec.end() || it->is_null()) return 0;
  if (!it->is_number_unsigned()) throw Error(std::string("decoder Strip: \"") + key + "\" must be a count");
  return it->get<std::size_t>();
}

}  // namespace

std::unique_ptr<Decoder> make_decoder(const nlohmann::json& spec) {
  if (spec.is_null()) return nullptr;
  const auto type = json_fields::type_of(spec, "decoder");
  if (type == "ByteLevel") return std::make_unique<ByteLevelDecoder>();
  if (type == "Replace") {
    return std::make_unique<ReplaceDecoder>(json_fields::pattern(spec, "decoder Replace"),
                                            json_fields::string(spec, "content", "decoder Replace"));
  }
  if (type == "ByteFallback") return std::make_unique<ByteFallbackDecoder>();
  if (type == "Fuse") return std::make_unique<FuseDecoder>();
  if (type == "Strip") {
    return std::make_unique<StripDecoder>(json_fields::string(spec, "content", "decoder Strip"),
                                          count_field(spec, "start"), count_field(spec, "stop"));
  }
  if (type == "Metaspace") {
    const std::string replacement = spec.contains("replacement") ? json_fields::string(spec, "replacement", "decoder Metaspace") : "\xE2\x96\x81";
    const std::string scheme = spec.value("prepend_scheme", std::string(json_fields::boolean(spec, "add_prefix_space", true) ? "always" : "never"));
    return std::make_unique<MetaspaceDecoder>(replacement, scheme != "never");
  }
  if (type == "Sequence") {
    std::vector<std::unique_ptr<Decoder>> steps;
    for (const auto& step : json_fields::array(spec, "decoders", "decoder Sequence")) {
      if (auto d = make_decoder(step)) steps.push_back(std::move(d));
    }
    return std::make_unique<SequenceDecoder>(std::move(steps));
  }
  throw Error("unsupported decoder type \"" + type + "\"");
}

}  // namespace patchwise::models
