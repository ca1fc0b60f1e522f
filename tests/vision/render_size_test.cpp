// The pixel budget shared by both backends.
#include <gtest/gtest.h>

#include <cmath>

#include "core/error.h"
#include "vision/render_size.h"

namespace patchwise::vision {
namespace {

TEST(RenderSize, RoundsPointsAtTheDpi) {
  const PixelSize px = render_size({612, 792}, {150, 4'000'000}, "t");
  EXPECT_EQ(px.width, 1275);
  EXPECT_EQ(px.height, 1650);
  const PixelSize odd = render_size({609.714, 789.041}, {150, 4'000'000}, "t");
  EXPECT_EQ(odd.width, 1270);
  EXPECT_EQ(odd.height, 1644);
}

TEST(RenderSize, FitsTheBudgetKeepingAspect) {
  const PixelSize px = render_size({612, 792}, {600, 2'000'000}, "t");
  EXPECT_LE(long(px.width) * px.height, 2'000'000);
  EXPECT_GT(long(px.width) * px.height, 1'990'000);
  EXPECT_NEAR(double(px.width) / px.height, 612.0 / 792.0, 0.001);
}

TEST(RenderSize, ThinPagesKeepOnePixelAndStayInBudget) {
  const PixelSize px = render_size({14400, 1}, {150, 1000}, "t");
  EXPECT_EQ(px.height, 1);
  EXPECT_EQ(px.width, 1000);
  const PixelSize dot = render_size({0.01, 0.01}, {72, 1000}, "t");
  EXPECT_EQ(dot.width, 1);
  EXPECT_EQ(dot.height, 1);
}

TEST(RenderSize, RefusesUnusablePagesAndTargets) {
  EXPECT_THROW(render_size({0, 792}, {}, "t"), Error);
  EXPECT_THROW(render_size({612, -1}, {}, "t"), Error);
  EXPECT_THROW(render_size({NAN, 792}, {}, "t"), Error);
  EXPECT_THROW(render_size({INFINITY, 792}, {}, "t"), Error);
  EXPECT_THROW(render_size({612, 792}, {-1, 1000}, "t"), Error);
  EXPECT_THROW(render_size({612, 792}, {150, kMaxRenderPixels + 1}, "t"), Error);
}

TEST(FitPixels, OnlyShrinks) {
  EXPECT_EQ(fit_pixels({400, 300}, 1'000'000).width, 400);
  const PixelSize px = fit_pixels({4000, 3000}, 120'000);
  EXPECT_EQ(px.width, 400);
  EXPECT_EQ(px.height, 300);
}

}  // namespace
}  // namespace patchwise::vision
