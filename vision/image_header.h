#pragma once
// The pixel size an image file declares in its header, read before decoding so that a
// crafted or broken header (a 100000 x 100000 PNG of a few bytes) is refused before OpenCV
// allocates gigabytes for it.
#include <cstdint>
#include <optional>
#include <span>

#include "vision/file_kind.h"
#include "vision/render_size.h"

namespace patchwise::vision {

// Largest image we decode: 250 megapixels (a 600 dpi A0 scan is 200).
inline constexpr long long kMaxDecodedPixels = 250'000'000;

// Declared width and height of page `page` of a PNG, JPEG or TIFF (others: nullopt), or
// nullopt when the header cannot be read (the decoder then reports the damage).
std::optional<PixelSize> declared_pixels(std::span<const std::uint8_t> file, FileKind kind, int page);

}  // namespace patchwise::vision
