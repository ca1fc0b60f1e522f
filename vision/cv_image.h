#pragma once
// Conversions between OpenCV matrices and PageImage (packed RGB8). Internal to vision/:
// OpenCV types never appear in headers other layers include.
#include <opencv2/core.hpp>

#include "vision/page_image.h"

namespace patchwise::vision {

// Any decoded image (1, 3 or 4 channels in OpenCV's BGR order; 8- or 16-bit, or float in
// 0..1) to packed RGB8. Alpha is dropped without compositing (as PIL's convert("RGB") does);
// 16-bit samples are scaled by 255/65535. Throws patchwise::Error (prefixed by `where`) for
// other layouts. The page size in points is left for the caller.
PageImage page_image_from_mat(const cv::Mat& decoded, const std::string& where);

// A read-only 3-channel view of a PageImage's pixels, in RGB order (no copy).
cv::Mat rgb_view(const PageImage& image);

// A writable 3-channel view, in RGB order (no copy).
cv::Mat rgb_view(PageImage& image);

// A PageImage with the pixels of an RGB-ordered CV_8UC3 matrix (copied).
PageImage page_image_from_rgb_mat(const cv::Mat& rgb);

}  // namespace patchwise::vision
