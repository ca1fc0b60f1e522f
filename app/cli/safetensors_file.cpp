#include "app/cli/safetensors_file.h"

#include <bit>
#include <cstring>
#include <fstream>

#include <nlohmann/json.hpp>

#include "core/error.h"

namespace patchwise::app {

static_assert(std::endian::native == std::endian::little, "safetensors data is little-endian");

void SafetensorsFile::add_f32(std::string name, std::vector<std::int64_t> shape, std::vector<float> values) {
  std::int64_t n = 1;
  for (auto d : shape) n *= d;
  if (n != std::int64_t(values.size())) {
    throw Error("tensor " + name + ": shape holds " + std::to_string(n) + " values, got " + std::to_string(values.size()));
  }
  tensors_.push_back({std::move(name), std::move(shape), std::move(values)});
}

std::string SafetensorsFile::serialize() const {
  nlohmann::json header = nlohmann::json::object();
  std::size_t offset = 0;
  for (const auto& t : tensors_) {
    const std::size_t bytes = t.values.size() * sizeof(float);
    header[t.name] = {{"dtype", "F32"}, {"shape", t.shape}, {"data_offsets", {offset, offset + bytes}}};
    offset += bytes;
  }
  if (!metadata_.empty()) header["__metadata__"] = metadata_;
  std::string json = header.dump();
  json.append((8 - json.size() % 8) % 8, ' ');  // keeps the data 8-byte aligned
  std::string out(8, '\0');
  const std::uint64_t len = json.size();
  std::memcpy(out.data(), &len, 8);
  out += json;
  for (const auto& t : tensors_) {
    out.append(reinterpret_cast<const char*>(t.values.data()), t.values.size() * sizeof(float));
  }
  return out;
}

void SafetensorsFile::write(const std::filesystem::path& path) const {
  const std::filesystem::path tmp = path.string() + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    const std::string bytes = serialize();
    out.write(bytes.data(), std::streamsize(bytes.size()));
    if (!out) throw Error("cannot write " + tmp.string());
  }
  std::error_code ec;
  std::filesystem::rename(tmp, path, ec);
  if (ec) throw Error("cannot write " + path.string() + ": " + ec.message());
}

}  // namespace patchwise::app
