#pragma once
// Scan-like degradation of a grayscale page crop, so the starter model also reads scans:
// slight rotation, blur, uneven lighting, sensor noise, binarisation, JPEG artifacts.
// Each effect is drawn independently; rotations stay small (about the crop's centre) so the
// text-layer boxes still fit the pixels to within a few pixels.
#include <random>

#include <opencv2/core.hpp>

namespace patchwise::tools {

struct ScanlikeSettings {
  double max_rotation_deg = 1.5;  // Default: +-1.5 degrees, like the evaluation's synthetic scans.
  double max_blur_sigma = 1.2;    // Default: Gaussian blur up to sigma 1.2 px.
  double max_noise_sigma = 12;    // Default: Gaussian noise up to 12 grey levels.
  double binarize_chance = 0.15;  // Default: one crop in 7 thresholded to black and white.
  int min_jpeg_quality = 25;      // Default: JPEG re-encoding at quality 25..85.
};

// Degrades `gray` (CV_8UC1) in place.
void degrade_scanlike(cv::Mat& gray, std::mt19937_64& rng, const ScanlikeSettings& settings = {});

}  // namespace patchwise::tools
