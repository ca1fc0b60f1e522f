#pragma once
// The text the reference processor (ColIdefics3Processor / Idefics3Processor) hands to the
// tokenizer for a page and for a query, and the PatchGrid of a page's image tokens.
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "core/patch_grid.h"
#include "models/idefics3/idefics3_config.h"

namespace patchwise::models::idefics3 {

// Token strings of the Idefics3 processor.
inline constexpr std::string_view kImageToken = "<image>";
inline constexpr std::string_view kFakeImageToken = "<fake_token_around_image>";
inline constexpr std::string_view kGlobalImageToken = "<global-img>";

// What replaces the image placeholder for an image split into rows x cols tiles plus the
// global tile (rows = cols = 0: the global tile only), image_seq_len <image> tokens per tile.
std::string image_prompt(int rows, int cols, int image_seq_len);

// The page's whole prompt: the document prompt with its placeholder expanded.
std::string document_prompt(const PromptConfig& prompts, int rows, int cols, int image_seq_len);

std::string query_prompt(const PromptConfig& prompts, std::string_view query);

// One cell per token: image tokens get the page rectangle their features came from (local
// tile cells have source 1 + r*cols + c, global-tile cells source 0), other tokens an empty
// rectangle. Throws patchwise::Error if the image tokens do not fill whole tiles.
core::PatchGrid page_patch_grid(std::span<const std::int64_t> input_ids, std::int64_t image_token_id, int rows,
                                int cols, int image_seq_len);

}  // namespace patchwise::models::idefics3
