#include "vision/image_file.h"

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <fstream>

#include "core/error.h"
#include "vision/backends.h"
#include "vision/cv_image.h"
#include "vision/file_kind.h"
#include "vision/render_size.h"

namespace patchwise::vision {

std::vector<std::uint8_t> encode_image(const PageImage& image, ImageEncoding encoding, int jpeg_quality) {
  if (image.empty() || image.rgb.size() != std::size_t(image.width) * image.height * 3) {
    throw Error("cannot encode an empty or malformed image (" + std::to_string(image.width) + " x " +
                std::to_string(image.height) + ", " + std::to_string(image.rgb.size()) + " bytes)");
  }
  cv::Mat bgr;
  cv::cvtColor(rgb_view(image), bgr, cv::COLOR_RGB2BGR);
  const bool png = encoding == ImageEncoding::png;
  const std::vector<int> params =
      png ? std::vector<int>{cv::IMWRITE_PNG_COMPRESSION, 6}
          : std::vector<int>{cv::IMWRITE_JPEG_QUALITY, std::clamp(jpeg_quality, 1, 100)};
  std::vector<std::uint8_t> bytes;
  try {
    if (!cv::imencode(png ? ".png" : ".jpg", bgr, bytes, params)) bytes.clear();
  } catch (const cv::Exception& e) {
    throw Error(std::string("image encoding failed: ") + e.what());
  }
  if (bytes.empty()) throw Error("image encoding failed");
  return bytes;
}

PageImage decode_image(std::span<const std::uint8_t> bytes, const std::string& what, PageSize page) {
  if (bytes.empty()) throw Error(what + ": no image bytes");
  cv::Mat decoded;
  try {
    const cv::Mat buffer(1, int(bytes.size()), CV_8U, const_cast<std::uint8_t*>(bytes.data()));
    decoded = cv::imdecode(buffer, cv::IMREAD_ANYDEPTH | cv::IMREAD_ANYCOLOR | cv::IMREAD_IGNORE_ORIENTATION);
  } catch (const cv::Exception& e) {
    throw Error(what + ": the image cannot be decoded (" + e.what() + ")");
  }
  if (decoded.empty()) throw Error(what + ": the image cannot be decoded (damaged or unknown format)");
  PageImage out = page_image_from_mat(decoded, what);
  out.width_pt = page.width_pt;
  out.height_pt = page.height_pt;
  return out;
}

void write_png(const std::filesystem::path& path, const PageImage& image) {
  const std::vector<std::uint8_t> bytes = encode_image(image, ImageEncoding::png);
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(reinterpret_cast<const char*>(bytes.data()), std::streamsize(bytes.size()));
  out.close();
  if (!out) throw Error(path.string() + ": cannot write the PNG file (check the folder exists and is writable)");
}

PageImage load_image_file(const std::filesystem::path& path) {
  const FileKind kind = sniff_file_kind(read_file_head(path, 2048));
  if (kind == FileKind::unknown || kind == FileKind::pdf) {
    throw Error(path.string() + ": not a PNG, JPEG, TIFF, BMP or WebP image");
  }
  return open_image(path, kind)->render(0, RenderTarget{72, kMaxRenderPixels});
}

}  // namespace patchwise::vision
