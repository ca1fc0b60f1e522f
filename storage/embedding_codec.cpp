#include "storage/embedding_codec.h"

#include <bit>
#include <cstring>

#include "core/error.h"
#include "core/half.h"

namespace patchwise::storage {

static_assert(std::endian::native == std::endian::little,
              "the library's blobs are little-endian; a big-endian port must byte-swap here");

std::string_view format_name(VectorFormat format) {
  switch (format) {
    case VectorFormat::kF32: return "f32";
    case VectorFormat::kF16: return "f16";
    case VectorFormat::kBF16: return "bf16";
  }
  return "f16";
}

VectorFormat parse_format(std::string_view name) {
  if (name == "f32") return VectorFormat::kF32;
  if (name == "f16") return VectorFormat::kF16;
  if (name == "bf16") return VectorFormat::kBF16;
  throw Error("unknown vector storage format \"" + std::string(name) + "\" (expected f32, f16 or bf16)");
}

std::size_t bytes_per_value(VectorFormat format) { return format == VectorFormat::kF32 ? 4 : 2; }

std::vector<std::byte> encode_vectors(std::span<const float> values, VectorFormat format) {
  std::vector<std::byte> out(values.size() * bytes_per_value(format));
  if (format == VectorFormat::kF32) {
    if (!values.empty()) std::memcpy(out.data(), values.data(), out.size());
    return out;
  }
  for (std::size_t i = 0; i < values.size(); ++i) {
    const std::uint16_t h =
        format == VectorFormat::kF16 ? core::float_to_f16(values[i]) : core::float_to_bf16(values[i]);
    std::memcpy(out.data() + 2 * i, &h, 2);
  }
  return out;
}

void decode_vectors(std::span<const std::byte> blob, VectorFormat format, std::span<float> out,
                    std::string_view what) {
  if (blob.size() != out.size() * bytes_per_value(format)) {
    throw Error(std::string(what) + ": vector blob has " + std::to_string(blob.size()) + " bytes, expected " +
                std::to_string(out.size() * bytes_per_value(format)) + " (" + std::string(format_name(format)) +
                "); the library is damaged");
  }
  if (format == VectorFormat::kF32) {
    if (!out.empty()) std::memcpy(out.data(), blob.data(), blob.size());
    return;
  }
  for (std::size_t i = 0; i < out.size(); ++i) {
    std::uint16_t h;
    std::memcpy(&h, blob.data() + 2 * i, 2);
    out[i] = format == VectorFormat::kF16 ? core::f16_to_float(h) : core::bf16_to_float(h);
  }
}

std::vector<std::byte> encode_grid(const core::PatchGrid& grid) {
  const std::size_t rows = grid.size();
  std::vector<std::byte> out(rows * 18);
  for (std::size_t r = 0; r < rows; ++r) {
    const core::NormRect& c = grid.cells[r];
    const float v[4] = {c.x0, c.y0, c.x1, c.y1};
    std::memcpy(out.data() + r * 16, v, 16);
    const std::uint16_t src = r < grid.source.size() ? grid.source[r] : 0;
    std::memcpy(out.data() + rows * 16 + r * 2, &src, 2);
  }
  return out;
}

core::PatchGrid decode_grid(std::span<const std::byte> blob, std::size_t rows, std::string_view what) {
  if (blob.size() != rows * 18) {
    throw Error(std::string(what) + ": grid blob has " + std::to_string(blob.size()) + " bytes, expected " +
                std::to_string(rows * 18) + " for " + std::to_string(rows) + " rows; the library is damaged");
  }
  core::PatchGrid grid;
  grid.cells.resize(rows);
  grid.source.resize(rows);
  for (std::size_t r = 0; r < rows; ++r) {
    float v[4];
    std::memcpy(v, blob.data() + r * 16, 16);
    grid.cells[r] = {v[0], v[1], v[2], v[3]};
    std::memcpy(&grid.source[r], blob.data() + rows * 16 + r * 2, 2);
  }
  return grid;
}

}  // namespace patchwise::storage
