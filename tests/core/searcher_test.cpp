#include "tests/core/random_vectors.h"
#include "core/searcher.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>

#include "core/maxsim_reference.h"
#include "core/synthetic_corpus.h"
#include "core/tiered_index.h"

namespace patchwise::core {
namespace {

using test::random_unit_rows;


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

namespace patchwise::core {
namespace {

TEST(Searcher, EveryFormAndBatchAgreeWithSingleF32SearchOnASyntheticCorpus) {
  SyntheticSpec spec;
  spec.pages = 60;
  spec.rows = 40;
  spec.dim = 32;
  spec.centres = 64;
  spec.centres_per_page = 4;
  spec.query_tokens = 7;
  const SyntheticCorpus synthetic(spec);
  const Corpus f32 = synthetic.build(VectorForm::f32, 2);
  const Searcher exact(f32);
  std::vector<MultiVector> queries;
  for (int q = 0; q < 5; ++q) queries.push_back(synthetic.query(q));
  const auto batch = exact.search_batch(queries, {.k = 5, .threads = 2});
  ASSERT_EQ(batch.size(), queries.size());
  for (std::size_t q = 0; q < queries.size(); ++q) {
    const auto single = exact.search(queries[q], {.k = 5, .threads = 1});
    ASSERT_EQ(single.size(), 5u);
    for (std::size_t i = 0; i < 5; ++i) {
      EXPECT_EQ(batch[q][i].page_id, single[i].page_id);
      EXPECT_FLOAT_EQ(batch[q][i].score, single[i].score);
    }
    // The target page shares most of the query's topics: it ranks first.
    EXPECT_EQ(single.front().page_id, std::int64_t(synthetic.query_target(q)));
  }
  for (const VectorForm form : {VectorForm::f16, VectorForm::bf16, VectorForm::int8}) {
    const Corpus stored = f32.converted(form);
    const auto hits = Searcher(stored).search(queries[0], {.k = 1});
    EXPECT_EQ(hits.front().page_id, std::int64_t(synthetic.query_target(0))) << form_name(form);
  }
}

TEST(Searcher, TieredSearchRerankesExactlyAndExactForcesBruteForce) {
  SyntheticSpec spec;
  spec.pages = 80;
  spec.rows = 30;
  spec.dim = 32;
  spec.centres = 64;
  spec.centres_per_page = 3;
  spec.query_tokens = 6;
  const SyntheticCorpus synthetic(spec);
  const Corpus corpus = synthetic.build(VectorForm::f16, 2);
  const Corpus first = build_first_pass(corpus, {.rows_per_page = 4, .threads = 2});
  EXPECT_EQ(first.page_count(), corpus.page_count());
  EXPECT_EQ(first.total_rows(), 4u * corpus.page_count());
  const Searcher tiered(corpus, first);
  EXPECT_TRUE(tiered.tiered());
  const auto query = synthetic.query(3);
  const auto brute = tiered.search(query, {.k = 5, .exact = true});
  // With every page a candidate the tiered result is the exact one.
  const auto all = tiered.search(query, {.k = 5, .candidates = corpus.page_count()});
  const auto few = tiered.search(query, {.k = 5, .candidates = 20});
  for (std::size_t i = 0; i < 5; ++i) {
    EXPECT_EQ(all[i].page_id, brute[i].page_id);
    EXPECT_FLOAT_EQ(all[i].score, brute[i].score);
  }
  // Scores of tiered hits are exact scores, whatever the candidates.
  EXPECT_EQ(few.front().page_id, brute.front().page_id);
  EXPECT_FLOAT_EQ(few.front().score, brute.front().score);
  Corpus other(32);
  EXPECT_THROW(Searcher(corpus, other), std::exception);
}

}  // namespace
}  // namespace patchwise::core

namespace patchwise::core {
namespace {

Corpus corpus_of(const SyntheticCorpus& synthetic, std::size_t first, std::size_t last) {
  const auto& spec = synthetic.spec();
  Corpus out(spec.dim, VectorForm::f32);
  std::vector<float> values(spec.rows * spec.dim);
  for (std::size_t i = first; i < last; ++i) {
    synthetic.page(i, values);
    out.add_page(std::int64_t(i), values);
  }
  return out;
}

TEST(FirstPass, ReusesPagesItKnowsByIdAndPoolsOnlyNewOnes) {
  SyntheticSpec spec;
  spec.pages = 30;
  spec.rows = 20;
  spec.dim = 16;
  spec.centres = 32;
  const SyntheticCorpus synthetic(spec);
  const FirstPassOptions options{.rows_per_page = 4, .threads = 1};
  const Corpus grown = corpus_of(synthetic, 0, 30);
  const Corpus fresh = build_first_pass(grown, options);

  // An earlier index of pages 0..19 whose page 5 is marked (so a copy can be told from a
  // recomputation), plus page 10 left out.
  Corpus earlier(spec.dim, options.form);
  const Corpus old_pages = build_first_pass(corpus_of(synthetic, 0, 20), options);
  for (std::size_t i = 0; i < old_pages.page_count(); ++i) {
    if (i == 10) continue;
    std::vector<float> values = old_pages.decode_page(i);
    if (i == 5) values[0] = 0.5f;
    earlier.add_page(old_pages.page_id(i), values);
  }
  const Corpus reused = build_first_pass(grown, options, &earlier);
  ASSERT_EQ(reused.page_count(), grown.page_count());
  for (std::size_t i = 0; i < grown.page_count(); ++i) {
    ASSERT_EQ(reused.page_id(i), grown.page_id(i));
    ASSERT_EQ(reused.rows(i), fresh.rows(i));
    const auto a = reused.decode_page(i);
    const auto b = fresh.decode_page(i);
    if (i == 5) {
      EXPECT_NEAR(a[0], 0.5f, 0.01f) << "page 5 was copied from the earlier index";
    } else {
      EXPECT_EQ(a, b) << "page " << i << " equals a fresh pooling";
    }
  }
  // An index of another form is not reused.
  const Corpus f16_index = build_first_pass(grown, {.rows_per_page = 4, .form = VectorForm::f16, .threads = 1});
  EXPECT_EQ(build_first_pass(grown, options, &f16_index).decode_page(3), fresh.decode_page(3));
}

TEST(Explanation, HeatIsOneTokensRowOrTheMaxOverTokens) {
  std::mt19937 rng(5);
  const auto query = test::random_unit_rows(3, 8, rng);
  const auto page = test::random_unit_rows(7, 8, rng);
  const Explanation e = explain(query, page.values(), 8);
  const auto whole = query_heat(e);
  ASSERT_EQ(whole.size(), 7u);
  for (std::size_t p = 0; p < 7; ++p) {
    EXPECT_FLOAT_EQ(whole[p], std::max({e.at(0, p), e.at(1, p), e.at(2, p)}));
  }
  const auto second = token_heat(e, 1);
  ASSERT_EQ(second.size(), 7u);
  EXPECT_FLOAT_EQ(second[e.best_patch[1]], e.contribution[1]);
  EXPECT_THROW(token_heat(e, 3), std::exception);
}

}  // namespace
}  // namespace patchwise::core
