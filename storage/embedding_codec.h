#pragma once
// How a page's multi-vector and PatchGrid are laid out in the library's blobs. Little-endian
// throughout (the host must be little-endian; checked at compile time).
//   vectors: rows*dim values, row-major, each 4 bytes (f32) or 2 bytes (f16, bf16).
//   grid:    rows cells of 4 f32 (x0 y0 x1 y1), then rows u16 sources: 18 bytes per row.
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/multi_vector.h"
#include "core/patch_grid.h"

namespace patchwise::storage {

enum class VectorFormat { kF32, kF16, kBF16 };

std::string_view format_name(VectorFormat format);
// Throws patchwise::Error for names other than "f32", "f16", "bf16".
VectorFormat parse_format(std::string_view name);
std::size_t bytes_per_value(VectorFormat format);

std::vector<std::byte> encode_vectors(std::span<const float> values, VectorFormat format);
// Decodes into `out` (sized by the caller: blob.size() / bytes_per_value). Throws
// patchwise::Error naming `what` if the blob's size does not match.
void decode_vectors(std::span<const std::byte> blob, VectorFormat format, std::span<float> out,
                    std::string_view what);

std::vector<std::byte> encode_grid(const core::PatchGrid& grid);
core::PatchGrid decode_grid(std::span<const std::byte> blob, std::size_t rows, std::string_view what);

}  // namespace patchwise::storage
