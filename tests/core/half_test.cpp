#include "core/half.h"

#include <gtest/gtest.h>

#include <cmath>

namespace patchwise::core {
namespace {

TEST(Half, EveryFiniteF16RoundTripsThroughFloat) {
  for (std::uint32_t h = 0; h < 0x10000; ++h) {
    const auto bits = std::uint16_t(h);
    if ((bits & 0x7c00u) == 0x7c00u) continue;  // inf and NaN
    EXPECT_EQ(float_to_f16(f16_to_float(bits)), bits) << std::hex << h;
  }
}

TEST(Half, F16RoundsToNearestEven) {
  EXPECT_EQ(f16_to_float(float_to_f16(1.0f)), 1.0f);
  EXPECT_EQ(f16_to_float(float_to_f16(1.0f + 1.0f / 2048)), 1.0f);            // halfway: to even
  EXPECT_EQ(f16_to_float(float_to_f16(1.0f + 3.0f / 2048)), 1.0f + 2.0f / 1024);  // halfway: to even
  EXPECT_EQ(f16_to_float(float_to_f16(-0.333333f)), -0.333251953125f);
  EXPECT_TRUE(std::isinf(f16_to_float(float_to_f16(70000.0f))));
  EXPECT_EQ(f16_to_float(float_to_f16(1e-9f)), 0.0f);
  EXPECT_EQ(f16_to_float(float_to_f16(std::ldexp(1.0f, -24))), std::ldexp(1.0f, -24));  // smallest subnormal
}

TEST(Half, Bf16KeepsTheExponentAndRounds) {
  EXPECT_EQ(bf16_to_float(float_to_bf16(1.0f)), 1.0f);
  EXPECT_NEAR(bf16_to_float(float_to_bf16(3.0e38f)), 3.0e38f, 3.0e38f / 256);  // no overflow
  const float x = 0.1f;
  EXPECT_NEAR(bf16_to_float(float_to_bf16(x)), x, x / 256);
  EXPECT_TRUE(std::isnan(bf16_to_float(float_to_bf16(std::nanf("")))));
}

}  // namespace
}  // namespace patchwise::core
