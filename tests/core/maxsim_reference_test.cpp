#include "core/maxsim_reference.h"

#include <gtest/gtest.h>

namespace patchwise::core {
namespace {

TEST(MaxSimReference, SumsEachTokensBestPatch) {
  MultiVector q(2, 2, {1, 0, 0, 1});
  const std::vector<float> page = {0.5f, 0.5f, 0.9f, 0.1f, -1, 2};
  // token 0: max(0.5, 0.9, -1) = 0.9; token 1: max(0.5, 0.1, 2) = 2
  EXPECT_DOUBLE_EQ(maxsim_reference(q, page, 3), double(0.9f) + 2.0);
}

TEST(MaxSimReference, EmptyPageScoresZero) {
  MultiVector q(3, 4);
  EXPECT_EQ(maxsim_reference(q, {}, 0), 0.0);
}

TEST(MaxSimReference, RejectsMismatchedSizes) {
  MultiVector q(1, 4);
  const std::vector<float> page(7);
  EXPECT_THROW(maxsim_reference(q, page, 2), std::exception);
}

}  // namespace
}  // namespace patchwise::core
