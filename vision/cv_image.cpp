#include "vision/cv_image.h"

#include <opencv2/imgproc.hpp>

#include "core/error.h"

namespace patchwise::vision {
namespace {

cv::Mat to_8bit(const cv::Mat& m, const std::string& where) {
  switch (m.depth()) {
    case CV_8U: return m;
    case CV_16U: {
      cv::Mat out;
      m.convertTo(out, CV_8U, 255.0 / 65535.0);
      return out;
    }
    case CV_32F:
    case CV_64F: {
      cv::Mat out;
      m.convertTo(out, CV_8U, 255.0);  // saturating: values outside 0..1 clip
      return out;
    }
    default:
      throw Error(where + ": unsupported sample format (OpenCV depth " + std::to_string(m.depth()) + ")");
  }
}

int rgb_conversion(int channels, const std::string& where) {
  switch (channels) {
    case 1: return cv::COLOR_GRAY2RGB;
    case 3: return cv::COLOR_BGR2RGB;
    case 4: return cv::COLOR_BGRA2RGB;
    default:
      throw Error(where + ": unsupported number of colour channels (" + std::to_string(channels) + ")");
  }
}

}  // namespace

PageImage page_image_from_mat(const cv::Mat& decoded, const std::string& where) {
  if (decoded.empty() || decoded.dims != 2) {
    throw Error(where + ": the image has no pixels");
  }
  const int code = rgb_conversion(decoded.channels(), where);
  PageImage out;
  out.width = decoded.cols;
  out.height = decoded.rows;
  out.rgb.resize(std::size_t(out.width) * out.height * 3);
  cv::Mat dst = rgb_view(out);
  cv::cvtColor(to_8bit(decoded, where), dst, code);
  if (dst.data != out.rgb.data()) {  // cvtColor must have written into our buffer
    throw Error(where + ": internal error converting the image to RGB");
  }
  return out;
}

cv::Mat rgb_view(const PageImage& image) {
  // OpenCV has no const Mat view; the const_cast is safe because callers only read it.
  return cv::Mat(image.height, image.width, CV_8UC3, const_cast<std::uint8_t*>(image.rgb.data()));
}

cv::Mat rgb_view(PageImage& image) {
  return cv::Mat(image.height, image.width, CV_8UC3, image.rgb.data());
}

PageImage page_image_from_rgb_mat(const cv::Mat& rgb) {
  PageImage out;
  out.width = rgb.cols;
  out.height = rgb.rows;
  out.rgb.resize(std::size_t(out.width) * out.height * 3);
  cv::Mat dst = rgb_view(out);
  rgb.copyTo(dst);
  return out;
}

}  // namespace patchwise::vision
