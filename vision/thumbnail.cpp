#include "vision/thumbnail.h"

#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cmath>

#include "core/error.h"
#include "vision/cv_image.h"

namespace patchwise::vision {

PageImage make_thumbnail(const PageImage& page, int longest_side) {
  if (page.empty() || page.rgb.size() != std::size_t(page.width) * page.height * 3) {
    throw Error("cannot make a thumbnail of an empty or malformed page image");
  }
  if (longest_side < 1) {
    throw Error("thumbnail size must be at least 1 pixel, got " + std::to_string(longest_side));
  }
  const int longest = std::max(page.width, page.height);
  PageImage out;
  if (longest <= longest_side) {
    out.width = page.width;
    out.height = page.height;
    out.rgb = page.rgb;
  } else {
    const double scale = double(longest_side) / longest;
    const int w = std::clamp(int(std::lround(page.width * scale)), 1, longest_side);
    const int h = std::clamp(int(std::lround(page.height * scale)), 1, longest_side);
    cv::Mat small;
    cv::resize(rgb_view(page), small, cv::Size(w, h), 0, 0, cv::INTER_AREA);
    out = page_image_from_rgb_mat(small);
  }
  out.width_pt = page.width_pt;
  out.height_pt = page.height_pt;
  return out;
}

std::vector<std::uint8_t> encode_thumbnail(const PageImage& page, const ThumbnailOptions& options) {
  return encode_image(make_thumbnail(page, options.longest_side), options.encoding, options.jpeg_quality);
}

PageImage decode_thumbnail(std::span<const std::uint8_t> bytes, PageSize page) {
  return decode_image(bytes, "thumbnail", page);
}

}  // namespace patchwise::vision
