#pragma once
// The text the reference processor (ColQwen2Processor / ColQwen2_5_Processor) hands to the
// tokenizer for a page and for a query, and the PatchGrid of a page's image tokens.
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "core/patch_grid.h"
#include "models/qwen2vl/qwen2vl_config.h"

namespace patchwise::models::qwen2vl {

inline constexpr std::string_view kImagePadToken = "<|image_pad|>";

// The page's prompt: the document prompt with its placeholder repeated `image_tokens` times.
std::string document_prompt(const PromptConfig& prompts, int image_tokens);

std::string query_prompt(const PromptConfig& prompts, std::string_view query);

// One cell per token: the k-th image token covers merged cell (k mod cols, k div cols) of a
// rows x cols grid over the whole page; other tokens get an empty rectangle. Throws
// patchwise::Error if the image tokens do not number rows * cols.
core::PatchGrid page_patch_grid(std::span<const std::int64_t> input_ids, std::int64_t image_token_id, int rows,
                                int cols);

}  // namespace patchwise::models::qwen2vl
