#pragma once
// The scan resolution an image file declares, read from the bytes themselves because OpenCV
// does not expose it: PNG pHYs, JPEG JFIF density, TIFF XResolution/YResolution per page.
#include <cstdint>
#include <optional>
#include <span>

#include "vision/file_kind.h"

namespace patchwise::vision {

struct Dpi {
  double x = 0;
  double y = 0;
};

// Assumed when a file declares no usable resolution: a common office-scanner setting.
inline constexpr double kDefaultScanDpi = 150;

// The declared resolution of page `page` (0-based; only TIFF has more than one), or nullopt
// when none is declared, the unit is not physical, or the value is implausible (outside
// 10..10000 dpi). Never throws; malformed metadata reads as "none".
std::optional<Dpi> declared_dpi(std::span<const std::uint8_t> file, FileKind kind, int page);

}  // namespace patchwise::vision
