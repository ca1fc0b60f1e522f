#pragma once
// Prompt strings are data (models.md §0.2: they changed between colpali-engine releases). A
// checkpoint folder may carry "patchwise_prompts.json" with any of document_prompt,
// image_placeholder, query_prefix, query_suffix to override a family's defaults.
#include <filesystem>
#include <string>

#include "core/error.h"
#include "models/checkpoint/checkpoint.h"
#include "models/common/config_fields.h"

namespace patchwise::models {

inline constexpr const char* kPromptOverridesFile = "patchwise_prompts.json";

// `Prompts` has the four std::string members named above. Throws patchwise::Error for a
// malformed file or a document prompt without its image placeholder.
template <typename Prompts>
void apply_prompt_overrides(const std::filesystem::path& dir, Prompts& prompts) {
  if (const auto file = dir / kPromptOverridesFile; std::filesystem::exists(file)) {
    const auto j = read_json_file(file);
    const ConfigFields f(j, file.string());
    prompts.document_prompt = f.string_or("document_prompt", prompts.document_prompt);
    prompts.image_placeholder = f.string_or("image_placeholder", prompts.image_placeholder);
    prompts.query_prefix = f.string_or("query_prefix", prompts.query_prefix);
    prompts.query_suffix = f.string_or("query_suffix", prompts.query_suffix);
  }
  if (prompts.document_prompt.find(prompts.image_placeholder) == std::string::npos) {
    throw Error(dir.string() + ": the document prompt has no image placeholder \"" + prompts.image_placeholder + "\"");
  }
}

}  // namespace patchwise::models
