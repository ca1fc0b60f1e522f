#pragma once
// A small deterministic encoder for tests: it reads the page's pixels, so scans get vectors
// too. The page is cut into a grid x grid raster; each cell's mean colour over a 4x4 sub-grid
// (48 numbers) goes through a fixed random projection (seeded) to `dim` values, L2-normalised.
// Each row's PatchGrid cell is the raster cell, so matches can be drawn. Queries: each word
// becomes a seeded random unit vector. Fast (no model), and counts the pages it encodes.
#include <atomic>
#include <cstdint>
#include <string>
#include <vector>

#include "models/encoder.h"

namespace patchwise::test {

class PixelEncoder final : public models::Encoder {
 public:
  explicit PixelEncoder(std::size_t dim = 16, int grid = 4, std::uint32_t seed = 7);

  models::EncoderInfo info() const override;
  std::vector<core::PageEmbedding> encode_pages(std::span<const vision::PageImage> pages) override;
  std::vector<core::MultiVector> encode_queries(std::span<const std::string> queries) override;
  std::size_t preferred_batch_size() const override { return 3; }

  // Pages passed to encode_pages since construction.
  std::int64_t pages_encoded() const { return pages_encoded_; }

 private:
  core::PageEmbedding encode_page(const vision::PageImage& page) const;

  std::size_t dim_;
  int grid_;
  std::uint32_t seed_;
  std::vector<float> projection_;  // dim x 48
  std::atomic<std::int64_t> pages_encoded_{0};
};

}  // namespace patchwise::test
