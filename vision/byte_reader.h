#pragma once
// Bounds-checked reads of file headers (image metadata parsing). Internal to vision/.
#include <cstdint>
#include <optional>
#include <span>

namespace patchwise::vision {

// Big- or little-endian integers at byte offsets; a read past the end gives nullopt.
class Reader {
 public:
  Reader(std::span<const std::uint8_t> bytes, bool big_endian) : b_(bytes), big_(big_endian) {}
  std::optional<std::uint32_t> u8(std::size_t at) const { return read(at, 1); }
  std::optional<std::uint32_t> u16(std::size_t at) const { return read(at, 2); }
  std::optional<std::uint32_t> u32(std::size_t at) const { return read(at, 4); }
  std::size_t size() const { return b_.size(); }

 private:
  std::optional<std::uint32_t> read(std::size_t at, std::size_t n) const {
    if (at > b_.size() || b_.size() - at < n) return std::nullopt;
    std::uint32_t v = 0;
    for (std::size_t i = 0; i < n; ++i) v = (v << 8) | b_[at + (big_ ? i : n - 1 - i)];
    return v;
  }
  std::span<const std::uint8_t> b_;
  bool big_;
};

// Offset of the IFD of page `page` (0-based) in a classic TIFF read by `r` (its byte order
// taken from the file's first byte), or nullopt when the chain is shorter or malformed.
inline std::optional<std::uint32_t> tiff_ifd_offset(const Reader& r, int page) {
  if (r.u16(2) != 42u) return std::nullopt;  // classic TIFF only (not BigTIFF)
  auto ifd = r.u32(4);
  for (int i = 0; i < page && ifd && *ifd != 0; ++i) {
    const auto n = r.u16(*ifd);
    if (!n) return std::nullopt;
    ifd = r.u32(std::size_t(*ifd) + 2 + std::size_t(*n) * 12);
  }
  if (!ifd || *ifd == 0) return std::nullopt;
  return ifd;
}

}  // namespace patchwise::vision
