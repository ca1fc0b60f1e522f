#include "models/starter/starter_encoder.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <unistd.h>

#include "core/error.h"
#include "core/maxsim_reference.h"
#include "models/registry.h"
#include "models/starter/starter_config.h"
#include "models/starter/starter_loss.h"

namespace patchwise::models::starter {
namespace fs = std::filesystem;
namespace {

class TempDir {
 public:
  TempDir() {
    path_ = fs::temp_directory_path() / ("pw-starter-" + std::to_string(::getpid()) + "-" + std::to_string(counter_++));
    fs::create_directories(path_);
  }
  ~TempDir() { fs::remove_all(path_); }
  const fs::path& path() const { return path_; }

 private:
  static inline int counter_ = 0;
  fs::path path_;
};

// A tiny model (cells of 8 px, pages scaled to 64 px) so tests run in milliseconds.
StarterConfig tiny_config() {
  StarterConfig c;
  c.dim = 16;
  c.longest_side = 64;
  c.channels = {4, 8, 8};
  c.text_buckets = 256;
  return c;
}

// A model folder with random weights drawn from `seed`.
void write_model(const fs::path& dir, std::uint64_t seed, StarterConfig config = tiny_config()) {
  torch::manual_seed(seed);
  StarterNet net(config);
  write_config(config, dir);
  save_weights(net, dir / kWeightsFile);
}

// White page with dark bars ("lines of text") in its upper half.
vision::PageImage page(int width, int height, int bars) {
  vision::PageImage p;
  p.width = width;
  p.height = height;
  p.width_pt = width * 0.72;
  p.height_pt = height * 0.72;
  p.rgb.assign(std::size_t(width) * height * 3, 255);
  for (int b = 0; b < bars; ++b) {
    for (int y = 4 + 12 * b; y < 9 + 12 * b && y < height; ++y) {
      for (int x = 6; x < width - 10 - 7 * b; ++x) {
        for (int ch = 0; ch < 3; ++ch) p.rgb[(std::size_t(y) * width + x) * 3 + ch] = std::uint8_t(20 + 30 * ch);
      }
    }
  }
  return p;
}

void expect_unit_rows(const core::MultiVector& m) {
  for (std::size_t r = 0; r < m.rows(); ++r) {
    double sum = 0;
    for (float v : m.row(r)) sum += double(v) * v;
    EXPECT_NEAR(std::sqrt(sum), 1.0, 1e-4) << "row " << r;
  }
}

TEST(StarterEncoder, LoadsThroughTheRegistryFromAGeneratedFolder) {
  TempDir tmp;
  write_model(tmp.path(), 1);
  const auto encoder = load_encoder(tmp.path().string());
  EXPECT_EQ(encoder->info().family, "patchwise-starter");
  EXPECT_EQ(encoder->info().dim, 16u);
  EXPECT_TRUE(encoder->info().fingerprint.starts_with("starter-"));
}

TEST(StarterEncoder, PatchGridCoversInkedCellsWithUnitVectors) {
  TempDir tmp;
  write_model(tmp.path(), 2);
  StarterEncoder encoder(tmp.path());
  // 128 x 96 is scaled to 64 x 48: an 8 x 6 grid of 8 px cells.
  const std::vector<vision::PageImage> pages = {page(128, 96, 3)};
  const auto out = encoder.encode_pages(pages);
  ASSERT_EQ(out.size(), 1u);
  const auto& e = out[0];
  ASSERT_GT(e.vectors.rows(), 0u);
  EXPECT_LT(e.vectors.rows(), 48u);  // blank cells (the lower half) are dropped
  EXPECT_EQ(e.vectors.rows(), e.grid.size());
  EXPECT_EQ(e.vectors.dim(), 16u);
  expect_unit_rows(e.vectors);
  for (const auto& r : e.grid.cells) {
    EXPECT_FALSE(r.empty());
    EXPECT_GE(r.x0, 0.0f);
    EXPECT_LE(r.x1, 1.0f);
    EXPECT_LE(r.y1, 0.5f);  // only the bars' rows hold ink
    EXPECT_NEAR(r.x1 - r.x0, 8.0f / 64.0f, 1e-6);
    EXPECT_NEAR(r.y1 - r.y0, 8.0f / 48.0f, 1e-6);
  }
}

TEST(StarterEncoder, ABlankPageHasNoVectors) {
  TempDir tmp;
  write_model(tmp.path(), 3);
  StarterEncoder encoder(tmp.path());
  const std::vector<vision::PageImage> pages = {page(64, 64, 0)};
  EXPECT_EQ(encoder.encode_pages(pages)[0].vectors.rows(), 0u);
}

TEST(StarterEncoder, IsDeterministicAndBatchInvariant) {
  TempDir tmp;
  write_model(tmp.path(), 4);
  StarterEncoder encoder(tmp.path());
  const std::vector<vision::PageImage> both = {page(128, 96, 3), page(90, 120, 5)};
  const auto together = encoder.encode_pages(both);
  const auto again = encoder.encode_pages(both);
  const auto second_alone = encoder.encode_pages(std::span(both).subspan(1));
  ASSERT_EQ(together.size(), 2u);
  EXPECT_TRUE(std::ranges::equal(together[0].vectors.values(), again[0].vectors.values()));
  EXPECT_EQ(together[1].grid.cells, second_alone[0].grid.cells);
  ASSERT_EQ(together[1].vectors.values().size(), second_alone[0].vectors.values().size());
  for (std::size_t i = 0; i < together[1].vectors.values().size(); ++i) {
    EXPECT_NEAR(together[1].vectors.values()[i], second_alone[0].vectors.values()[i], 1e-5);
  }
}

TEST(StarterEncoder, QueriesGiveOneUnitVectorPerWordPiece) {
  TempDir tmp;
  write_model(tmp.path(), 5);
  StarterEncoder encoder(tmp.path());
  const std::vector<std::string> queries = {"Hyperbolic tangent", "x-axis labels (gnuplot)"};
  const auto out = encoder.encode_queries(queries);
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[0].rows(), 2u);
  EXPECT_EQ(out[1].rows(), 4u);
  expect_unit_rows(out[0]);
  expect_unit_rows(out[1]);
  // Same word, same vector; the same query twice scores as a perfect match with itself.
  const std::vector<std::string> twice = {"tangent", "TANGENT"};
  const auto t = encoder.encode_queries(twice);
  EXPECT_TRUE(std::ranges::equal(t[0].values(), t[1].values()));
  const std::vector<std::string> empty = {" ,;"};
  EXPECT_THROW(encoder.encode_queries(empty), Error);
}

TEST(StarterEncoder, FingerprintFollowsTheWeights) {
  TempDir a, b, c;
  write_model(a.path(), 6);
  write_model(b.path(), 6);
  write_model(c.path(), 7);
  const auto fa = StarterEncoder(a.path()).info().fingerprint;
  EXPECT_EQ(fa, StarterEncoder(b.path()).info().fingerprint);
  EXPECT_NE(fa, StarterEncoder(c.path()).info().fingerprint);
}

TEST(StarterEncoder, WeightsOfAnotherShapeAreRejectedByName) {
  TempDir tmp;
  write_model(tmp.path(), 8);
  auto bigger = tiny_config();
  bigger.dim = 32;
  write_config(bigger, tmp.path());
  try {
    StarterEncoder encoder(tmp.path());
    FAIL() << "loaded weights of the wrong shape";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("model.safetensors"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("shape"), std::string::npos) << e.what();
  }
}

TEST(StarterEncoder, TheQueryTowerStartsAsLexicalHashing) {
  // Untrained, two different words share only the features that collide or coincide, so the
  // similarity of a word with itself is far above that with an unrelated word.
  StarterNet net(tiny_config());
  TextFeaturizer featurizer(tiny_config());
  FeatureBags bags;
  featurizer.add_piece("retrieval", bags);
  featurizer.add_piece("retrieval", bags);
  featurizer.add_piece("zebra", bags);
  torch::NoGradGuard no_grad;
  const auto v = net->encode_text(bags);
  EXPECT_NEAR(v[0].dot(v[1]).item<float>(), 1.0f, 1e-5);
  EXPECT_LT(v[0].dot(v[2]).item<float>(), 0.9f);
}

TEST(StarterConfig, RejectsBadValuesNamingTheFile) {
  TempDir tmp;
  auto c = tiny_config();
  c.channels = {4};
  write_config(c, tmp.path());
  try {
    read_config(tmp.path());
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("config.json"), std::string::npos);
    EXPECT_NE(std::string(e.what()).find("channels"), std::string::npos);
  }
}

TEST(StarterLoss, CellsCoveredByAWordBox) {
  // A box from x 10..40, y 2..14 over 16 px cells in a 4 x 4 grid.
  const auto cells = cells_covered({10, 2, 40, 14}, 16, 4, 4);
  EXPECT_EQ(cells, (std::vector<Cell>{{0, 0}, {0, 1}, {0, 2}}));
  // Grazing a cell by 2 px does not count.
  EXPECT_EQ(cells_covered({14, 0, 30, 10}, 16, 4, 4), (std::vector<Cell>{{0, 1}}));
  EXPECT_EQ(cells_covered({1, 1, 15, 15}, 16, 4, 4), (std::vector<Cell>{{0, 0}}));
  EXPECT_TRUE(cells_covered({5, 5, 5, 9}, 16, 4, 4).empty());
  EXPECT_EQ(cells_covered({50, 50, 90, 60}, 16, 4, 4), (std::vector<Cell>{{3, 3}}));  // clipped to the grid
}

TEST(StarterLoss, LossesPreferTheRightPairs) {
  torch::manual_seed(0);
  const auto words = torch::nn::functional::normalize(torch::randn({6, 16}),
                                                      torch::nn::functional::NormalizeFuncOptions().dim(1));
  const auto positives = torch::eye(6, torch::kBool);
  const auto matching = cell_word_loss(words, words, positives, 0.05).item<float>();
  const auto shuffled = cell_word_loss(words.roll(1, 0), words, positives, 0.05).item<float>();
  EXPECT_LT(matching, shuffled);

  // Two crops of 6 cells; each query is two cells' vectors of one crop.
  const auto pages = words.repeat({2, 1}).reshape({2, 6, 16});
  auto other = pages.clone();
  other[1] = torch::nn::functional::normalize(torch::randn({6, 16}), torch::nn::functional::NormalizeFuncOptions().dim(1));
  const auto valid = torch::ones({2, 6}, torch::kBool);
  const std::vector<torch::Tensor> queries = {other[0].slice(0, 0, 2), other[1].slice(0, 3, 5)};
  const auto right = page_maxsim_loss(queries, other, valid, {0, 1}, 0.05).item<float>();
  const auto wrong = page_maxsim_loss(queries, other, valid, {1, 0}, 0.05).item<float>();
  EXPECT_LT(right, wrong);
  // Invalid (blank) cells never score.
  auto none = torch::zeros({2, 6}, torch::kBool);
  const auto scores = maxsim_scores(queries, other, none);
  EXPECT_NEAR(scores[0][0].item<float>(), -2.0f, 1e-5);
}

}  // namespace
}  // namespace patchwise::models::starter
