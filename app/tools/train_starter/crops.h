#pragma once
// Training crops: a square window of a page rendered at the model's scale, centred near a
// random word, with the text-layer words that lie inside it (boxes in crop pixels).
#include <filesystem>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include <opencv2/core.hpp>

#include "models/starter/starter_loss.h"
#include "vision/page_image.h"

namespace patchwise::tools {

struct CropWord {
  std::string piece;  // lower-cased word (LexicalEncoder::split_words gave exactly one piece)
  models::starter::PixelBox box;
};

struct Crop {
  cv::Mat gray;                 // size x size, CV_8UC1, white outside the page
  std::vector<CropWord> words;  // in the text layer's order
};

// Luma of packed RGB8 (ITU-R 601 weights, like the encoder).
cv::Mat to_gray(const vision::PageImage& page);

// Nullopt when the page has fewer than `min_words` usable words inside the crop.
std::optional<Crop> cut_crop(const vision::PageImage& page, const cv::Mat& gray, int size, std::mt19937_64& rng,
                             std::size_t min_words = 6);

// Writes `crop` as a PNG with its word boxes (red) and the cells they teach (blue), to check
// by eye that the text layer lines up with the pixels.
void write_preview(const Crop& crop, int cell_px, const std::filesystem::path& file);

}  // namespace patchwise::tools
