#include "models/checkpoint/safetensors.h"

#include <cstring>

#include "core/error.h"

namespace patchwise::models {

torch::ScalarType to_scalar_type(DType dtype) {
  switch (dtype) {
    case DType::F64: return torch::kFloat64;
    case DType::F32: return torch::kFloat32;
    case DType::F16: return torch::kFloat16;
    case DType::BF16: return torch::kBFloat16;
    case DType::I64: return torch::kInt64;
    case DType::I32: return torch::kInt32;
    case DType::I16: return torch::kInt16;
    case DType::I8: return torch::kInt8;
    case DType::U8: return torch::kUInt8;
    case DType::BOOL: return torch::kBool;
  }
  throw Error("unknown dtype enumerator");
}

SafetensorsFile SafetensorsFile::open(const std::filesystem::path& path) {
  SafetensorsFile file;
  file.file_ = MappedFile::open(path);
  const auto bytes = file.file_.bytes();
  file.header_ = parse_safetensors_header(bytes, bytes.size(), path.string());
  for (std::size_t i = 0; i < file.header_.tensors.size(); ++i) {
    file.index_.emplace(file.header_.tensors[i].name, i);
  }
  return file;
}

const TensorInfo* SafetensorsFile::find(std::string_view name) const {
  const auto it = index_.find(std::string(name));
  return it == index_.end() ? nullptr : &header_.tensors[it->second];
}

std::span<const std::byte> SafetensorsFile::bytes(const TensorInfo& info) const {
  const auto all = file_.bytes();
  // Validated on open for tensors of this file; re-checked so a foreign TensorInfo cannot
  // read outside the mapping.
  if (info.end < info.begin || header_.data_start + info.end > all.size()) {
    throw Error(path().string() + ": tensor '" + info.name + "' lies outside the file");
  }
  return all.subspan(header_.data_start + info.begin, info.byte_size());
}

torch::Tensor SafetensorsFile::to_tensor(const TensorInfo& info, torch::ScalarType target) const {
  const auto data = bytes(info);
  const auto stored = to_scalar_type(info.dtype);
  // The mapping is not aligned for every dtype (headers have any length), so copy the bytes
  // into a fresh tensor first, then convert. Data are little-endian, as on every target here.
  auto tensor = torch::empty(info.shape, torch::TensorOptions().dtype(stored));
  if (!data.empty()) std::memcpy(tensor.data_ptr(), data.data(), data.size());
  file_.drop_pages(data);
  if (stored == target) return tensor;
  try {
    return tensor.to(target);
  } catch (const c10::Error& e) {
    throw Error(path().string() + ": cannot convert tensor '" + info.name + "' to the requested type: " +
                e.what_without_backtrace());
  }
}

}  // namespace patchwise::models
