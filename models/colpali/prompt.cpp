#include "models/colpali/prompt.h"

#include "core/error.h"

namespace patchwise::models::colpali {

std::string document_prompt(const PromptConfig& prompts, int image_seq_len) {
  const std::string& text = prompts.document_prompt;
  const auto at = text.find(prompts.image_placeholder);
  if (at == std::string::npos) throw Error("the document prompt has no image placeholder " + prompts.image_placeholder);
  std::string s = text.substr(0, at);
  for (int i = 0; i < image_seq_len; ++i) s += kImageToken;
  if (prompts.bos_after_image) s += kBosToken;
  return s + text.substr(at + prompts.image_placeholder.size()) + prompts.document_suffix;
}

std::string query_prompt(const PromptConfig& prompts, std::string_view query) {
  return prompts.query_prefix + std::string(query) + prompts.query_suffix;
}

core::PatchGrid page_patch_grid(std::span<const std::int64_t> input_ids, std::int64_t image_token_id, int side) {
  core::PatchGrid grid;
  const float f = 1.0F / static_cast<float>(side);
  std::int64_t k = 0;
  for (const std::int64_t id : input_ids) {
    if (id != image_token_id) {
      grid.add({}, 0);
      continue;
    }
    const auto x = static_cast<float>(k % side);
    const auto y = static_cast<float>(k / side);
    ++k;
    grid.add({x * f, y * f, (x + 1) * f, (y + 1) * f}, 0);
  }
  if (k != static_cast<std::int64_t>(side) * side) {
    throw Error("the page prompt has " + std::to_string(k) + " image tokens, expected " + std::to_string(side * side));
  }
  return grid;
}

}  // namespace patchwise::models::colpali
