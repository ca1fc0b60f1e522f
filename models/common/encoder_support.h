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

// 16 hex digits identifying the weights (the checkpoint's fingerprint), the tokenizer file's
// bytes (`tokenizer_json`, by default the checkpoint's tokenizer.json) and `settings`
// (preprocessing and prompts as text). The compute dtype is left out on purpose: bf16 vectors
// stay close to float32 ones, so a library ingested in one dtype is searchable in the other.
std::string encoder_fingerprint(const Checkpoint& checkpoint, const std::string& settings,
                                const std::filesystem::path& tokenizer_json = {});

// Which side of a row the padding goes (each family's processor decides).
enum class PaddingSide { left, right };

// Pads id rows to one [B, L] int64 batch; returns (ids, attention_mask), 1 real, 0 padding.
std::pair<torch::Tensor, torch::Tensor> padded_batch(const std::vector<std::vector<std::int64_t>>& rows,
                                                     std::int64_t pad_id, PaddingSide side);

// Encodes queries `batch` at a time: `ids_of` tokenises one query, `encode` runs one batch of
// id rows padded on `side` and returns [B, L, D]; each query's own rows come back.
std::vector<core::MultiVector> encode_queries_in_batches(
    std::span<const std::string> queries, int batch,
    const std::function<std::vector<std::int64_t>(const std::string&)>& ids_of,
    const std::function<torch::Tensor(const std::vector<std::vector<std::int64_t>>&)>& encode, PaddingSide side);

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
