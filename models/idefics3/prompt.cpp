#include "models/idefics3/prompt.h"

#include <cmath>

#include "core/error.h"

namespace patchwise::models::idefics3 {
namespace {

std::string repeated(std::string_view token, int count) {
  std::string s;
  s.reserve(token.size() * static_cast<std::size_t>(count));
  for (int i = 0; i < count; ++i) s += token;
  return s;
}

}  // namespace

std::string image_prompt(int rows, int cols, int image_seq_len) {
  const std::string tokens = repeated(kImageToken, image_seq_len);
  std::string global = std::string(kFakeImageToken) + std::string(kGlobalImageToken) + tokens + std::string(kFakeImageToken);
  if (rows == 0 && cols == 0) return global;
  std::string s;
  for (int r = 1; r <= rows; ++r) {
    for (int c = 1; c <= cols; ++c) {
      s += std::string(kFakeImageToken) + "<row_" + std::to_string(r) + "_col_" + std::to_string(c) + ">" + tokens;
    }
    s += "\n";
  }
  return s + "\n" + global;
}

std::string document_prompt(const PromptConfig& prompts, int rows, int cols, int image_seq_len) {
  const std::string& text = prompts.document_prompt;
  const auto at = text.find(prompts.image_placeholder);
  if (at == std::string::npos) throw Error("the document prompt has no image placeholder " + prompts.image_placeholder);
  return text.substr(0, at) + image_prompt(rows, cols, image_seq_len) + text.substr(at + prompts.image_placeholder.size());
}

std::string query_prompt(const PromptConfig& prompts, std::string_view query) {
  return prompts.query_prefix + std::string(query) + prompts.query_suffix;
}

core::PatchGrid page_patch_grid(std::span<const std::int64_t> input_ids, std::int64_t image_token_id, int rows,
                                int cols, int image_seq_len) {
  const int side = static_cast<int>(std::lround(std::sqrt(image_seq_len)));
  if (side * side != image_seq_len) throw Error("image_seq_len " + std::to_string(image_seq_len) + " is not a square");
  const int local_tiles = rows * cols;
  core::PatchGrid grid;
  std::int64_t k = 0;
  for (const std::int64_t id : input_ids) {
    if (id != image_token_id) {
      grid.add({}, 0);
      continue;
    }
    const auto tile = static_cast<int>(k / image_seq_len);
    const auto within = static_cast<int>(k % image_seq_len);
    ++k;
    const float i = static_cast<float>(within / side);
    const float j = static_cast<float>(within % side);
    if (tile < local_tiles) {
      const int r = tile / cols;
      const int c = tile % cols;
      const float fw = 1.0F / static_cast<float>(cols * side);
      const float fh = 1.0F / static_cast<float>(rows * side);
      const float x = static_cast<float>(c * side) + j;
      const float y = static_cast<float>(r * side) + i;
      grid.add({x * fw, y * fh, (x + 1) * fw, (y + 1) * fh}, static_cast<std::uint16_t>(1 + tile));
    } else if (tile == local_tiles) {
      const float f = 1.0F / static_cast<float>(side);
      grid.add({j * f, i * f, (j + 1) * f, (i + 1) * f}, 0);
    } else {
      throw Error("the page prompt has more image tokens than its " + std::to_string(local_tiles + 1) + " tiles");
    }
  }
  if (k != static_cast<std::int64_t>(local_tiles + 1) * image_seq_len) {
    throw Error("the page prompt has " + std::to_string(k) + " image tokens, expected " +
                std::to_string((local_tiles + 1) * image_seq_len));
  }
  return grid;
}

}  // namespace patchwise::models::idefics3
