// The image backend: scans as PNG, JPEG and multi-page TIFF, converted to RGB8, never rotated.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>

#include "core/error.h"
#include "vision/document.h"
#include "vision/image_file.h"
#include "vision_test_support.h"

namespace patchwise::vision {
namespace {

using ::testing::HasSubstr;
using testing::data_file;
using testing::ScratchDir;
using testing::open_error;

void expect_rgb(const PageImage& image, int x, int y, int r, int g, int b, int tolerance = 0) {
  const std::uint8_t* p = image.pixel(x, y);
  EXPECT_NEAR(p[0], r, tolerance) << "red at " << x << "," << y;
  EXPECT_NEAR(p[1], g, tolerance) << "green at " << x << "," << y;
  EXPECT_NEAR(p[2], b, tolerance) << "blue at " << x << "," << y;
}

// Left half red, right half blue: any rotation or mirroring moves the colours.
PageImage two_colour_page(int width, int height) {
  PageImage page = testing::solid_page(width, height, 220, 20, 30);
  for (int y = 0; y < height; ++y) {
    for (int x = width / 2; x < width; ++x) {
      std::uint8_t* p = page.rgb.data() + (std::size_t(y) * width + x) * 3;
      p[0] = 20;
      p[1] = 40;
      p[2] = 230;
    }
  }
  return page;
}

// A JPEG with an EXIF APP1 segment right after SOI declaring `orientation`
// (6 = "rotate 90 degrees clockwise to display").
std::vector<std::uint8_t> with_exif_orientation(const std::vector<std::uint8_t>& jpeg, std::uint8_t orientation) {
  const std::vector<std::uint8_t> app1 = {
      0xFF, 0xE1, 0x00, 0x22,                      // APP1, length 34 (includes these 2 bytes)
      'E', 'x', 'i', 'f', 0, 0,                    // EXIF header
      'M', 'M', 0x00, 0x2A, 0, 0, 0, 0x08,         // big-endian TIFF header, IFD at 8
      0x00, 0x01,                                  // one entry
      0x01, 0x12, 0x00, 0x03, 0, 0, 0, 1,          // Orientation, SHORT, count 1
      0x00, orientation, 0, 0,                     // value
      0, 0, 0, 0,                                  // no next IFD
  };
  // Sized up front and filled by copy: GCC 12 at -O3 misreads insert() into a 2-byte vector.
  std::vector<std::uint8_t> out(jpeg.size() + app1.size());
  const auto after_soi = std::copy(jpeg.begin(), jpeg.begin() + 2, out.begin());
  std::copy(jpeg.begin() + 2, jpeg.end(), std::copy(app1.begin(), app1.end(), after_soi));
  return out;
}

TEST(ImageDocument, ReadsPngPixelsExactlyAndItsDeclaredDpi) {
  const auto doc = Document::open(data_file("rgb.png"));
  ASSERT_EQ(doc->page_count(), 1);
  const PageImage page = doc->render(0, {});
  ASSERT_EQ(page.width, 4);
  ASSERT_EQ(page.height, 3);
  for (int y = 0; y < 3; ++y) {
    for (int x = 0; x < 4; ++x) expect_rgb(page, x, y, 10 * x + 1, 20 * y + 2, 30 + x + y);
  }
  // pHYs says 11811 dots per metre = 300 dpi: 4 px = 0.96 pt.
  EXPECT_NEAR(page.width_pt, 4 * 72.0 / 300, 1e-4);
  EXPECT_NEAR(doc->page_size(0).height_pt, 3 * 72.0 / 300, 1e-4);
  EXPECT_TRUE(doc->words(0).empty());
  EXPECT_TRUE(page.words.empty());
}

TEST(ImageDocument, ScalesSixteenBitGreyToRgb8) {
  const auto doc = Document::open(data_file("grey16.png"));
  const PageImage page = doc->render(0, {});
  ASSERT_EQ(page.width, 3);
  ASSERT_EQ(page.height, 2);
  expect_rgb(page, 0, 0, 0, 0, 0);
  expect_rgb(page, 1, 0, 128, 128, 128);
  expect_rgb(page, 2, 0, 255, 255, 255);
  expect_rgb(page, 0, 1, 10, 10, 10);
  expect_rgb(page, 1, 1, 200, 200, 200);
  // No declared resolution: 150 dpi is assumed.
  EXPECT_NEAR(page.width_pt, 3 * 72.0 / 150, 1e-9);
}

TEST(ImageDocument, DropsAlphaWithoutCompositing) {
  const PageImage page = Document::open(data_file("rgba.png"))->render(0, {});
  ASSERT_EQ(page.width, 2);
  expect_rgb(page, 0, 0, 200, 10, 20);  // alpha 0: colour kept, not white
  expect_rgb(page, 1, 0, 30, 40, 50);
  expect_rgb(page, 0, 1, 1, 2, 3);
  expect_rgb(page, 1, 1, 250, 251, 252);
}

TEST(ImageDocument, ReadsEveryPageOfAMultiPageTiff) {
  const auto doc = Document::open(data_file("multipage.tif"));
  ASSERT_EQ(doc->page_count(), 3);
  const int sizes[3][2] = {{5, 4}, {6, 2}, {3, 7}};
  const int colours[3][3] = {{255, 0, 0}, {0, 255, 0}, {0, 0, 255}};
  // Out of order on purpose: pages are decoded on demand.
  for (int i : {2, 0, 1}) {
    SCOPED_TRACE("page " + std::to_string(i + 1));
    const PageImage page = doc->render(i, {});
    ASSERT_EQ(page.width, sizes[i][0]);
    ASSERT_EQ(page.height, sizes[i][1]);
    expect_rgb(page, page.width - 1, page.height - 1, colours[i][0], colours[i][1], colours[i][2]);
    EXPECT_NEAR(doc->page_size(i).width_pt, sizes[i][0] * 72.0 / 300, 1e-9);
  }
  try {
    doc->render(3, {});
    ADD_FAILURE() << "page 4 of 3 rendered";
  } catch (const Error& e) {
    EXPECT_THAT(e.what(), HasSubstr("multipage.tif: page 4"));
  }
}

TEST(ImageDocument, ReadsJpeg) {
  const ScratchDir dir;
  const PageImage original = two_colour_page(64, 48);
  const auto path = dir.write("photo.jpg", encode_image(original, ImageEncoding::jpeg, 95));
  const auto doc = Document::open(path);
  ASSERT_EQ(doc->page_count(), 1);
  const PageImage page = doc->render(0, {});
  ASSERT_EQ(page.width, 64);
  ASSERT_EQ(page.height, 48);
  expect_rgb(page, 10, 10, 220, 20, 30, 12);
  expect_rgb(page, 54, 40, 20, 40, 230, 12);
}

TEST(ImageDocument, IgnoresExifOrientation) {
  const ScratchDir dir;
  const auto jpeg = encode_image(two_colour_page(40, 20), ImageEncoding::jpeg, 95);
  const auto path = dir.write("rotated.jpg", with_exif_orientation(jpeg, 6));
  const PageImage page = Document::open(path)->render(0, {});
  // Stored pixels as they are: 40 x 20 with red on the left, as the reference pipeline sees them.
  ASSERT_EQ(page.width, 40);
  ASSERT_EQ(page.height, 20);
  expect_rgb(page, 5, 10, 220, 20, 30, 12);
  expect_rgb(page, 35, 10, 20, 40, 230, 12);
}

TEST(ImageDocument, ScalesDownToThePixelBudget) {
  const ScratchDir dir;
  const auto path = dir.file("big.png");
  write_png(path, two_colour_page(400, 300));
  const auto doc = Document::open(path);
  const PageImage page = doc->render(0, {150, 10'000});
  EXPECT_LE(page.width * page.height, 10'000);
  EXPECT_GT(page.width * page.height, 9'700);
  EXPECT_NEAR(double(page.width) / page.height, 4.0 / 3.0, 0.02);
  // Area averaging keeps flat colours flat, and the size in points is the original's.
  expect_rgb(page, 2, 2, 220, 20, 30);
  expect_rgb(page, page.width - 3, page.height - 3, 20, 40, 230);
  EXPECT_NEAR(page.width_pt, 400 * 72.0 / 150, 1e-9);
  // The dpi does not upscale a scan: pixels are what the scanner gave.
  EXPECT_EQ(doc->render(0, {600, 4'000'000}).width, 400);
}

TEST(ImageDocument, TruncatedImagesAreErrorsNamingTheFile) {
  const ScratchDir dir;
  const auto jpeg = encode_image(two_colour_page(64, 48), ImageEncoding::jpeg, 90);
  const auto png = testing::read_bytes(data_file("rgb.png"));
  const auto tiff = testing::read_bytes(data_file("multipage.tif"));
  const std::pair<std::string, std::vector<std::uint8_t>> cases[] = {
      {"cut.jpg", {jpeg.begin(), jpeg.begin() + std::ptrdiff_t(jpeg.size() / 2)}},
      {"cut.png", {png.begin(), png.begin() + 60}},
      {"cut.tif", {tiff.begin(), tiff.begin() + 40}},
      {"header_only.png", {png.begin(), png.begin() + 8}},
  };
  for (const auto& [name, bytes] : cases) {
    SCOPED_TRACE(name);
    EXPECT_THAT(open_error(dir.write(name, bytes)), HasSubstr(name));
  }
}

TEST(ImageDocument, RefusesHeadersDeclaringGiganticImages) {
  const ScratchDir dir;
  // rgb.png with its IHDR saying 100000 x 100000 (the CRC no longer matches, which does not
  // matter: the size is checked before any decoding).
  std::vector<std::uint8_t> png = testing::read_bytes(data_file("rgb.png"));
  for (int at : {16, 20}) {
    png[at] = 0x00;
    png[at + 1] = 0x01;
    png[at + 2] = 0x86;
    png[at + 3] = 0xA0;
  }
  const std::string message = open_error(dir.write("gigantic.png", png));
  EXPECT_THAT(message, HasSubstr("gigantic.png"));
  EXPECT_THAT(message, HasSubstr("100000 x 100000"));
  // A JPEG whose frame header says 60000 x 60000.
  std::vector<std::uint8_t> jpeg = encode_image(two_colour_page(16, 16), ImageEncoding::jpeg, 90);
  bool patched = false;
  for (std::size_t i = 2; i + 8 < jpeg.size() && !patched; ++i) {
    if (jpeg[i] == 0xFF && jpeg[i + 1] == 0xC0) {  // baseline SOF0: height at +5, width at +7
      jpeg[i + 5] = jpeg[i + 7] = 0xEA;
      jpeg[i + 6] = jpeg[i + 8] = 0x60;
      patched = true;
    }
  }
  ASSERT_TRUE(patched);
  EXPECT_THAT(open_error(dir.write("gigantic.jpg", jpeg)), HasSubstr("60000 x 60000"));
}

TEST(LoadImageFile, ReadsImagesAndRefusesPdfs) {
  const PageImage rgb = load_image_file(data_file("rgb.png"));
  EXPECT_EQ(rgb.width, 4);
  expect_rgb(rgb, 3, 2, 31, 42, 35);
  try {
    load_image_file(data_file("shapes.pdf"));
    ADD_FAILURE() << "a PDF loaded as an image";
  } catch (const Error& e) {
    EXPECT_THAT(e.what(), HasSubstr("shapes.pdf"));
  }
}

}  // namespace
}  // namespace patchwise::vision
