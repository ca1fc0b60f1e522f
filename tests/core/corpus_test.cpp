#include "core/corpus.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>

namespace patchwise::core {
namespace {

std::vector<float> random_values(std::size_t n, std::mt19937& rng) {
  std::uniform_real_distribution<float> u(-1, 1);
  std::vector<float> v(n);
  for (float& x : v) x = u(rng);
  return v;
}

TEST(Corpus, EveryFormRoundTripsWithinItsPrecision) {
  std::mt19937 rng(1);
  const auto a = random_values(3 * 10, rng);
  const auto b = random_values(1 * 10, rng);
  for (const VectorForm form : {VectorForm::f32, VectorForm::f16, VectorForm::bf16, VectorForm::int8}) {
    Corpus c(10, form);
    c.reserve(2, 4);
    EXPECT_EQ(c.add_page(7, a), 0u);
    EXPECT_EQ(c.add_page(9, b), 1u);
    EXPECT_EQ(c.page_count(), 2u);
    EXPECT_EQ(c.total_rows(), 4u);
    EXPECT_EQ(c.rows(0), 3u);
    EXPECT_EQ(c.rows(1), 1u);
    EXPECT_EQ(c.page_id(1), 9);
    EXPECT_EQ(c.page_bytes(0).size(), 3 * row_bytes(form, 10));
    const double tol = form == VectorForm::f32 ? 0 : form == VectorForm::f16 ? 1e-3 : 8e-3;
    const auto decoded = c.decode_page(0);
    for (std::size_t i = 0; i < a.size(); ++i) EXPECT_NEAR(decoded[i], a[i], tol + 1e-9) << form_name(form);
  }
}

TEST(Corpus, PageValuesIsF32OnlyAndDecodePageWorksForAll) {
  Corpus f16(4, VectorForm::f16);
  f16.add_page(1, std::vector<float>{1, 2, 3, 4});
  EXPECT_THROW(f16.page_values(0), std::exception);
  EXPECT_EQ(f16.decode_page(0), (std::vector<float>{1, 2, 3, 4}));
  Corpus f32(4);
  f32.add_page(1, std::vector<float>{1, 2, 3, 4});
  EXPECT_EQ(f32.page_values(0)[3], 4.0f);
}

TEST(Corpus, RejectsValuesThatAreNotWholeRows) {
  Corpus c(4, VectorForm::int8);
  EXPECT_THROW(c.add_page(1, std::vector<float>(6)), std::exception);
  EXPECT_THROW(c.add_encoded_page(1, 2, std::vector<std::byte>(8), {}), std::exception);
}

TEST(Corpus, CopiesAreIndependentAndConvertedKeepsPages) {
  Corpus c(2);
  c.add_page(5, std::vector<float>{1, 0, 0, 1});
  Corpus copy = c;
  c.add_page(6, std::vector<float>{0.5f, 0.5f});
  EXPECT_EQ(copy.page_count(), 1u);
  EXPECT_EQ(copy.page_values(0)[3], 1.0f);
  const Corpus bf = c.converted(VectorForm::bf16);
  EXPECT_EQ(bf.page_count(), 2u);
  EXPECT_EQ(bf.page_id(1), 6);
  EXPECT_EQ(bf.decode_page(1), (std::vector<float>{0.5f, 0.5f}));
}

TEST(Corpus, AViewReadsExternalMemoryAndRefusesWrites) {
  Corpus owned(2, VectorForm::int8);
  owned.add_page(3, std::vector<float>{1, -1, 0.5f, 0.25f});
  const Corpus view = Corpus::view(2, VectorForm::int8,
                                   {owned.ids(), owned.offsets(), owned.scales(), owned.arena(), nullptr});
  EXPECT_TRUE(view.is_view());
  EXPECT_EQ(view.decode_page(0), owned.decode_page(0));
  Corpus writable = view;
  EXPECT_THROW(writable.add_page(4, std::vector<float>{1, 1}), std::exception);
  const std::vector<std::uint64_t> bad_offsets = {0, 5};
  EXPECT_THROW(Corpus::view(2, VectorForm::int8, {owned.ids(), bad_offsets, owned.scales(), owned.arena(), nullptr}),
               std::exception);
}

}  // namespace
}  // namespace patchwise::core
