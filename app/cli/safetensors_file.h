#pragma once
// Writes f32 tensors as a safetensors file: 8-byte little-endian header length, a JSON header
// (dtype, shape, data_offsets per tensor, optional __metadata__), then the raw data.
#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace patchwise::app {

class SafetensorsFile {
 public:
  void add_f32(std::string name, std::vector<std::int64_t> shape, std::vector<float> values);
  void set_metadata(std::string key, std::string value) { metadata_[std::move(key)] = std::move(value); }
  // Writes to a temporary file beside `path`, then renames; throws patchwise::Error naming it.
  void write(const std::filesystem::path& path) const;
  std::string serialize() const;

 private:
  struct Tensor {
    std::string name;
    std::vector<std::int64_t> shape;
    std::vector<float> values;
  };
  std::vector<Tensor> tensors_;
  std::map<std::string, std::string> metadata_;
};

}  // namespace patchwise::app
