#include "core/searcher.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>

#include "core/maxsim_reference.h"

namespace patchwise::core {
namespace {

MultiVector random_unit_rows(std::size_t rows, std::size_t dim, std::mt19937& rng) {
  std::normal_distribution<float> n;
  MultiVector m(rows, dim);
  for (float& x : m.values()) x = n(rng);
  m.normalize_rows();
  return m;
}

TEST(Searcher, RanksLikeTheReferenceAndExplainsTheScore) {
  std::mt19937 rng(7);
  const std::size_t dim = 16;
  Corpus corpus(dim);
  std::vector<MultiVector> pages;
  for (int i = 0; i < 40; ++i) {
    pages.push_back(random_unit_rows(1 + rng() % 30, dim, rng));
    corpus.add_page(1000 + i, pages.back().values());
  }
  const auto query = random_unit_rows(5, dim, rng);

  std::vector<std::pair<double, std::int64_t>> expected;
  for (int i = 0; i < 40; ++i) {
    expected.emplace_back(maxsim_reference(query, pages[i].values(), pages[i].rows()), 1000 + i);
  }
  std::sort(expected.begin(), expected.end(), [](auto& a, auto& b) { return a.first > b.first; });

  Searcher searcher(corpus);
  const auto hits = searcher.search(query, {.k = 10, .exact = true, .threads = 2});
  ASSERT_EQ(hits.size(), 10u);
  for (std::size_t i = 0; i < hits.size(); ++i) {
    EXPECT_EQ(hits[i].page_id, expected[i].second);
    EXPECT_NEAR(hits[i].score, expected[i].first, 1e-5 * std::abs(expected[i].first));
  }

  const auto e = searcher.explain(query, 3);
  EXPECT_EQ(e.tokens, 5u);
  EXPECT_EQ(e.patches, pages[3].rows());
  EXPECT_NEAR(e.score, maxsim_reference(query, pages[3].values(), pages[3].rows()), 1e-5);
  for (std::size_t t = 0; t < e.tokens; ++t) {
    for (std::size_t p = 0; p < e.patches; ++p) EXPECT_LE(e.at(t, p), e.contribution[t]);
  }
}

TEST(Searcher, RejectsAQueryOfAnotherDimension) {
  Corpus corpus(8);
  Searcher searcher(corpus);
  EXPECT_THROW(searcher.search(MultiVector(2, 4)), std::exception);
}

}  // namespace
}  // namespace patchwise::core
