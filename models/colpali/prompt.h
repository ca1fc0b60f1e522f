#pragma once
// The text ColPaliProcessor (colpali-engine) and PaliGemmaProcessor hand to the tokenizer for a
// page and for a query, and the PatchGrid of a page's image tokens.
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "core/patch_grid.h"
#include "models/colpali/paligemma_config.h"

namespace patchwise::models::colpali {

inline constexpr std::string_view kImageToken = "<image>";
inline constexpr std::string_view kBosToken = "<bos>";

// The page's prompt: the placeholder expanded to image_seq_len image tokens, then "<bos>" when
// bos_after_image, the rest of the document prompt, and the document suffix. With the defaults:
// <image> x N, <bos><bos>Describe the image.\n (two BOS, as transformers >= 4.47 produce).
std::string document_prompt(const PromptConfig& prompts, int image_seq_len);

std::string query_prompt(const PromptConfig& prompts, std::string_view query);

// One cell per token: the k-th image token covers cell (x = k mod side, y = k div side) of a
// side x side grid over the whole page (the page is squashed to the square, so the grid is
// uniform over the page whatever its aspect ratio); other tokens get an empty rectangle.
// Throws patchwise::Error if the image tokens are not exactly side^2.
core::PatchGrid page_patch_grid(std::span<const std::int64_t> input_ids, std::int64_t image_token_id, int side);

}  // namespace patchwise::models::colpali
