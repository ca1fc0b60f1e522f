#pragma once
// Plumbing shared by the libtorch encoders (ColIdefics3, ColPali...): display names,
// fingerprints, padded id batches, conversions between tensors, pages and multi-vectors, and
// libtorch errors turned into patchwise::Error.
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

// A display name for a checkpoint folder: ORG/NAME for a Hugging Face cache snapshot
// (models--ORG--NAME/snapshots/REV), else the folder's name.
std::string display_name(const std::filesystem::path& dir);

// 16 hex digits identifying weights + preprocessing/prompt settings + tokenizer file + compute
// dtype (it changes the vectors slightly), so that vectors of differently configured encoders
// are never mixed in one search.
std::string encoder_fingerprint(const std::string& checkpoint_fingerprint, const std::string& settings,
                                const std::filesystem::path& tokenizer_json, torch::ScalarType dtype);

enum class PaddingSide { left, right };

// Pads id rows to one [B, L] int64 batch; returns ids and attention mask (1 real, 0 padding).
std::pair<torch::Tensor, torch::Tensor> padded_batch(const std::vector<std::vector<std::int64_t>>& rows,
                                                     std::int64_t pad_id, PaddingSide side);

// Encodes queries `batch` at a time: `ids_of` tokenizes one query, `encode` runs one padded
// batch of id rows ([B, L, D] out, padded on `side`); returns each query's own rows.
std::vector<core::MultiVector> encode_query_batches(
    std::span<const std::string> queries, int batch,
    const std::function<std::vector<std::int64_t>(const std::string&)>& ids_of,
    const std::function<torch::Tensor(const std::vector<std::vector<std::int64_t>>&)>& encode, PaddingSide side);

// Rows [n, D] of a tensor as a float32 MultiVector.
core::MultiVector to_multivector(const torch::Tensor& rows);

// The page image as the reference's `image.convert("RGB")` array. Throws patchwise::Error for
// an empty page or a pixel buffer of the wrong length.
vision::Image8 to_image8(const vision::PageImage& page);

// HWC uint8 RGB -> CHW float32 as the PIL-backed processors do: rescale in double then cast
// to float, then (v - mean) / std in float. Writes 3 * width * height floats to `out`.
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
