#include "vision/image_dpi.h"

#include <cstring>
#include <string_view>

#include "vision/byte_reader.h"

namespace patchwise::vision {
namespace {

constexpr double kInchPerMetre = 0.0254;
constexpr double kCmPerInch = 2.54;

std::optional<Dpi> plausible(Dpi d) {
  const auto ok = [](double v) { return v >= 10 && v <= 10000; };
  if (ok(d.x) && ok(d.y)) return d;
  return std::nullopt;
}

std::optional<Dpi> png_dpi(std::span<const std::uint8_t> f) {
  const Reader r(f, true);
  std::size_t at = 8;  // after the signature
  while (true) {
    const auto length = r.u32(at);
    if (!length || at + 8 > f.size()) return std::nullopt;
    const std::string_view type(reinterpret_cast<const char*>(f.data() + at + 4), 4);
    if (type == "pHYs") {
      const auto x = r.u32(at + 8), y = r.u32(at + 12);
      if (!x || !y || at + 16 >= f.size() || f[at + 16] != 1) return std::nullopt;  // 1 = metre
      return plausible({*x * kInchPerMetre, *y * kInchPerMetre});
    }
    if (type == "IDAT" || type == "IEND") return std::nullopt;  // pHYs must come before IDAT
    at += std::size_t(*length) + 12;
  }
}

std::optional<Dpi> jfif_dpi(std::span<const std::uint8_t> f) {
  const Reader r(f, true);
  // SOI, then APP0 "JFIF\0": version(2) units(1) xdensity(2) ydensity(2).
  if (f.size() < 18 || f[2] != 0xFF || f[3] != 0xE0 || std::memcmp(f.data() + 6, "JFIF\0", 5) != 0) {
    return std::nullopt;
  }
  const std::uint8_t units = f[13];
  const double x = *r.u16(14), y = *r.u16(16);
  if (units == 1) return plausible({x, y});
  if (units == 2) return plausible({x * kCmPerInch, y * kCmPerInch});
  return std::nullopt;  // 0: aspect ratio only
}

std::optional<double> tiff_rational(const Reader& r, std::size_t entry) {
  const auto type = r.u16(entry + 2), offset = r.u32(entry + 8);
  if (!type || *type != 5 || !offset) return std::nullopt;  // 5 = RATIONAL
  const auto num = r.u32(*offset), den = r.u32(std::size_t(*offset) + 4);
  if (!num || !den || *den == 0) return std::nullopt;
  return double(*num) / double(*den);
}

std::optional<Dpi> tiff_dpi(std::span<const std::uint8_t> f, int page) {
  if (f.size() < 8) return std::nullopt;
  const Reader r(f, f[0] == 'M');
  const auto ifd = tiff_ifd_offset(r, page);
  if (!ifd) return std::nullopt;
  const auto n = r.u16(*ifd);
  if (!n) return std::nullopt;
  std::optional<double> x, y;
  std::uint32_t unit = 2;  // the TIFF default is inches
  for (std::uint32_t e = 0; e < *n; ++e) {
    const std::size_t entry = std::size_t(*ifd) + 2 + std::size_t(e) * 12;
    const auto tag = r.u16(entry);
    if (!tag) return std::nullopt;
    if (*tag == 282) x = tiff_rational(r, entry);
    if (*tag == 283) y = tiff_rational(r, entry);
    if (*tag == 296) unit = r.u16(entry + 8).value_or(0);  // SHORT value sits in the entry
  }
  if (!x || !y) return std::nullopt;
  if (unit == 2) return plausible({*x, *y});
  if (unit == 3) return plausible({*x * kCmPerInch, *y * kCmPerInch});
  return std::nullopt;
}

}  // namespace

std::optional<Dpi> declared_dpi(std::span<const std::uint8_t> file, FileKind kind, int page) {
  switch (kind) {
    case FileKind::png: return png_dpi(file);
    case FileKind::jpeg: return jfif_dpi(file);
    case FileKind::tiff: return tiff_dpi(file, page);
    default: return std::nullopt;
  }
}

}  // namespace patchwise::vision
