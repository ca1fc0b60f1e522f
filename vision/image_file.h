#pragma once
// Encoding PageImages to PNG/JPEG bytes and files, and decoding them back.
#include <cstdint>
#include <filesystem>
#include <span>
#include <vector>

#include "vision/document.h"
#include "vision/page_image.h"

namespace patchwise::vision {

enum class ImageEncoding { png, jpeg };

// Encoded bytes of `image`. jpeg_quality: 1..100 (ignored for PNG).
// Throws patchwise::Error for an empty image or an encoder failure.
std::vector<std::uint8_t> encode_image(const PageImage& image, ImageEncoding encoding, int jpeg_quality = 85);

// Decodes PNG/JPEG/... bytes to packed RGB8 (EXIF orientation not applied, alpha dropped).
// The bytes carry no page size, so it is taken from `page` (left 0 when not given).
// `what` names the source in errors ("thumbnail of report.pdf page 2").
PageImage decode_image(std::span<const std::uint8_t> bytes, const std::string& what, PageSize page = {});

// Writes `image` as a PNG file (replacing it). Throws patchwise::Error naming the path.
void write_png(const std::filesystem::path& path, const PageImage& image);

// The first page of an image file (PNG, JPEG, TIFF, BMP, WebP) at full resolution, with
// its size in points from the declared dpi (see Document). Throws patchwise::Error naming the
// file for anything else, including PDFs (open those with Document).
PageImage load_image_file(const std::filesystem::path& path);

}  // namespace patchwise::vision
