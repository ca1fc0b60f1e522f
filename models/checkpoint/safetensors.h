#pragma once
// One safetensors file, memory-mapped and validated on open (see safetensors_header.h for
// the checks). Tensor bytes are views into the mapping; to_tensor copies.
#include <filesystem>
#include <memory>
#include <span>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <torch/torch.h>

#include "models/checkpoint/mapped_file.h"
#include "models/checkpoint/safetensors_header.h"

namespace patchwise::models {

class SafetensorsFile {
 public:
  // Maps and validates the file; throws patchwise::Error naming the file (and tensor).
  static SafetensorsFile open(const std::filesystem::path& path);

  const std::filesystem::path& path() const { return file_.path(); }
  // In file order (ascending data offset).
  const std::vector<TensorInfo>& tensors() const { return header_.tensors; }
  const std::map<std::string, std::string>& metadata() const { return header_.metadata; }
  // nullptr when absent.
  const TensorInfo* find(std::string_view name) const;
  // The tensor's raw little-endian bytes inside the mapping (valid while this object lives).
  std::span<const std::byte> bytes(const TensorInfo& info) const;
  // A fresh contiguous tensor converted to `target` (F32/F16/BF16/F64/integer types). The
  // mapped pages it was copied from are dropped from the resident set (MappedFile::drop_pages).
  torch::Tensor to_tensor(const TensorInfo& info,
                          torch::ScalarType target = torch::kFloat32) const;
  // Drops the tensor's mapped pages from the resident set once its bytes have been read.
  void drop_pages(const TensorInfo& info) const { file_.drop_pages(bytes(info)); }

 private:
  MappedFile file_;
  SafetensorsHeader header_;
  std::unordered_map<std::string, std::size_t> index_;  // name -> position in tensors()
};

// torch's scalar type for a safetensors dtype (all are representable).
torch::ScalarType to_scalar_type(DType dtype);

}  // namespace patchwise::models
