#pragma once
// Small pieces every checkpoint-backed Encoder needs: names and fingerprints, padded id
// batches, conversions between tensors, pages and multi-vectors, libtorch error translation.
#include <array>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <torch/torch.h>

#include "core/error.h"
#include "core/multi_vector.h"
#include "vision/page_image.h"
#include "vision/resample.h"

namespace patchwise::models {
class Checkpoint;

// The name users know a checkpoint folder by: ORG/NAME inside the Hugging Face cache, else
// the folder's name.
std::string display_name(const std::filesystem::path& dir);

// 16 hex digits identifying the weights (the checkpoint's fingerprint), `settings`
// (preprocessing and prompts as text), the tokenizer.json bytes and the compute dtype (which
// changes the vectors slightly).
std::string encoder_fingerprint(const Checkpoint& checkpoint, const std::string& settings, const std::string& dtype);

// Left-pads id rows to one [B, L] batch; returns (ids, attention_mask), both int64.
std::pair<torch::Tensor, torch::Tensor> left_padded(const std::vector<std::vector<std::int64_t>>& rows,
                                                    std::int64_t pad_id);

// Encodes queries `batch` at a time: `ids_of` tokenises one query, `encode` runs one
// left-padded batch of ids and returns [B, L, D]; each query's own (last) rows come back.
std::vector<core::MultiVector> encode_queries_in_batches(
    std::span<const std::string> queries, int batch,
    const std::function<std::vector<std::int64_t>(const std::string&)>& ids_of,
    const std::function<torch::Tensor(const std::vector<std::vector<std::int64_t>>&)>& encode);

// [rows, dim] tensor -> MultiVector (float32 copy).
core::MultiVector to_multivector(const torch::Tensor& rows);

// The page image as the reference's `image.convert("RGB")` array. Throws patchwise::Error for
// an empty page or a pixel buffer of the wrong length.
vision::Image8 to_image8(const vision::PageImage& page);

// Rescale in double then cast to float, normalise in float (the PIL image processors'
// order, models.md §1.4): HWC uint8 -> CHW float written to `out` (3 * width * height).
void normalize_into(const vision::Image8& img, double rescale_factor, const std::array<float, 3>& mean,
                    const std::array<float, 3>& std, float* out);

// Runs `fn`, turning libtorch's exceptions into patchwise::Error naming the family and step.
template <typename Fn>
auto guarded(std::string_view family, std::string_view what, Fn&& fn) {
  try {
    return fn();
  } catch (const c10::Error& e) {
    throw Error(std::string(family) + " " + std::string(what) + " failed in libtorch: " + e.what_without_backtrace());
  }
}

}  // namespace patchwise::models
