#include "core/top_k.h"

#include <gtest/gtest.h>

namespace patchwise::core {
namespace {

TEST(TopK, KeepsTheBestInOrder) {
  TopK top(3);
  const float scores[] = {0.1f, 0.9f, 0.5f, 0.7f, 0.2f};
  for (std::size_t i = 0; i < 5; ++i) top.push(scores[i], i);
  const auto s = top.sorted();
  ASSERT_EQ(s.size(), 3u);
  EXPECT_EQ(s[0].index, 1u);
  EXPECT_EQ(s[1].index, 3u);
  EXPECT_EQ(s[2].index, 2u);
}

TEST(TopK, TiesGoToTheLowerIndexWhateverTheOrder) {
  TopK a(2), b(2);
  for (std::size_t i : {4u, 2u, 3u}) a.push(1.0f, i);
  for (std::size_t i : {3u, 4u, 2u}) b.push(1.0f, i);
  EXPECT_EQ(a.sorted()[0].index, 2u);
  EXPECT_EQ(a.sorted()[1].index, 3u);
  EXPECT_EQ(b.sorted()[0].index, 2u);
  EXPECT_EQ(b.sorted()[1].index, 3u);
}

TEST(TopK, FewerItemsThanK) {
  TopK top(10);
  top.push(1.0f, 7);
  EXPECT_EQ(top.sorted().size(), 1u);
}

}  // namespace
}  // namespace patchwise::core
