#pragma once
// Hugging Face tokenizers, interpreted natively from tokenizer.json (no libtorch, no
// libsentencepiece). Supported: BPE models (byte-level like GPT-2/SmolLM2/Qwen2/ModernBERT,
// and SentencePiece-style with byte_fallback like Gemma), added/special tokens, the common
// normalizers, pre-tokenizers, post-processors and decoders. Ids equal the reference
// `tokenizers` library's on the same file (see tests/models/tokenizer/).
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace patchwise::models {

class Tokenizer {
 public:
  virtual ~Tokenizer() = default;

  // Reads dir/tokenizer.json. Throws patchwise::Error naming the file and the problem
  // (malformed JSON, unsupported component, inconsistent vocabulary or merges).
  static std::unique_ptr<Tokenizer> from_folder(const std::filesystem::path& dir);
  static std::unique_ptr<Tokenizer> from_file(const std::filesystem::path& tokenizer_json);
  // From the JSON text itself; `source` names it in errors.
  static std::unique_ptr<Tokenizer> from_json(std::string_view json_text,
                                              std::string_view source = "tokenizer.json");

  // Token ids of `text` (UTF-8; invalid sequences are replaced by U+FFFD). With
  // add_special_tokens the post-processor's template (BOS/CLS/SEP...) is applied.
  virtual std::vector<std::int32_t> encode(std::string_view text,
                                           bool add_special_tokens = false) const = 0;
  virtual std::optional<std::int32_t> token_to_id(std::string_view token) const = 0;
  // The token string ("" for an unknown id).
  virtual std::string id_to_token(std::int32_t id) const = 0;
  // Text of the ids through the file's decoder (special tokens kept).
  virtual std::string decode(std::span<const std::int32_t> ids) const = 0;
  // One more than the largest id (model vocabulary and added tokens).
  virtual std::size_t vocab_size() const = 0;
};

}  // namespace patchwise::models
