#include "models/tokenizer/tokenizer.h"

#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "core/error.h"
#include "models/tokenizer/added_vocabulary.h"
#include "models/tokenizer/bpe_model.h"
#include "models/tokenizer/decoder.h"
#include "models/tokenizer/normalizer.h"
#include "models/tokenizer/post_processor.h"
#include "models/tokenizer/pre_tokenizer.h"
#include "models/tokenizer/unicode_text.h"

namespace patchwise::models {
namespace {

const nlohmann::json& field(const nlohmann::json& root, const char* key) {
  static const nlohmann::json null;
  const auto it = root.find(key);
  return it == root.end() ? null : *it;
}

// tokenizer.json interpreted as the reference pipeline: added tokens on the raw text,
// normalizer, added tokens on the normalized text, pre-tokenizer, BPE, post-processor.
class HfTokenizer final : public Tokenizer {
 public:
  explicit HfTokenizer(const nlohmann::json& root)
      : normalizer_(make_normalizer(field(root, "normalizer"))),
        pre_tokenizer_(make_pre_tokenizer(field(root, "pre_tokenizer"))),
        model_(field(root, "model")),
        post_processor_(make_post_processor(field(root, "post_processor"))),
        decoder_(make_decoder(field(root, "decoder"))),
        added_(field(root, "added_tokens"), normalizer_.get()) {}

  std::vector<std::int32_t> encode(std::string_view input, bool add_special_tokens) const override {
    const std::string text = unicode::sanitize_utf8(input);
    std::vector<std::int32_t> ids;
    bool at_origin = true;  // the next raw segment starts at offset 0 of the input
    for (const auto& raw : added_.split(text, /*raw_tokens=*/true)) {
      if (raw.id) {
        ids.push_back(*raw.id);
        at_origin = false;
        continue;
      }
      bool keeps_start = true;
      const std::string normalized = normalizer_ ? normalizer_->apply(raw.text, keeps_start) : raw.text;
      bool segment_at_origin = at_origin && keeps_start;
      for (const auto& segment : added_.split(normalized, /*raw_tokens=*/false)) {
        if (segment.id) ids.push_back(*segment.id);
        else tokenize_segment(Piece{segment.text, segment_at_origin}, ids);
        segment_at_origin = false;
      }
      at_origin = false;
    }
    if (add_special_tokens && post_processor_) return post_processor_->single(std::move(ids));
    return ids;
  }

  std::optional<std::int32_t> token_to_id(std::string_view token) const override {
    if (const auto id = added_.token_to_id(token)) return id;
    return model_.token_to_id(token);
  }

  std::string id_to_token(std::int32_t id) const override {
    if (const auto* token = added_.token(id)) return token->content;
    if (const auto* token = model_.id_to_token(id)) return *token;
    return {};
  }

  std::string decode(std::span<const std::int32_t> ids) const override {
    std::vector<std::string> tokens;
    for (const auto id : ids) {
      auto token = id_to_token(id);
      if (!token.empty()) tokens.push_back(std::move(token));
    }
    if (decoder_) tokens = decoder_->apply(std::move(tokens));
    std::string text;
    for (std::size_t i = 0; i < tokens.size(); ++i) {
      if (i > 0 && !decoder_) text += ' ';
      text += tokens[i];
    }
    return text;
  }

  std::size_t vocab_size() const override {
    return std::max(model_.id_limit(), static_cast<std::size_t>(added_.max_id() + 1));
  }

 private:
  void tokenize_segment(Piece segment, std::vector<std::int32_t>& ids) const {
    std::vector<Piece> words{std::move(segment)};
    if (pre_tokenizer_) pre_tokenizer_->apply(words);
    for (const auto& word : words) model_.tokenize(word.text, ids);
  }

  std::unique_ptr<TextNormalizer> normalizer_;
  std::unique_ptr<PreTokenizer> pre_tokenizer_;
  BpeModel model_;
  std::unique_ptr<PostProcessor> post_processor_;
  std::unique_ptr<Decoder> decoder_;
  AddedVocabulary added_;
};

}  // namespace

std::unique_ptr<Tokenizer> Tokenizer::from_json(std::string_view json_text, std::string_view source) {
  nlohmann::json root;
  try {
    root = nlohmann::json::parse(json_text);
  } catch (const nlohmann::json::exception& e) {
    throw Error(std::string(source) + " is not valid JSON: " + e.what());
  }
  if (!root.is_object()) throw Error(std::string(source) + " is not a JSON object");
  if (!root.contains("model")) throw Error(std::string(source) + " has no \"model\"");
  try {
    return std::make_unique<HfTokenizer>(root);
  } catch (const Error& e) {
    throw Error(std::string(source) + ": " + e.what());
  } catch (const nlohmann::json::exception& e) {
    throw Error(std::string(source) + ": unexpected value: " + e.what());
  }
}

std::unique_ptr<Tokenizer> Tokenizer::from_file(const std::filesystem::path& tokenizer_json) {
  std::ifstream in(tokenizer_json, std::ios::binary);
  if (!in) throw Error("cannot read " + tokenizer_json.string());
  std::ostringstream text;
  text << in.rdbuf();
  return from_json(text.str(), tokenizer_json.string());
}

std::unique_ptr<Tokenizer> Tokenizer::from_folder(const std::filesystem::path& dir) {
  const auto file = dir / "tokenizer.json";
  if (!std::filesystem::exists(file)) {
    throw Error(dir.string() + " has no tokenizer.json (only the Hugging Face tokenizers format is supported)");
  }
  return from_file(file);
}

}  // namespace patchwise::models
