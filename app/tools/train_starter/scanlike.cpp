#include "app/tools/train_starter/scanlike.h"

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <vector>

namespace patchwise::tools {
namespace {

double uniform(std::mt19937_64& rng, double lo, double hi) { return std::uniform_real_distribution<double>(lo, hi)(rng); }
bool chance(std::mt19937_64& rng, double p) { return uniform(rng, 0, 1) < p; }

void rotate(cv::Mat& gray, double degrees) {
  const cv::Point2f centre(float(gray.cols) / 2, float(gray.rows) / 2);
  const cv::Mat m = cv::getRotationMatrix2D(centre, degrees, 1.0);
  cv::warpAffine(gray, gray, m, gray.size(), cv::INTER_LINEAR, cv::BORDER_CONSTANT, cv::Scalar(255));
}

// Paper tint and light falling off across the page: out = paper * (1 - ink) + dark * ink.
void shade(cv::Mat& gray, std::mt19937_64& rng) {
  cv::Mat f;
  gray.convertTo(f, CV_32F, 1.0 / 255);
  const float paper = float(uniform(rng, 0.78, 1.0));
  const float dark = float(uniform(rng, 0.0, 0.25));
  const float gx = float(uniform(rng, -0.2, 0.2)) / float(gray.cols);
  const float gy = float(uniform(rng, -0.2, 0.2)) / float(gray.rows);
  for (int y = 0; y < f.rows; ++y) {
    auto* row = f.ptr<float>(y);
    for (int x = 0; x < f.cols; ++x) {
      const float light = std::clamp(1.0f + gx * float(x - f.cols / 2) + gy * float(y - f.rows / 2), 0.6f, 1.2f);
      row[x] = (dark + (paper - dark) * row[x]) * light;
    }
  }
  f.convertTo(gray, CV_8U, 255);
}

void add_noise(cv::Mat& gray, double sigma, std::mt19937_64& rng) {
  cv::Mat noise(gray.size(), CV_32F);
  cv::theRNG().state = rng();
  cv::randn(noise, 0, sigma);
  cv::Mat f;
  gray.convertTo(f, CV_32F);
  f += noise;
  f.convertTo(gray, CV_8U);
}

void jpeg(cv::Mat& gray, int quality) {
  std::vector<uchar> bytes;
  cv::imencode(".jpg", gray, bytes, {cv::IMWRITE_JPEG_QUALITY, quality});
  gray = cv::imdecode(bytes, cv::IMREAD_GRAYSCALE);
}

}  // namespace

void degrade_scanlike(cv::Mat& gray, std::mt19937_64& rng, const ScanlikeSettings& s) {
  if (chance(rng, 0.7)) rotate(gray, uniform(rng, -s.max_rotation_deg, s.max_rotation_deg));
  if (chance(rng, 0.7)) {
    const double sigma = uniform(rng, 0.3, s.max_blur_sigma);
    cv::GaussianBlur(gray, gray, cv::Size(0, 0), sigma);
  }
  if (chance(rng, 0.6)) shade(gray, rng);
  if (chance(rng, 0.6)) add_noise(gray, uniform(rng, 2, s.max_noise_sigma), rng);
  if (chance(rng, s.binarize_chance)) {
    cv::threshold(gray, gray, uniform(rng, 110, 180), 255, cv::THRESH_BINARY);
  }
  if (chance(rng, 0.6)) jpeg(gray, int(uniform(rng, s.min_jpeg_quality, 85)));
}

}  // namespace patchwise::tools
