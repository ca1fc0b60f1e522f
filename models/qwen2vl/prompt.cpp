#include "models/qwen2vl/prompt.h"

#include "core/error.h"

namespace patchwise::models::qwen2vl {

std::string document_prompt(const PromptConfig& prompts, int image_tokens) {
  const std::string& text = prompts.document_prompt;
  const auto at = text.find(prompts.image_placeholder);
  if (at == std::string::npos) throw Error("the document prompt has no image placeholder " + prompts.image_placeholder);
  std::string tokens;
  tokens.reserve(prompts.image_placeholder.size() * static_cast<std::size_t>(image_tokens));
  for (int i = 0; i < image_tokens; ++i) tokens += kImagePadToken;
  return text.substr(0, at) + tokens + text.substr(at + prompts.image_placeholder.size());
}

std::string query_prompt(const PromptConfig& prompts, std::string_view query) {
  return prompts.query_prefix + std::string(query) + prompts.query_suffix;
}

core::PatchGrid page_patch_grid(std::span<const std::int64_t> input_ids, std::int64_t image_token_id, int rows,
                                int cols) {
  core::PatchGrid grid;
  std::int64_t k = 0;
  const float fw = 1.0F / static_cast<float>(cols);
  const float fh = 1.0F / static_cast<float>(rows);
  for (const std::int64_t id : input_ids) {
    if (id != image_token_id) {
      grid.add({}, 0);
      continue;
    }
    const auto x = static_cast<float>(k % cols);
    const auto y = static_cast<float>(k / cols);
    ++k;
    grid.add({x * fw, y * fh, (x + 1) * fw, (y + 1) * fh}, 0);
  }
  if (k != static_cast<std::int64_t>(rows) * cols) {
    throw Error("the page prompt has " + std::to_string(k) + " image tokens, expected " + std::to_string(rows) + "x" +
                std::to_string(cols));
  }
  return grid;
}

}  // namespace patchwise::models::qwen2vl
