// Thumbnails: shrunk with the aspect kept, encoded, and decoded back to nearly the same pixels.
#include <gtest/gtest.h>

#include <cstdlib>

#include "core/error.h"
#include "vision/document.h"
#include "vision/thumbnail.h"
#include "vision_test_support.h"

namespace patchwise::vision {
namespace {

double mean_abs_difference(const PageImage& a, const PageImage& b) {
  double sum = 0;
  for (std::size_t i = 0; i < a.rgb.size(); ++i) sum += std::abs(int(a.rgb[i]) - int(b.rgb[i]));
  return sum / double(a.rgb.size());
}

TEST(Thumbnail, ShrinksTheLongestSideKeepingAspect) {
  const PageImage page = Document::open(testing::libtasn1_pdf())->render(0, {150, 4'000'000});
  const PageImage thumb = make_thumbnail(page, 256);
  EXPECT_EQ(thumb.height, 256);
  EXPECT_EQ(thumb.width, 198);  // 1275 x 1650 -> 197.8 x 256
  EXPECT_DOUBLE_EQ(thumb.width_pt, 612);
  EXPECT_TRUE(thumb.words.empty());
  // Still a page: mostly paper, some ink.
  EXPECT_GT(testing::mean_brightness(thumb, {0, 0, 1, 1}), 200);
  EXPECT_LT(testing::min_brightness(thumb, {0, 0, 1, 1}), 128);
}

TEST(Thumbnail, NeverUpscales) {
  const PageImage small = testing::solid_page(40, 30, 10, 20, 30);
  const PageImage thumb = make_thumbnail(small, 256);
  EXPECT_EQ(thumb.width, 40);
  EXPECT_EQ(thumb.rgb, small.rgb);
}

TEST(Thumbnail, JpegRoundTripIsClose) {
  const PageImage page = Document::open(testing::libtasn1_pdf())->render(2, {100, 4'000'000});
  const std::vector<std::uint8_t> bytes = encode_thumbnail(page);
  EXPECT_EQ(bytes[0], 0xFF);
  EXPECT_EQ(bytes[1], 0xD8);
  EXPECT_LT(bytes.size(), 40'000u);
  const PageImage back = decode_thumbnail(bytes, {612, 792});
  const PageImage expected = make_thumbnail(page, 256);
  ASSERT_EQ(back.width, expected.width);
  ASSERT_EQ(back.height, expected.height);
  EXPECT_LT(mean_abs_difference(back, expected), 3.0);
  EXPECT_DOUBLE_EQ(back.height_pt, 792);
}

TEST(Thumbnail, PngRoundTripIsExact) {
  const PageImage page = Document::open(testing::data_file("shapes.pdf"))->render(0, {300, 4'000'000});
  ThumbnailOptions options;
  options.encoding = ImageEncoding::png;
  options.longest_side = 100;
  const PageImage back = decode_thumbnail(encode_thumbnail(page, options));
  const PageImage expected = make_thumbnail(page, 100);
  EXPECT_EQ(back.width, 100);
  EXPECT_EQ(back.height, 50);
  EXPECT_EQ(back.rgb, expected.rgb);
}

TEST(Thumbnail, RejectsBadInput) {
  EXPECT_THROW(make_thumbnail(PageImage{}, 256), Error);
  EXPECT_THROW(make_thumbnail(testing::solid_page(4, 4, 0, 0, 0), 0), Error);
  const std::vector<std::uint8_t> junk = {1, 2, 3, 4, 5};
  EXPECT_THROW(decode_thumbnail(junk), Error);
  EXPECT_THROW(decode_thumbnail({}), Error);
}

}  // namespace
}  // namespace patchwise::vision
