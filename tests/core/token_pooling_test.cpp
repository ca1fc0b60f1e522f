#include "core/token_pooling.h"

#include <gtest/gtest.h>

#include <random>
#include <set>

namespace patchwise::core {
namespace {

// Rows in three tight, well separated groups; the third group sits in the page's corner.
PageEmbedding three_groups(std::mt19937& rng) {
  std::normal_distribution<float> noise(0, 0.01f);
  const float centres[3][3] = {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}};
  PageEmbedding page{MultiVector(9, 3), {}};
  for (std::size_t i = 0; i < 9; ++i) {
    const std::size_t g = i % 3;
    for (std::size_t d = 0; d < 3; ++d) page.vectors.row(i)[d] = centres[g][d] + noise(rng);
    const float x = 0.1f * float(i);
    page.grid.add({x, 0.0f, x + 0.1f, 0.1f}, std::uint16_t(g == 2 ? 1 : 0));
  }
  return page;
}

TEST(TokenPooling, WardFindsObviousClusters) {
  std::mt19937 rng(2);
  const auto page = three_groups(rng);
  const auto labels = ward_clusters(page.vectors.values(), 3, 3);
  for (std::size_t i = 0; i < 9; ++i) EXPECT_EQ(labels[i], labels[i % 3]);
  EXPECT_EQ(std::set<std::size_t>(labels.begin(), labels.end()).size(), 3u);
}

TEST(TokenPooling, PoolFactorThreeKeepsMeansAndUnionsRectangles) {
  std::mt19937 rng(4);
  const auto page = three_groups(rng);
  const auto pooled = pool_tokens(page, {.pool_factor = 3});
  ASSERT_EQ(pooled.vectors.rows(), 3u);
  ASSERT_EQ(pooled.grid.size(), 3u);
  for (std::size_t c = 0; c < 3; ++c) {
    const auto row = pooled.vectors.row(c);
    const std::size_t group = std::max_element(row.begin(), row.end()) - row.begin();
    EXPECT_NEAR(row[group], 1.0f, 0.02f);
    // Members of group g sit at x = 0.1 * {g, g+3, g+6}: the union spans all three cells.
    EXPECT_NEAR(pooled.grid.cells[c].x0, 0.1f * float(group), 1e-6);
    EXPECT_NEAR(pooled.grid.cells[c].x1, 0.1f * float(group + 6) + 0.1f, 1e-6);
    EXPECT_EQ(pooled.grid.source[c], group == 2 ? 1 : 0);
  }
}

TEST(TokenPooling, SmallPagesComeBackUnchangedAndBadInputThrows) {
  PageEmbedding one{MultiVector(1, 4), {}};
  one.grid.add({0, 0, 1, 1});
  EXPECT_EQ(pool_tokens(one).vectors.rows(), 1u);
  PageEmbedding mismatched{MultiVector(3, 4), {}};
  EXPECT_THROW(pool_tokens(mismatched), std::exception);
  EXPECT_THROW(pool_tokens(one, {.pool_factor = 0}), std::exception);
}

TEST(TokenPooling, KMeansReturnsAtMostTheRequestedMeans) {
  std::mt19937 rng(6);
  const auto page = three_groups(rng);
  const auto means = kmeans_pool(page.vectors.values(), 3, 3);
  EXPECT_EQ(means.rows(), 3u);
  EXPECT_EQ(kmeans_pool(page.vectors.values(), 3, 20).rows(), 9u);
}

}  // namespace
}  // namespace patchwise::core
