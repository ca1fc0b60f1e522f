#pragma once
// SHA-256 (FIPS 180-4) of bytes or of a file, as lowercase hex: the content hash that tells
// ingestion whether a file changed.
#include <array>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <span>
#include <string>

namespace patchwise::core {

class Sha256 {
 public:
  Sha256();
  void update(std::span<const std::byte> data);
  std::array<std::uint8_t, 32> finish();
  static std::string hex(const std::array<std::uint8_t, 32>& digest);

 private:
  void block(const std::uint8_t* p);
  std::array<std::uint32_t, 8> state_;
  std::array<std::uint8_t, 64> buffer_{};
  std::size_t buffered_ = 0;
  std::uint64_t length_ = 0;
};

std::string sha256_hex(std::span<const std::byte> data);
// Throws patchwise::Error naming the file if it cannot be read.
std::string sha256_file(const std::filesystem::path& path);

}  // namespace patchwise::core
