#pragma once
// A read-only memory mapping of a whole file (RAII). Move-only.
#include <cstddef>
#include <filesystem>
#include <span>

namespace patchwise::models {

class MappedFile {
 public:
  // Maps the file read-only; throws patchwise::Error naming the path on failure.
  // An empty file maps to an empty span.
  static MappedFile open(const std::filesystem::path& path);

  MappedFile() = default;
  MappedFile(MappedFile&& other) noexcept;
  MappedFile& operator=(MappedFile&& other) noexcept;
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;
  ~MappedFile();

  std::span<const std::byte> bytes() const { return {data_, size_}; }
  const std::filesystem::path& path() const { return path_; }

 private:
  void release() noexcept;

  std::filesystem::path path_;
  const std::byte* data_ = nullptr;
  std::size_t size_ = 0;
};

}  // namespace patchwise::models
