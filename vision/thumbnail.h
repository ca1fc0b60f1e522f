#pragma once
// Small previews of pages for the library (storage keeps the encoded bytes; the CLI and GUI
// show them).
#include <cstdint>
#include <span>
#include <vector>

#include "vision/image_file.h"
#include "vision/page_image.h"

namespace patchwise::vision {

struct ThumbnailOptions {
  int longest_side = 256;                        // pixels; never upscales. Default: 256.
  ImageEncoding encoding = ImageEncoding::jpeg;  // Default: JPEG (pages are photos of paper).
  int jpeg_quality = 80;                         // 1..100. Default: 80.
};

// `page` shrunk (area averaging, aspect kept) so that its longest side is at most
// `longest_side`; its page size in points is kept, its words are not.
// Throws patchwise::Error for an empty page or longest_side < 1.
PageImage make_thumbnail(const PageImage& page, int longest_side = 256);

// make_thumbnail, then encoded.
std::vector<std::uint8_t> encode_thumbnail(const PageImage& page, const ThumbnailOptions& options = {});

// The thumbnail back as pixels; `page` restores the size in points that the bytes lack.
PageImage decode_thumbnail(std::span<const std::uint8_t> bytes, PageSize page = {});

}  // namespace patchwise::vision
