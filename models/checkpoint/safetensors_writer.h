#pragma once
// Writes safetensors files (tests, the CLI's `encode --out`). Tensors are written in the
// order added, contiguous, little-endian, with an optional __metadata__ object.
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <map>
#include <span>
#include <string>
#include <vector>

#include <torch/torch.h>

#include "models/checkpoint/safetensors_header.h"

namespace patchwise::models {

class SafetensorsWriter {
 public:
  // Raw bytes of `dtype` with `shape`; size must equal numel * dtype_size.
  void add(std::string name, DType dtype, std::vector<std::int64_t> shape,
           std::span<const std::byte> data);
  // Any CPU tensor of a supported type (copied contiguous; its dtype is kept).
  void add(std::string name, const torch::Tensor& tensor);
  void set_metadata(std::string key, std::string value);

  // Writes atomically (temporary file then rename); throws patchwise::Error naming the path.
  void write(const std::filesystem::path& path) const;
  // The whole file's bytes (for tests that corrupt them on purpose).
  std::vector<std::byte> serialize() const;

 private:
  struct Entry {
    std::string name;
    DType dtype;
    std::vector<std::int64_t> shape;
    std::vector<std::byte> data;
  };
  std::vector<Entry> entries_;
  std::map<std::string, std::string> metadata_;
};

// The safetensors dtype for a torch scalar type; throws patchwise::Error if it has none.
DType from_scalar_type(torch::ScalarType type);

}  // namespace patchwise::models
