#include "models/checkpoint/safetensors_writer.h"

#include <cstring>
#include <fstream>
#include <system_error>

#include <nlohmann/json.hpp>

#include "core/error.h"
#include "models/checkpoint/safetensors.h"

namespace patchwise::models {

DType from_scalar_type(torch::ScalarType type) {
  switch (type) {
    case torch::kFloat64: return DType::F64;
    case torch::kFloat32: return DType::F32;
    case torch::kFloat16: return DType::F16;
    case torch::kBFloat16: return DType::BF16;
    case torch::kInt64: return DType::I64;
    case torch::kInt32: return DType::I32;
    case torch::kInt16: return DType::I16;
    case torch::kInt8: return DType::I8;
    case torch::kUInt8: return DType::U8;
    case torch::kBool: return DType::BOOL;
    default: break;
  }
  throw Error(std::string("safetensors cannot store tensors of type ") + c10::toString(type));
}

void SafetensorsWriter::add(std::string name, DType dtype, std::vector<std::int64_t> shape,
                            std::span<const std::byte> data) {
  std::int64_t numel = 1;
  for (const auto d : shape) {
    if (d < 0) throw Error("safetensors writer: tensor '" + name + "' has a negative dimension");
    numel *= d;
  }
  if (static_cast<std::size_t>(numel) * dtype_size(dtype) != data.size()) {
    throw Error("safetensors writer: tensor '" + name + "' has " + std::to_string(data.size()) +
                " bytes, its shape needs " + std::to_string(numel * dtype_size(dtype)));
  }
  if (name == "__metadata__") throw Error("safetensors writer: '__metadata__' is not a tensor name");
  for (const auto& e : entries_) {
    if (e.name == name) throw Error("safetensors writer: tensor '" + name + "' added twice");
  }
  entries_.push_back({std::move(name), dtype, std::move(shape), {data.begin(), data.end()}});
}

void SafetensorsWriter::add(std::string name, const torch::Tensor& tensor) {
  const auto cpu = tensor.detach().to(torch::kCPU).contiguous();
  const auto* begin = static_cast<const std::byte*>(cpu.data_ptr());
  const auto size = static_cast<std::size_t>(cpu.numel()) * cpu.element_size();
  add(std::move(name), from_scalar_type(cpu.scalar_type()), cpu.sizes().vec(),
      std::span<const std::byte>(begin, size));
}

void SafetensorsWriter::set_metadata(std::string key, std::string value) {
  metadata_[std::move(key)] = std::move(value);
}

std::vector<std::byte> SafetensorsWriter::serialize() const {
  nlohmann::ordered_json header = nlohmann::ordered_json::object();
  if (!metadata_.empty()) header["__metadata__"] = metadata_;
  std::uint64_t offset = 0;
  for (const auto& e : entries_) {
    header[e.name] = {{"dtype", dtype_name(e.dtype)},
                      {"shape", e.shape},
                      {"data_offsets", {offset, offset + e.data.size()}}};
    offset += e.data.size();
  }
  std::string text = header.dump();
  // Pad with spaces so the data buffer starts 8-byte aligned, as the reference writer does.
  text.append((8 - text.size() % 8) % 8, ' ');

  std::vector<std::byte> out(8 + text.size() + offset);
  std::uint64_t n = text.size();
  for (int i = 0; i < 8; ++i) out[i] = static_cast<std::byte>((n >> (8 * i)) & 0xff);
  std::memcpy(out.data() + 8, text.data(), text.size());
  auto* cursor = out.data() + 8 + text.size();
  for (const auto& e : entries_) {
    if (!e.data.empty()) std::memcpy(cursor, e.data.data(), e.data.size());
    cursor += e.data.size();
  }
  return out;
}

void SafetensorsWriter::write(const std::filesystem::path& path) const {
  const auto bytes = serialize();
  auto temporary = path;
  temporary += ".partial";
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
    out.close();
    if (!out) throw Error("cannot write " + temporary.string());
  }
  std::error_code ec;
  std::filesystem::rename(temporary, path, ec);
  if (ec) {
    std::filesystem::remove(temporary, ec);
    throw Error("cannot write " + path.string() + ": rename failed");
  }
}

}  // namespace patchwise::models
