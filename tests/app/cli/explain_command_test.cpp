// `patchwise explain` with the real CLI and the bundled lexical model: the heatmap PNG has the
// page's rendered size, the overlay sits on the best-matching word and leaves the rest of the
// page alone, contributions add up to the search score, and wrong documents or pages get clear
// errors.
#include <gtest/gtest.h>

#include <cmath>

#include <nlohmann/json.hpp>

#include "tests/app/cli/cli_fixture.h"
#include "vision/document.h"
#include "vision/image_file.h"

namespace patchwise::test {
namespace {

namespace fs = std::filesystem;

class ExplainCommand : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir("patchwise-explain");
    copy_into(*dir_ / "docs", {kAppData / "report.pdf"});
    const ProcessResult r = cli()({"ingest", "--dpi", "50", (*dir_ / "docs").string()});
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }
  static void TearDownTestSuite() { delete dir_; }
  static Cli cli() { return Cli(*dir_ / "library.db"); }
  static fs::path report() { return *dir_ / "docs" / "report.pdf"; }

  static TempDir* dir_;
};

TempDir* ExplainCommand::dir_ = nullptr;

// Mean absolute difference of two same-size images over the pixels of a normalised rectangle.
double mean_difference(const vision::PageImage& a, const vision::PageImage& b, const core::NormRect& r) {
  const int x0 = int(r.x0 * float(a.width)), x1 = int(r.x1 * float(a.width));
  const int y0 = int(r.y0 * float(a.height)), y1 = int(r.y1 * float(a.height));
  double sum = 0;
  long n = 0;
  for (int y = y0; y < y1; ++y) {
    for (int x = x0; x < x1; ++x, ++n) {
      for (int c = 0; c < 3; ++c) sum += std::abs(int(a.pixel(x, y)[c]) - int(b.pixel(x, y)[c]));
    }
  }
  return n ? sum / double(n * 3) : 0;
}

core::NormRect rect_of(const nlohmann::json& j) {
  return {j[0].get<float>(), j[1].get<float>(), j[2].get<float>(), j[3].get<float>()};
}

TEST_F(ExplainCommand, DrawsTheOverlayOnTheBestMatchingWord) {
  const fs::path out = *dir_ / "heatmap.png";
  const ProcessResult r = cli()({"explain", "revenue", "--doc", report().string(), "--page", "1", "--out",
                                 out.string(), "--format", "json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  ASSERT_EQ(j["tokens"].size(), 1u);
  EXPECT_EQ(j["page"], 1);
  EXPECT_NEAR(j["tokens"][0]["contribution"].get<double>(), j["score"].get<double>(), 1e-5);
  EXPECT_GT(j["score"].get<double>(), 0.9) << "the word 'revenue' is on the page";

  // The same page as ingest rendered it (50 dpi), without the overlay.
  const vision::PageImage plain = vision::Document::open(report())->render(0, {.dpi = 50, .max_pixels = 4'000'000});
  const vision::PageImage heatmap = vision::load_image_file(out);
  ASSERT_EQ(heatmap.width, plain.width);
  ASSERT_EQ(heatmap.height, plain.height);

  const core::NormRect best = rect_of(j["tokens"][0]["rect"]);
  ASSERT_FALSE(best.empty());
  EXPECT_GT(mean_difference(plain, heatmap, best), 20.0) << "the best word is tinted";
  // The bottom margin of the page holds no words (no patches): untouched.
  EXPECT_LT(mean_difference(plain, heatmap, {0.0f, 0.93f, 1.0f, 1.0f}), 0.5);
}

TEST_F(ExplainCommand, PrintsEveryTokensContributionAndDrawsOneToken) {
  const fs::path out = *dir_ / "token.png";
  const ProcessResult r = cli()({"explain", "quarterly revenue zebra", "--doc", report().string(), "--page", "1",
                                 "--token", "1", "--out", out.string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("score"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("\nTOKEN\tLABEL\tCONTRIBUTION"), std::string::npos) << r.out;
  for (const char* word : {"\tquarterly\t", "\trevenue\t", "\tzebra\t"}) {
    EXPECT_NE(r.out.find(word), std::string::npos) << word << " missing in\n" << r.out;
  }
  EXPECT_NE(r.err.find("token 1 revenue"), std::string::npos) << r.err;
  EXPECT_TRUE(fs::exists(out));
}

TEST_F(ExplainCommand, ClearErrorsForUnknownDocumentsPagesAndTokens) {
  const ProcessResult unknown = cli()({"explain", "x", "--doc", (kAppData / "memo.pdf").string(), "--page", "1"});
  EXPECT_NE(unknown.exit_code, 0);
  EXPECT_NE(unknown.err.find("memo.pdf is not in the library"), std::string::npos) << unknown.err;

  const ProcessResult range = cli()({"explain", "x", "--doc", report().string(), "--page", "9"});
  EXPECT_NE(range.exit_code, 0);
  EXPECT_NE(range.err.find("page 9 is out of range"), std::string::npos) << range.err;
  EXPECT_NE(range.err.find("has 3 pages"), std::string::npos) << range.err;

  const ProcessResult token = cli()({"explain", "one two", "--doc", report().string(), "--page", "1", "--token", "5",
                                     "--out", (*dir_ / "never.png").string()});
  EXPECT_NE(token.exit_code, 0);
  EXPECT_NE(token.err.find("token 5 is out of range"), std::string::npos) << token.err;
  EXPECT_FALSE(fs::exists(*dir_ / "never.png"));

  EXPECT_EQ(cli()({"explain", "x", "--page", "1"}).exit_code, 2) << "--doc is required";
}

}  // namespace
}  // namespace patchwise::test
