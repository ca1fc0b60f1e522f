// The PDF backend on real PDFs: Debian's manuals and the small files in tests/data/vision/.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <thread>

#include "core/error.h"
#include "vision/document.h"
#include "vision_test_support.h"

namespace patchwise::vision {
namespace {

using ::testing::HasSubstr;
using testing::data_file;
using testing::libtasn1_pdf;
using testing::mean_brightness;
using testing::min_brightness;
using testing::ScratchDir;

// The message of the patchwise::Error `f` throws (fails the test if it throws nothing).
template <class F>
std::string error_of(F&& f) {
  try {
    f();
  } catch (const Error& e) {
    return e.what();
  }
  ADD_FAILURE() << "expected patchwise::Error";
  return {};
}

// The same box moved by its own size toward the top edge of the page as printed, which the
// renderer shows turned clockwise by `quarter_turns` (the page's /Rotate divided by 90).
core::NormRect toward_printed_top(const core::NormRect& b, int quarter_turns) {
  const float w = b.x1 - b.x0, h = b.y1 - b.y0;
  const float dx[4] = {0, w, 0, -w};
  const float dy[4] = {-h, 0, h, 0};
  const int q = quarter_turns % 4;
  return {b.x0 + dx[q], b.y0 + dy[q], b.x1 + dx[q], b.y1 + dy[q]};
}

// A word box lines up with the pixels when it holds dark ink and the same box moved off the
// line (into the blank space above the title) is clearly lighter.
void expect_box_on_ink(const PageImage& page, const core::NormRect& box, int quarter_turns = 0) {
  const double inside = mean_brightness(page, box);
  EXPECT_LT(inside, mean_brightness(page, {0, 0, 1, 1}) - 25);
  EXPECT_LT(min_brightness(page, box), 60);
  EXPECT_GT(mean_brightness(page, toward_printed_top(box, quarter_turns)), inside + 25);
}

const Word* find_word(const std::vector<Word>& words, const std::string& text) {
  const auto it = std::find_if(words.begin(), words.end(), [&](const Word& w) { return w.text == text; });
  return it == words.end() ? nullptr : &*it;
}

TEST(PdfDocument, CountsAndMeasuresPagesOfARealManual) {
  const auto doc = Document::open(libtasn1_pdf());
  EXPECT_EQ(doc->page_count(), 36);
  EXPECT_EQ(doc->path(), libtasn1_pdf());
  const PageSize size = doc->page_size(0);
  EXPECT_DOUBLE_EQ(size.width_pt, 612);
  EXPECT_DOUBLE_EQ(size.height_pt, 792);
}

TEST(PdfDocument, MeasuresNonLetterPages) {
  const auto doc = Document::open(testing::mime_spec_pdf());
  EXPECT_EQ(doc->page_count(), 17);
  EXPECT_NEAR(doc->page_size(3).width_pt, 609.714, 0.01);
  EXPECT_NEAR(doc->page_size(3).height_pt, 789.041, 0.01);
}

TEST(PdfDocument, RendersAtTheRequestedDpi) {
  const auto doc = Document::open(libtasn1_pdf());
  const PageImage page = doc->render(0, {150, 4'000'000});
  EXPECT_EQ(page.width, 1275);
  EXPECT_EQ(page.height, 1650);
  EXPECT_EQ(page.rgb.size(), 1275u * 1650u * 3u);
  EXPECT_DOUBLE_EQ(page.width_pt, 612);
  EXPECT_DOUBLE_EQ(page.height_pt, 792);
  // Mostly white paper, with some black ink.
  const double mean = mean_brightness(page, {0, 0, 1, 1});
  EXPECT_GT(mean, 200);
  EXPECT_LT(mean, 254.9);
  EXPECT_LT(min_brightness(page, {0, 0, 1, 1}), 30);
  const PageImage small = doc->render(0, {72, 4'000'000});
  EXPECT_EQ(small.width, 612);
  EXPECT_EQ(small.height, 792);
}

TEST(PdfDocument, ScalesDownToThePixelBudgetKeepingAspect) {
  const auto doc = Document::open(libtasn1_pdf());
  const PageImage page = doc->render(1, {300, 1'000'000});
  EXPECT_LE(long(page.width) * page.height, 1'000'000);
  EXPECT_GT(long(page.width) * page.height, 990'000);
  EXPECT_NEAR(double(page.width) / page.height, 612.0 / 792.0, 0.002);
}

TEST(PdfDocument, PlacesDrawingsWhereThePdfPutsThem) {
  // shapes.pdf page 1: 200 x 100 pt, black box at x 20..60, y 60..90 in PDF space (bottom-up),
  // so x 20..60, y 10..40 from the top-left at 72 dpi.
  const auto doc = Document::open(data_file("shapes.pdf"));
  ASSERT_EQ(doc->page_count(), 2);
  const PageImage page = doc->render(0, {72, 4'000'000});
  ASSERT_EQ(page.width, 200);
  ASSERT_EQ(page.height, 100);
  EXPECT_EQ(page.pixel(40, 25)[0], 0);
  EXPECT_EQ(page.pixel(21, 11)[1], 0);
  EXPECT_EQ(page.pixel(58, 38)[2], 0);
  EXPECT_EQ(page.pixel(40, 60)[0], 255);  // below the box
  EXPECT_EQ(page.pixel(100, 25)[0], 255);  // right of it
  EXPECT_TRUE(doc->words(0).empty());
}

TEST(PdfDocument, ShowsRotatedPagesTurned) {
  // Page 2 is page 1 with /Rotate 90: shown 100 x 200 pt, turned clockwise, so the box lands
  // at x 60..90, y 20..60.
  const auto doc = Document::open(data_file("shapes.pdf"));
  const PageSize size = doc->page_size(1);
  EXPECT_DOUBLE_EQ(size.width_pt, 100);
  EXPECT_DOUBLE_EQ(size.height_pt, 200);
  const PageImage page = doc->render(1, {72, 4'000'000});
  ASSERT_EQ(page.width, 100);
  ASSERT_EQ(page.height, 200);
  EXPECT_EQ(page.pixel(75, 40)[0], 0);
  EXPECT_EQ(page.pixel(61, 21)[0], 0);
  EXPECT_EQ(page.pixel(88, 58)[0], 0);
  EXPECT_EQ(page.pixel(30, 40)[0], 255);
  EXPECT_EQ(page.pixel(75, 150)[0], 255);
}

TEST(PdfDocument, FindsTextLayerWordsWhereTheInkIs) {
  const auto doc = Document::open(libtasn1_pdf());
  const PageImage page = doc->render(0, {150, 4'000'000});
  ASSERT_FALSE(page.words.empty());
  const Word* title = find_word(page.words, "Libtasn1");
  ASSERT_NE(title, nullptr);
  // The title sits in the top third of the page and is drawn in dark ink.
  EXPECT_LT(title->box.y1, 0.35f);
  EXPECT_LT(title->box.x0, title->box.x1);
  EXPECT_LT(title->box.y0, title->box.y1);
  expect_box_on_ink(page, title->box);
  // Every word's box lies on the page and covers some ink.
  int inked = 0;
  for (const Word& w : page.words) {
    EXPECT_FALSE(w.box.empty()) << w.text;
    EXPECT_GE(w.box.x0, 0.0f);
    EXPECT_LE(w.box.x1, 1.0f);
    EXPECT_GE(w.box.y0, 0.0f);
    EXPECT_LE(w.box.y1, 1.0f);
    inked += min_brightness(page, w.box) < 128;
  }
  EXPECT_EQ(inked, int(page.words.size()));
  // words() returns the same layer as render().
  EXPECT_EQ(doc->words(0).size(), page.words.size());
}

TEST(PdfDocument, WordBoxesFollowPageRotation) {
  // rotated_text.pdf: libtasn1's title page shown at /Rotate 0, 90, 180, 270.
  const auto doc = Document::open(data_file("rotated_text.pdf"));
  ASSERT_EQ(doc->page_count(), 4);
  for (int i = 0; i < 4; ++i) {
    SCOPED_TRACE("page " + std::to_string(i + 1));
    const bool sideways = i % 2 == 1;
    const PageSize size = doc->page_size(i);
    EXPECT_DOUBLE_EQ(size.width_pt, sideways ? 792 : 612);
    EXPECT_DOUBLE_EQ(size.height_pt, sideways ? 612 : 792);
    const PageImage page = doc->render(i, {100, 4'000'000});
    EXPECT_EQ(page.width > page.height, sideways);
    const Word* title = find_word(page.words, "Libtasn1");
    ASSERT_NE(title, nullptr);
    const float w = (title->box.x1 - title->box.x0) * page.width;
    const float h = (title->box.y1 - title->box.y0) * page.height;
    EXPECT_EQ(h > w, sideways) << "box " << w << " x " << h << " px";
    expect_box_on_ink(page, title->box, i);
  }
}

TEST(PdfDocument, CropBoxFramesPixelsAndWordsAlike) {
  // cropped_text.pdf: a 300 x 200 pt media box seen through the crop box [50 40 250 160];
  // a black box at x 60..100, y 50..80 and "Patchwise" (Helvetica 24) with its baseline at
  // (120, 120), all in PDF space. Page 2 is the same at /Rotate 270 (shown turned
  // counter-clockwise).
  const auto doc = Document::open(data_file("cropped_text.pdf"));
  ASSERT_EQ(doc->page_count(), 2);
  const PageImage page = doc->render(0, {72, 4'000'000});
  ASSERT_EQ(page.width, 200);
  ASSERT_EQ(page.height, 120);
  EXPECT_EQ(page.pixel(30, 95)[0], 0);    // the box, at x 10..50, y 80..110 within the crop
  EXPECT_EQ(page.pixel(30, 70)[0], 255);  // above it
  const Word* word = find_word(page.words, "Patchwise");
  ASSERT_NE(word, nullptr);
  // Helvetica's ascent/descent put the box at about 17 pt above and 5 pt below the baseline.
  EXPECT_NEAR(word->box.x0, 70.0 / 200, 0.01);
  EXPECT_NEAR(word->box.x1, 179.4 / 200, 0.01);
  EXPECT_NEAR(word->box.y0, 22.8 / 120, 0.02);
  EXPECT_NEAR(word->box.y1, 45.0 / 120, 0.02);
  EXPECT_LT(min_brightness(page, word->box), 100);  // drawn with a substitute font

  const PageImage turned = doc->render(1, {72, 4'000'000});
  ASSERT_EQ(turned.width, 120);
  ASSERT_EQ(turned.height, 200);
  EXPECT_EQ(turned.pixel(95, 170)[0], 0);  // the box, now at x 80..110, y 150..190
  EXPECT_EQ(turned.pixel(95, 140)[0], 255);
  const Word* turned_word = find_word(turned.words, "Patchwise");
  ASSERT_NE(turned_word, nullptr);
  EXPECT_NEAR(turned_word->box.x0, 22.8 / 120, 0.02);
  EXPECT_NEAR(turned_word->box.x1, 45.0 / 120, 0.02);
  EXPECT_NEAR(turned_word->box.y0, 20.6 / 200, 0.01);
  EXPECT_NEAR(turned_word->box.y1, 130.0 / 200, 0.01);
  EXPECT_LT(min_brightness(turned, turned_word->box), 100);
}

TEST(PdfDocument, KeepsEnormousPagesWithinTheBudget) {
  // 200 x 200 inches: 900 megapixels at 150 dpi if unguarded. The top-left quarter is black.
  const auto doc = Document::open(data_file("huge_page.pdf"));
  EXPECT_DOUBLE_EQ(doc->page_size(0).width_pt, 14400);
  const PageImage page = doc->render(0, {150, 4'000'000});
  EXPECT_EQ(page.width, 2000);
  EXPECT_EQ(page.height, 2000);
  EXPECT_EQ(page.pixel(500, 500)[0], 0);
  EXPECT_EQ(page.pixel(1500, 1500)[0], 255);
  EXPECT_EQ(page.pixel(1500, 500)[0], 255);
}

TEST(PdfDocument, RejectsUnusableRenderTargets) {
  const auto doc = Document::open(data_file("shapes.pdf"));
  EXPECT_THAT(error_of([&] { doc->render(0, {0, 1000}); }), HasSubstr("dpi"));
  EXPECT_THAT(error_of([&] { doc->render(0, {NAN, 1000}); }), HasSubstr("dpi"));
  EXPECT_THAT(error_of([&] { doc->render(0, {150, 0}); }), HasSubstr("pixel budget"));
  EXPECT_THAT(error_of([&] { doc->render(0, {150, 1'000'000'000'000}); }), HasSubstr("pixel budget"));
}

TEST(PdfDocument, NamesFileAndPageForPagesOutOfRange) {
  const auto doc = Document::open(data_file("shapes.pdf"));
  const std::string message = error_of([&] { doc->render(2, {}); });
  EXPECT_THAT(message, HasSubstr("shapes.pdf"));
  EXPECT_THAT(message, HasSubstr("page 3"));
  EXPECT_THAT(message, HasSubstr("2 pages"));
  EXPECT_THAT(error_of([&] { doc->page_size(-1); }), HasSubstr("page 0"));
  EXPECT_THAT(error_of([&] { doc->words(7); }), HasSubstr("page 8"));
}

TEST(PdfDocument, RefusesPasswordProtectedPdfs) {
  const std::string message = error_of([] { Document::open(data_file("encrypted.pdf")); });
  EXPECT_THAT(message, HasSubstr("encrypted.pdf"));
  EXPECT_THAT(message, HasSubstr("password"));
}

TEST(PdfDocument, OpensPdfsWithOnlyAnOwnerPassword) {
  const auto doc = Document::open(data_file("owner_password_only.pdf"));
  ASSERT_EQ(doc->page_count(), 2);
  EXPECT_EQ(doc->render(0, {72, 4'000'000}).pixel(40, 25)[0], 0);
}

TEST(PdfDocument, RefusesPdfsWithoutPages) {
  EXPECT_THAT(error_of([] { Document::open(data_file("zero_pages.pdf")); }), HasSubstr("zero_pages.pdf"));
}

TEST(PdfDocument, TruncatedPdfFailsCleanlyAndQuietly) {
  const ScratchDir dir;
  std::vector<std::uint8_t> bytes = testing::read_bytes(libtasn1_pdf());
  bytes.resize(bytes.size() / 3);
  const auto path = dir.write("truncated.pdf", bytes);
  ::testing::internal::CaptureStderr();
  // Poppler may rebuild a damaged file's cross-reference table and open it, but then every
  // page either renders or fails with an error naming the file and the page.
  try {
    const auto doc = Document::open(path);
    for (int i = 0; i < doc->page_count(); ++i) {
      try {
        (void)doc->render(i, {20, 100'000});
      } catch (const Error& e) {
        EXPECT_THAT(e.what(), HasSubstr("truncated.pdf: page " + std::to_string(i + 1)));
      }
    }
  } catch (const Error& e) {
    EXPECT_THAT(e.what(), HasSubstr("truncated.pdf"));
  }
  EXPECT_EQ(::testing::internal::GetCapturedStderr(), "") << "poppler's messages must not reach stderr";
}

TEST(PdfDocument, GarbageAfterAPdfHeaderIsAnError) {
  const ScratchDir dir;
  std::vector<std::uint8_t> bytes{'%', 'P', 'D', 'F', '-', '1', '.', '4', '\n'};
  for (int i = 0; i < 5000; ++i) bytes.push_back(std::uint8_t((i * 7919) % 251));
  const auto path = dir.write("garbage.pdf", bytes);
  const std::string message = error_of([&] { Document::open(path); });
  EXPECT_THAT(message, HasSubstr("garbage.pdf"));
  EXPECT_THAT(message, HasSubstr("not a readable PDF"));
}

TEST(PdfDocument, DocumentsOnSeparateThreadsRenderIndependently) {
  std::vector<int> widths(2, 0);
  std::vector<std::thread> threads;
  for (int t = 0; t < 2; ++t) {
    threads.emplace_back([&, t] {
      const auto doc = Document::open(libtasn1_pdf());
      for (int i = t; i < 8; i += 2) widths[t] += doc->render(i, {30, 4'000'000}).width;
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(widths[0], 4 * 255);
  EXPECT_EQ(widths[1], 4 * 255);
}

}  // namespace
}  // namespace patchwise::vision
