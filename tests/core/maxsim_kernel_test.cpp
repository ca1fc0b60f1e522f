// Every kernel (each storage form x each instruction set this CPU runs) against the
// double-precision reference, on random shapes including 1-row pages, 1-token queries,
// token counts that are not multiples of 8 and dims that are not multiples of 8 or 16.
#include "tests/core/random_vectors.h"
#include "core/maxsim_kernel.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "core/maxsim_reference.h"

namespace patchwise::core {
namespace {

using test::random_unit_rows;


std::vector<KernelIsa> runnable_isas() {
  std::vector<KernelIsa> isas{KernelIsa::scalar};
  if (best_kernel_isa() == KernelIsa::avx2) isas.push_back(KernelIsa::avx2);
  return isas;
}

// Stated error of each form against the original fp32 values, per query token, for unit
// rows (the score is a sum of `tokens` terms in [-1, 1]).
double stated_error_per_token(VectorForm form) {
  switch (form) {
    case VectorForm::f32: return 1e-5;
    case VectorForm::f16: return 2e-3;
    case VectorForm::bf16: return 1.6e-2;
    case VectorForm::int8: return 2e-2;
    case VectorForm::bit1: return 2.0;
  }
  return 0;
}

struct Shape {
  std::size_t tokens, dim;
  std::vector<std::size_t> page_rows;
};

TEST(MaxSimKernel, EveryDenseFormMatchesTheReferenceOnItsOwnValuesAndWithinItsStatedError) {
  std::mt19937 rng(11);
  const std::vector<Shape> shapes = {
      {1, 128, {1, 2, 3, 9, 17}},  {32, 128, {1, 7, 1030, 64}}, {5, 16, {1, 3, 30}},
      {9, 24, {2, 1, 11}},         {40, 128, {5, 33, 1}},        {17, 13, {1, 4, 8, 9}},
      {8, 1, {1, 6}},              {65, 64, {3, 100}},
  };
  for (const auto& shape : shapes) {
    const auto query = random_unit_rows(shape.tokens, shape.dim, rng);
    const PreparedQuery prepared(query);
    std::vector<MultiVector> pages;
    for (const std::size_t rows : shape.page_rows) pages.push_back(random_unit_rows(rows, shape.dim, rng));
    for (const VectorForm form : {VectorForm::f32, VectorForm::f16, VectorForm::bf16, VectorForm::int8}) {
      Corpus corpus(shape.dim, form);
      for (std::size_t i = 0; i < pages.size(); ++i) corpus.add_page(int(i), pages[i].values());
      for (const KernelIsa isa : runnable_isas()) {
        std::vector<float> scores(pages.size());
        score_pages(prepared, corpus, 0, pages.size(), scores, isa);
        for (std::size_t i = 0; i < pages.size(); ++i) {
          SCOPED_TRACE(std::string(form_name(form)) + " " + std::string(kernel_isa_name(isa)) +
                       " tokens=" + std::to_string(shape.tokens) + " dim=" + std::to_string(shape.dim) +
                       " rows=" + std::to_string(pages[i].rows()));
          const auto decoded = corpus.decode_page(i);
          const double on_stored = maxsim_reference(query, decoded, pages[i].rows());
          // int8 also rounds the query to int16 codes: 1e-4 per token covers it.
          const double kernel_tol =
              (form == VectorForm::int8 ? 1e-4 : 2e-6) * double(shape.tokens) + 1e-6;
          EXPECT_NEAR(scores[i], on_stored, kernel_tol);
          const double on_original = maxsim_reference(query, pages[i].values(), pages[i].rows());
          EXPECT_NEAR(scores[i], on_original,
                      stated_error_per_token(form) * double(shape.tokens) + kernel_tol);
        }
      }
    }
  }
}

TEST(MaxSimKernel, F32IsWithinOneInHundredThousandRelative) {
  std::mt19937 rng(5);
  const auto query = random_unit_rows(32, 128, rng);
  const auto page = random_unit_rows(1030, 128, rng);
  Corpus corpus(128);
  corpus.add_page(1, page.values());
  const double expected = maxsim_reference(query, page.values(), page.rows());
  for (const KernelIsa isa : runnable_isas()) {
    EXPECT_NEAR(score_page(PreparedQuery(query), corpus, 0, isa), expected, 1e-5 * std::abs(expected));
  }
}

TEST(MaxSimKernel, BitFormEstimatesAgreeAcrossIsasAndRankAnIdenticalPageFirst) {
  std::mt19937 rng(3);
  const auto query = random_unit_rows(12, 128, rng);
  Corpus corpus(128, VectorForm::bit1);
  corpus.add_page(0, random_unit_rows(50, 128, rng).values());
  corpus.add_page(1, query.values());  // the query's own tokens: every token matches exactly
  corpus.add_page(2, random_unit_rows(1, 128, rng).values());
  std::vector<std::vector<float>> by_isa;
  for (const KernelIsa isa : runnable_isas()) {
    std::vector<float> s(3);
    score_pages(PreparedQuery(query), corpus, 0, 3, s, isa);
    EXPECT_NEAR(s[1], 12.0, 1e-4);  // cos(0) per unit token
    EXPECT_GT(s[1], s[0]);
    EXPECT_GT(s[1], s[2]);
    by_isa.push_back(s);
  }
  for (const auto& s : by_isa) {
    for (std::size_t i = 0; i < 3; ++i) EXPECT_FLOAT_EQ(s[i], by_isa.front()[i]);
  }
}

TEST(MaxSimKernel, EmptyPagesScoreZeroAndBadArgumentsThrow) {
  Corpus corpus(8, VectorForm::f16);
  corpus.add_page(1, {});
  const MultiVector query(3, 8);
  EXPECT_EQ(score_page(PreparedQuery(query), corpus, 0), 0.0f);
  std::vector<float> out(1);
  EXPECT_THROW(score_pages(PreparedQuery(MultiVector(2, 4)), corpus, 0, 1, out), std::exception);
  EXPECT_THROW(score_pages(PreparedQuery(query), corpus, 0, 2, out), std::exception);
}

}  // namespace
}  // namespace patchwise::core
