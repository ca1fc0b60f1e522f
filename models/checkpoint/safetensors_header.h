#pragma once
// The torch-free half of safetensors reading: the dtype table and a strict parser for the
// file's header. Kept apart from SafetensorsFile so it can be fuzzed and reused without
// libtorch.
//
// File layout: 8-byte little-endian header length N, N bytes of UTF-8 JSON, then the data
// buffer. The JSON maps tensor name -> {dtype, shape, data_offsets: [begin, end)} with offsets
// relative to the data buffer, plus an optional "__metadata__" object of string values.
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace patchwise::models {

enum class DType { F64, F32, F16, BF16, I64, I32, I16, I8, U8, BOOL };

// Bytes per element.
std::size_t dtype_size(DType dtype);
// The spelling used in safetensors headers ("F32", "BF16", ...).
std::string_view dtype_name(DType dtype);
std::optional<DType> parse_dtype(std::string_view name);

struct TensorInfo {
  std::string name;
  DType dtype = DType::F32;
  std::vector<std::int64_t> shape;
  std::uint64_t begin = 0;  // byte offset into the data buffer
  std::uint64_t end = 0;    // one past the last byte; end - begin == numel * dtype_size

  std::int64_t numel() const;
  std::uint64_t byte_size() const { return end - begin; }
};

struct SafetensorsHeader {
  std::vector<TensorInfo> tensors;             // sorted by begin offset
  std::map<std::string, std::string> metadata;  // "__metadata__", e.g. {"format": "pt"}
  std::uint64_t data_start = 0;                 // absolute file offset of the data buffer
};

// Largest header this reader accepts; real headers are well below 100 MB (the reference
// implementation uses the same limit).
inline constexpr std::uint64_t kMaxSafetensorsHeaderBytes = 100'000'000;

// Parses and validates the header of a safetensors file whose first bytes are `prefix`
// (at least the 8-byte length plus the header; more is fine) and whose size is `file_size`.
// Checks: header length fits the file and the limit, JSON is an object, every dtype is
// known, shapes are non-negative and their byte size cannot overflow, shape product times
// dtype size equals the byte span, spans lie inside the data buffer and do not overlap,
// and the data buffer is exactly covered (no gaps, no trailing bytes).
// Throws patchwise::Error naming `source` (usually the file path) and the tensor.
SafetensorsHeader parse_safetensors_header(std::span<const std::byte> prefix,
                                           std::uint64_t file_size, std::string_view source);

}  // namespace patchwise::models
