// Similarity overlays: hotter cells are tinted more, empty cells and other sources are left out.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>

#include "core/error.h"
#include "vision/heatmap.h"
#include "vision/image_file.h"
#include "vision_test_support.h"

namespace patchwise::vision {
namespace {

using testing::solid_page;

// A 2 x 2 grid over the whole page: cells 0 1 / 2 3.
core::PatchGrid quarters() {
  core::PatchGrid grid;
  grid.add({0, 0, 0.5f, 0.5f});
  grid.add({0.5f, 0, 1, 0.5f});
  grid.add({0, 0.5f, 0.5f, 1});
  grid.add({0.5f, 0.5f, 1, 1});
  return grid;
}

// How far a pixel moved from the original page colour (sum of channel differences).
int tint(const PageImage& before, const PageImage& after, int x, int y) {
  int d = 0;
  for (int c = 0; c < 3; ++c) d += std::abs(int(after.pixel(x, y)[c]) - int(before.pixel(x, y)[c]));
  return d;
}

// The tint at the centre of a quarter of a 100 x 100 page.
int quarter_tint(const PageImage& before, const PageImage& after, int cell) {
  return tint(before, after, 25 + 50 * (cell % 2), 25 + 50 * (cell / 2));
}

TEST(Heatmap, HottestCellIsTintedMostAndColdestNotAtAll) {
  const PageImage page = solid_page(100, 100, 255, 255, 255);
  const std::vector<float> values = {0.1f, 0.9f, 0.5f, 0.3f};
  HeatmapOptions options;
  options.outline_best = false;
  const PageImage out = draw_heatmap(page, quarters(), values, options);
  ASSERT_EQ(out.width, 100);
  ASSERT_EQ(out.height, 100);
  EXPECT_EQ(quarter_tint(page, out, 0), 0);  // the minimum maps to no tint
  EXPECT_GT(quarter_tint(page, out, 1), quarter_tint(page, out, 2));
  EXPECT_GT(quarter_tint(page, out, 2), quarter_tint(page, out, 3));
  EXPECT_GT(quarter_tint(page, out, 3), 0);
  // Cells are flat: every pixel of the hottest cell carries the same tint.
  EXPECT_EQ(tint(page, out, 51, 1), tint(page, out, 98, 48));
  // The input is not modified.
  EXPECT_EQ(page.pixel(75, 25)[0], 255);
}

TEST(Heatmap, OpacityScalesTheTint) {
  const PageImage page = solid_page(100, 100, 255, 255, 255);
  const std::vector<float> values = {0, 1, 0, 0};
  HeatmapOptions faint, strong;
  faint.opacity = 0.2f;
  strong.opacity = 0.8f;
  faint.outline_best = strong.outline_best = false;
  const int t_faint = quarter_tint(page, draw_heatmap(page, quarters(), values, faint), 1);
  const int t_strong = quarter_tint(page, draw_heatmap(page, quarters(), values, strong), 1);
  EXPECT_GT(t_faint, 0);
  EXPECT_NEAR(double(t_strong) / t_faint, 4.0, 0.3);
  HeatmapOptions none;
  none.opacity = 0;
  none.outline_best = false;
  EXPECT_EQ(draw_heatmap(page, quarters(), values, none).rgb, page.rgb);
}

TEST(Heatmap, SkipsEmptyRectanglesAndNonFiniteValues) {
  const PageImage page = solid_page(100, 100, 255, 255, 255);
  core::PatchGrid grid = quarters();
  grid.add({});                        // a prompt token: no place on the page
  grid.add({0.3f, 0.3f, 0.3f, 0.7f});  // zero width
  const std::vector<float> values = {0.1f, 0.5f, 0.2f, NAN, 9.0f, 9.0f};
  const PageImage out = draw_heatmap(page, grid, values);
  // The range comes from drawn cells only (0.1..0.5), so cell 1 is the hottest...
  EXPECT_EQ(hottest_cell(grid, values), 1u);
  EXPECT_GT(quarter_tint(page, out, 1), quarter_tint(page, out, 2));
  // ... and the NaN cell stays untouched.
  EXPECT_EQ(quarter_tint(page, out, 3), 0);
}

TEST(Heatmap, GivenRangeFixesTheScale) {
  const PageImage page = solid_page(100, 100, 255, 255, 255);
  const std::vector<float> values = {0.5f, 0.5f, 0.5f, 2.0f};
  HeatmapOptions options;
  options.range = ValueRange{0, 1};
  options.outline_best = false;
  const PageImage out = draw_heatmap(page, quarters(), values, options);
  const int half = quarter_tint(page, out, 0);
  EXPECT_GT(half, 0);
  EXPECT_EQ(quarter_tint(page, out, 1), half);
  EXPECT_GT(quarter_tint(page, out, 3), half);  // clamped to the top of the range
}

TEST(Heatmap, OverlappingCellsShowTheHotterOne) {
  const PageImage page = solid_page(100, 100, 255, 255, 255);
  core::PatchGrid grid;
  grid.add({0, 0, 1, 1}, 0);            // global view, lukewarm
  grid.add({0.5f, 0.5f, 1, 1}, 1);      // a tile, hot
  grid.add({0, 0, 0.5f, 0.5f}, 1);      // a tile, cold
  const std::vector<float> values = {0.5f, 1.0f, 0.0f};
  HeatmapOptions options;
  options.outline_best = false;
  const PageImage out = draw_heatmap(page, grid, values, options);
  EXPECT_GT(quarter_tint(page, out, 3), quarter_tint(page, out, 1));
  EXPECT_EQ(quarter_tint(page, out, 0), quarter_tint(page, out, 1));  // the global view wins there
  // Tiles only: the global view is left out, so the cold tile and the rest stay clean.
  options.source = 1;
  const PageImage tiles = draw_heatmap(page, grid, values, options);
  EXPECT_EQ(quarter_tint(page, tiles, 1), 0);
  EXPECT_GT(quarter_tint(page, tiles, 3), 0);
}

TEST(Heatmap, OutlinesTheBestCell) {
  const PageImage page = solid_page(200, 200, 128, 128, 128);
  const std::vector<float> values = {0.1f, 0.2f, 0.3f, 0.9f};
  const PageImage out = draw_heatmap(page, quarters(), values);
  // The best cell is the bottom-right quarter (100..200): its left edge gets a white frame.
  EXPECT_EQ(out.pixel(100, 150)[0], 255);
  EXPECT_EQ(out.pixel(100, 150)[1], 255);
  // Its centre is tinted but not framed.
  EXPECT_NE(out.pixel(150, 150)[0], 255);
  // Other cells carry no frame on their inner edges.
  EXPECT_NE(out.pixel(50, 99)[0], 255);
}

TEST(Heatmap, RejectsMismatchedInput) {
  const PageImage page = solid_page(10, 10, 0, 0, 0);
  const std::vector<float> three = {1, 2, 3};
  EXPECT_THROW(draw_heatmap(page, quarters(), three), Error);
  const std::vector<float> four = {1, 2, 3, 4};
  EXPECT_THROW(draw_heatmap(PageImage{}, quarters(), four), Error);
}

TEST(Heatmap, WritesPngThatReadsBackExactly) {
  const testing::ScratchDir dir;
  const PageImage page = solid_page(64, 48, 255, 255, 255);
  const std::vector<float> values = {0.1f, 0.9f, 0.5f, 0.3f};
  const PageImage out = draw_heatmap(page, quarters(), values);
  const auto path = dir.file("heatmap.png");
  write_png(path, out);
  const PageImage back = load_image_file(path);
  ASSERT_EQ(back.width, 64);
  ASSERT_EQ(back.height, 48);
  EXPECT_EQ(back.rgb, out.rgb);
  EXPECT_THROW(write_png(dir.file("missing_folder/heatmap.png"), out), Error);
}

}  // namespace
}  // namespace patchwise::vision
