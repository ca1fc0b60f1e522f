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
  // Tells the kernel this process is done with the pages under `range` (a part of bytes()):
  // they leave its resident set and are read again from the page cache if touched. Loading a
  // model copies every tensor out of the mapping; without this the mapped pages stayed
  // resident beside the copies and doubled the peak RSS of a load.
  void drop_pages(std::span<const std::byte> range) const noexcept;
  const std::filesystem::path& path() const { return path_; }

 private:
  void release() noexcept;

  std::filesystem::path path_;
  const std::byte* data_ = nullptr;
  std::size_t size_ = 0;
};

}  // namespace patchwise::models
