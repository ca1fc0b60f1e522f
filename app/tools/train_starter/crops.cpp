#include "app/tools/train_starter/crops.h"

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <algorithm>

#include "models/lexical/lexical_encoder.h"

namespace patchwise::tools {

cv::Mat to_gray(const vision::PageImage& page) {
  const cv::Mat rgb(page.height, page.width, CV_8UC3, const_cast<std::uint8_t*>(page.rgb.data()));
  cv::Mat gray;
  cv::cvtColor(rgb, gray, cv::COLOR_RGB2GRAY);
  return gray;
}

std::optional<Crop> cut_crop(const vision::PageImage& page, const cv::Mat& gray, int size, std::mt19937_64& rng,
                             std::size_t min_words) {
  if (page.words.empty() || gray.empty()) return std::nullopt;
  const float w = float(page.width);
  const float h = float(page.height);
  const auto& anchor = page.words[std::uniform_int_distribution<std::size_t>(0, page.words.size() - 1)(rng)];
  const int jitter = size / 4;
  const int cx = int((anchor.box.x0 + anchor.box.x1) / 2 * w) + std::uniform_int_distribution<int>(-jitter, jitter)(rng);
  const int cy = int((anchor.box.y0 + anchor.box.y1) / 2 * h) + std::uniform_int_distribution<int>(-jitter, jitter)(rng);
  const int x0 = std::clamp(cx - size / 2, 0, std::max(0, page.width - size));
  const int y0 = std::clamp(cy - size / 2, 0, std::max(0, page.height - size));

  Crop crop;
  crop.gray = cv::Mat(size, size, CV_8UC1, cv::Scalar(255));
  const cv::Rect inside(x0, y0, std::min(size, page.width - x0), std::min(size, page.height - y0));
  gray(inside).copyTo(crop.gray(cv::Rect(0, 0, inside.width, inside.height)));

  for (const auto& word : page.words) {
    const models::starter::PixelBox box{word.box.x0 * w - float(x0), word.box.y0 * h - float(y0),
                                        word.box.x1 * w - float(x0), word.box.y1 * h - float(y0)};
    // Whole words only: a word cut by the crop edge would teach cells letters they do not show.
    if (box.x0 < 0 || box.y0 < 0 || box.x1 > float(inside.width) || box.y1 > float(inside.height)) continue;
    auto pieces = models::LexicalEncoder::split_words(word.text);
    if (pieces.size() != 1) continue;
    crop.words.push_back({std::move(pieces.front()), box});
  }
  if (crop.words.size() < min_words) return std::nullopt;
  return crop;
}

void write_preview(const Crop& crop, int cell_px, const std::filesystem::path& file) {
  cv::Mat bgr;
  cv::cvtColor(crop.gray, bgr, cv::COLOR_GRAY2BGR);
  const int grid = crop.gray.rows / cell_px;
  cv::Mat taught = bgr.clone();
  for (const auto& word : crop.words) {
    for (const auto& cell : models::starter::cells_covered(word.box, cell_px, grid, grid)) {
      cv::rectangle(taught, cv::Rect(cell.col * cell_px, cell.row * cell_px, cell_px, cell_px),
                    cv::Scalar(255, 160, 0), cv::FILLED);
    }
  }
  cv::addWeighted(bgr, 0.75, taught, 0.25, 0, bgr);
  for (const auto& word : crop.words) {
    cv::rectangle(bgr, cv::Point(int(word.box.x0), int(word.box.y0)), cv::Point(int(word.box.x1), int(word.box.y1)),
                  cv::Scalar(0, 0, 255), 1);
  }
  cv::imwrite(file.string(), bgr);
}

}  // namespace patchwise::tools
