#include "vision/image_header.h"

#include <cstring>
#include <limits>

#include "vision/byte_reader.h"

namespace patchwise::vision {
namespace {

std::optional<PixelSize> make_size(std::uint32_t w, std::uint32_t h) {
  constexpr std::uint32_t kIntMax = std::numeric_limits<int>::max();
  return PixelSize{int(std::min(w, kIntMax)), int(std::min(h, kIntMax))};
}

std::optional<PixelSize> png_pixels(std::span<const std::uint8_t> f) {
  const Reader r(f, true);  // IHDR is the first chunk: width at 16, height at 20
  if (f.size() < 24 || std::memcmp(f.data() + 12, "IHDR", 4) != 0) return std::nullopt;
  return make_size(*r.u32(16), *r.u32(20));
}

bool is_start_of_frame(std::uint32_t marker) {
  // SOF0..SOF15, except DHT (C4), JPG (C8) and DAC (CC), which share the range.
  return marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
}

std::optional<PixelSize> jpeg_pixels(std::span<const std::uint8_t> f) {
  const Reader r(f, true);
  std::size_t at = 2;  // after SOI
  while (true) {
    if (r.u8(at) != 0xFFu) return std::nullopt;
    const auto marker = r.u8(at + 1);
    if (!marker) return std::nullopt;
    if (*marker == 0xFF) {  // fill byte
      ++at;
      continue;
    }
    if (*marker == 0xDA || *marker == 0xD9) return std::nullopt;  // scan data before a frame
    const auto length = r.u16(at + 2);
    if (!length || *length < 2) return std::nullopt;
    if (is_start_of_frame(*marker)) {
      const auto h = r.u16(at + 5), w = r.u16(at + 7);
      if (!h || !w) return std::nullopt;
      return make_size(*w, *h);
    }
    at += 2 + *length;
  }
}

std::optional<std::uint32_t> tiff_number(const Reader& r, std::size_t entry) {
  const auto type = r.u16(entry + 2);
  if (type == 3u) return r.u16(entry + 8);
  if (type == 4u) return r.u32(entry + 8);
  return std::nullopt;
}

std::optional<PixelSize> tiff_pixels(std::span<const std::uint8_t> f, int page) {
  if (f.size() < 8) return std::nullopt;
  const Reader r(f, f[0] == 'M');
  const auto ifd = tiff_ifd_offset(r, page);
  if (!ifd) return std::nullopt;
  const auto n = r.u16(*ifd);
  if (!n) return std::nullopt;
  std::optional<std::uint32_t> w, h;
  for (std::uint32_t e = 0; e < *n; ++e) {
    const std::size_t entry = std::size_t(*ifd) + 2 + std::size_t(e) * 12;
    const auto tag = r.u16(entry);
    if (!tag) return std::nullopt;
    if (*tag == 256) w = tiff_number(r, entry);
    if (*tag == 257) h = tiff_number(r, entry);
  }
  if (!w || !h) return std::nullopt;
  return make_size(*w, *h);
}

}  // namespace

std::optional<PixelSize> declared_pixels(std::span<const std::uint8_t> file, FileKind kind, int page) {
  switch (kind) {
    case FileKind::png: return png_pixels(file);
    case FileKind::jpeg: return jpeg_pixels(file);
    case FileKind::tiff: return tiff_pixels(file, page);
    default: return std::nullopt;
  }
}

}  // namespace patchwise::vision
