#include "models/checkpoint/safetensors_header.h"

#include <algorithm>
#include <array>
#include <limits>

#include <nlohmann/json.hpp>

#include "core/error.h"

namespace patchwise::models {
namespace {

struct DTypeRow {
  DType dtype;
  std::string_view name;
  std::size_t size;
};

constexpr std::array<DTypeRow, 10> kDTypes{{
    {DType::F64, "F64", 8},
    {DType::F32, "F32", 4},
    {DType::F16, "F16", 2},
    {DType::BF16, "BF16", 2},
    {DType::I64, "I64", 8},
    {DType::I32, "I32", 4},
    {DType::I16, "I16", 2},
    {DType::I8, "I8", 1},
    {DType::U8, "U8", 1},
    {DType::BOOL, "BOOL", 1},
}};

const DTypeRow& row_of(DType dtype) {
  for (const auto& row : kDTypes) {
    if (row.dtype == dtype) return row;
  }
  throw Error("unknown dtype enumerator");
}

[[noreturn]] void fail(std::string_view source, const std::string& what) {
  throw Error(std::string(source) + ": invalid safetensors file: " + what);
}

[[noreturn]] void fail_tensor(std::string_view source, std::string_view tensor,
                              const std::string& what) {
  fail(source, "tensor '" + std::string(tensor) + "': " + what);
}

std::uint64_t read_le64(std::span<const std::byte> bytes) {
  std::uint64_t value = 0;
  for (int i = 7; i >= 0; --i) value = (value << 8) | std::to_integer<std::uint64_t>(bytes[i]);
  return value;
}

// A non-negative integer that fits in 63 bits, or nullopt.
std::optional<std::uint64_t> as_offset(const nlohmann::json& value) {
  if (value.is_number_unsigned()) {
    const auto v = value.get<std::uint64_t>();
    if (v <= static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) return v;
    return std::nullopt;
  }
  if (value.is_number_integer()) {
    const auto v = value.get<std::int64_t>();
    if (v >= 0) return static_cast<std::uint64_t>(v);
  }
  return std::nullopt;
}

std::string shape_text(const std::vector<std::int64_t>& shape) {
  std::string text = "[";
  for (std::size_t i = 0; i < shape.size(); ++i) {
    if (i) text += ", ";
    text += std::to_string(shape[i]);
  }
  return text + "]";
}

TensorInfo parse_tensor(std::string_view source, const std::string& name,
                        const nlohmann::json& entry, std::uint64_t data_size) {
  if (!entry.is_object()) fail_tensor(source, name, "entry is not a JSON object");
  TensorInfo info;
  info.name = name;

  const auto dtype_it = entry.find("dtype");
  if (dtype_it == entry.end() || !dtype_it->is_string()) fail_tensor(source, name, "missing \"dtype\"");
  const auto dtype = parse_dtype(dtype_it->get_ref<const std::string&>());
  if (!dtype) {
    fail_tensor(source, name, "unknown dtype \"" + dtype_it->get<std::string>() +
                                  "\" (known: F64 F32 F16 BF16 I64 I32 I16 I8 U8 BOOL)");
  }
  info.dtype = *dtype;

  const auto shape_it = entry.find("shape");
  if (shape_it == entry.end() || !shape_it->is_array()) fail_tensor(source, name, "missing \"shape\" array");
  // Element count computed with overflow checks: it must stay below 2^63 bytes.
  const std::uint64_t element_size = dtype_size(info.dtype);
  std::uint64_t bytes = element_size;
  constexpr auto kLimit = static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());
  for (const auto& dim : *shape_it) {
    const auto d = as_offset(dim);
    if (!d) fail_tensor(source, name, "shape entries must be non-negative integers");
    info.shape.push_back(static_cast<std::int64_t>(*d));
    if (*d != 0 && bytes > kLimit / *d) fail_tensor(source, name, "shape " + shape_text(info.shape) + "... is too large");
    bytes *= *d;
  }

  const auto offsets_it = entry.find("data_offsets");
  if (offsets_it == entry.end() || !offsets_it->is_array() || offsets_it->size() != 2) {
    fail_tensor(source, name, "\"data_offsets\" must be an array [begin, end]");
  }
  const auto begin = as_offset((*offsets_it)[0]);
  const auto end = as_offset((*offsets_it)[1]);
  if (!begin || !end) fail_tensor(source, name, "data_offsets must be non-negative integers");
  if (*end < *begin) fail_tensor(source, name, "data_offsets end < begin");
  if (*end > data_size) {
    fail_tensor(source, name, "data_offsets [" + std::to_string(*begin) + ", " + std::to_string(*end) +
                                  ") run past the data buffer of " + std::to_string(data_size) + " bytes");
  }
  info.begin = *begin;
  info.end = *end;
  if (info.byte_size() != bytes) {
    fail_tensor(source, name, "shape " + shape_text(info.shape) + " of " + std::string(dtype_name(info.dtype)) +
                                  " needs " + std::to_string(bytes) + " bytes but data_offsets span " +
                                  std::to_string(info.byte_size()));
  }
  return info;
}

std::map<std::string, std::string> parse_metadata(std::string_view source, const nlohmann::json& value) {
  if (!value.is_object()) fail(source, "\"__metadata__\" is not an object");
  std::map<std::string, std::string> metadata;
  for (const auto& [key, v] : value.items()) {
    if (!v.is_string()) fail(source, "\"__metadata__\" value for '" + key + "' is not a string");
    metadata.emplace(key, v.get<std::string>());
  }
  return metadata;
}

// Spans sorted by offset must tile the data buffer exactly: no overlap, no gap, no tail.
void check_layout(std::string_view source, const std::vector<TensorInfo>& tensors,
                  std::uint64_t data_size) {
  std::uint64_t cursor = 0;
  const TensorInfo* previous = nullptr;
  for (const auto& t : tensors) {
    if (t.byte_size() == 0 && t.begin <= cursor) continue;  // empty tensors may sit anywhere covered
    if (t.begin < cursor) {
      fail_tensor(source, t.name, "data overlaps tensor '" + (previous ? previous->name : std::string()) + "'");
    }
    if (t.begin > cursor) {
      fail_tensor(source, t.name, "gap of " + std::to_string(t.begin - cursor) +
                                      " bytes before its data (offset " + std::to_string(cursor) + ")");
    }
    cursor = t.end;
    previous = &t;
  }
  if (cursor != data_size) {
    fail(source, std::to_string(data_size - cursor) + " trailing bytes after the last tensor's data");
  }
}

}  // namespace

std::size_t dtype_size(DType dtype) { return row_of(dtype).size; }

std::string_view dtype_name(DType dtype) { return row_of(dtype).name; }

std::optional<DType> parse_dtype(std::string_view name) {
  for (const auto& row : kDTypes) {
    if (row.name == name) return row.dtype;
  }
  return std::nullopt;
}

std::int64_t TensorInfo::numel() const {
  std::int64_t n = 1;
  for (const auto d : shape) n *= d;
  return n;
}

SafetensorsHeader parse_safetensors_header(std::span<const std::byte> prefix,
                                           std::uint64_t file_size, std::string_view source) {
  if (file_size < 8 || prefix.size() < 8) {
    fail(source, "file is " + std::to_string(file_size) + " bytes, shorter than the 8-byte header length");
  }
  const std::uint64_t header_size = read_le64(prefix);
  if (header_size > kMaxSafetensorsHeaderBytes) {
    fail(source, "header length " + std::to_string(header_size) + " exceeds the limit of " +
                     std::to_string(kMaxSafetensorsHeaderBytes) + " bytes");
  }
  if (header_size > file_size - 8) {
    fail(source, "header length " + std::to_string(header_size) + " runs past the end of the file (" +
                     std::to_string(file_size) + " bytes): truncated file?");
  }
  if (prefix.size() - 8 < header_size) fail(source, "header bytes not supplied");
  const auto* text = reinterpret_cast<const char*>(prefix.data() + 8);

  nlohmann::json json;
  try {
    json = nlohmann::json::parse(text, text + header_size);
  } catch (const nlohmann::json::exception& e) {
    fail(source, std::string("header is not valid JSON: ") + e.what());
  }
  if (!json.is_object()) fail(source, "header JSON is not an object");

  SafetensorsHeader header;
  header.data_start = 8 + header_size;
  const std::uint64_t data_size = file_size - header.data_start;
  for (const auto& [key, value] : json.items()) {
    if (key == "__metadata__") {
      header.metadata = parse_metadata(source, value);
      continue;
    }
    header.tensors.push_back(parse_tensor(source, key, value, data_size));
  }
  std::sort(header.tensors.begin(), header.tensors.end(), [](const TensorInfo& a, const TensorInfo& b) {
    return a.begin != b.begin ? a.begin < b.begin : a.end < b.end;
  });
  check_layout(source, header.tensors, data_size);
  return header;
}

}  // namespace patchwise::models
