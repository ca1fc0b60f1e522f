#include "tests/support/pixel_encoder.h"

#include <cmath>
#include <functional>
#include <random>
#include <sstream>

#include "core/error.h"

namespace patchwise::test {
namespace {

constexpr int kSub = 4;                        // sub-grid per cell
constexpr std::size_t kFeatures = kSub * kSub * 3;

void normalize(std::span<float> v) {
  double n = 0;
  for (float x : v) n += double(x) * x;
  if (n == 0) return;
  const float inv = float(1 / std::sqrt(n));
  for (float& x : v) x *= inv;
}

}  // namespace

PixelEncoder::PixelEncoder(std::size_t dim, int grid, std::uint32_t seed)
    : dim_(dim), grid_(grid), seed_(seed), projection_(dim * kFeatures) {
  std::mt19937 rng(seed);
  std::normal_distribution<float> n(0, 1);
  for (float& w : projection_) w = n(rng);
}

models::EncoderInfo PixelEncoder::info() const {
  std::ostringstream fp;
  fp << "test-pixel-v1-d" << dim_ << "-g" << grid_ << "-s" << seed_;
  models::EncoderInfo info;
  info.name = "test pixel encoder";
  info.family = "test";
  info.dim = dim_;
  info.fingerprint = fp.str();
  return info;
}

core::PageEmbedding PixelEncoder::encode_page(const vision::PageImage& page) const {
  if (page.empty()) throw Error("PixelEncoder: empty page image");
  core::PageEmbedding out;
  out.vectors = core::MultiVector(std::size_t(grid_ * grid_), dim_);
  std::vector<float> features(kFeatures);
  for (int gy = 0; gy < grid_; ++gy) {
    for (int gx = 0; gx < grid_; ++gx) {
      std::fill(features.begin(), features.end(), 0.f);
      for (int sy = 0; sy < kSub; ++sy) {
        for (int sx = 0; sx < kSub; ++sx) {
          const int x0 = (gx * kSub + sx) * page.width / (grid_ * kSub);
          const int x1 = std::max(x0 + 1, (gx * kSub + sx + 1) * page.width / (grid_ * kSub));
          const int y0 = (gy * kSub + sy) * page.height / (grid_ * kSub);
          const int y1 = std::max(y0 + 1, (gy * kSub + sy + 1) * page.height / (grid_ * kSub));
          double sum[3] = {0, 0, 0};
          int count = 0;
          for (int y = y0; y < std::min(y1, page.height); ++y) {
            for (int x = x0; x < std::min(x1, page.width); ++x) {
              const auto* p = page.pixel(x, y);
              for (int c = 0; c < 3; ++c) sum[c] += p[c];
              ++count;
            }
          }
          for (int c = 0; c < 3; ++c) {
            features[std::size_t((sy * kSub + sx) * 3 + c)] = count ? float(sum[c] / count / 255.0 - 0.5) : 0.f;
          }
        }
      }
      auto row = out.vectors.row(std::size_t(gy * grid_ + gx));
      for (std::size_t d = 0; d < dim_; ++d) {
        float acc = 0;
        for (std::size_t f = 0; f < kFeatures; ++f) acc += projection_[d * kFeatures + f] * features[f];
        row[d] = acc;
      }
      normalize(row);
      const float g = float(grid_);
      out.grid.add({float(gx) / g, float(gy) / g, float(gx + 1) / g, float(gy + 1) / g});
    }
  }
  return out;
}

std::vector<core::PageEmbedding> PixelEncoder::encode_pages(std::span<const vision::PageImage> pages) {
  std::vector<core::PageEmbedding> out;
  out.reserve(pages.size());
  for (const auto& p : pages) out.push_back(encode_page(p));
  pages_encoded_ += std::int64_t(pages.size());
  return out;
}

std::vector<core::MultiVector> PixelEncoder::encode_queries(std::span<const std::string> queries) {
  std::vector<core::MultiVector> out;
  for (const auto& q : queries) {
    std::vector<std::string> words;
    std::istringstream in(q);
    for (std::string w; in >> w;) words.push_back(w);
    if (words.empty()) words.push_back("");
    core::MultiVector mv(words.size(), dim_);
    for (std::size_t i = 0; i < words.size(); ++i) {
      std::mt19937 rng(std::uint32_t(std::hash<std::string>{}(words[i])) ^ seed_);
      std::normal_distribution<float> n(0, 1);
      auto row = mv.row(i);
      for (float& v : row) v = n(rng);
      normalize(row);
    }
    out.push_back(std::move(mv));
  }
  return out;
}

}  // namespace patchwise::test
