// `patchwise model check` reports what a checkpoint is and costs, with figures that agree with
// what the checkpoint file holds and with what `patchwise encode` actually produces.
#include <gtest/gtest.h>

#include <filesystem>

#include <nlohmann/json.hpp>

#include "models/checkpoint/safetensors.h"
#include "tests/app/cli/cli_fixture.h"
#include "vision/image_file.h"

namespace patchwise {
namespace {
namespace fs = std::filesystem;

nlohmann::json check(const std::vector<std::string>& extra) {
  std::vector<std::string> argv = {PATCHWISE_CLI, "--threads", "1", "model", "check"};
  argv.insert(argv.end(), extra.begin(), extra.end());
  const auto result = test::run_process(argv);
  EXPECT_EQ(result.exit_code, 0) << result.err;
  return nlohmann::json::parse(result.out);
}

std::size_t elements_in(const fs::path& safetensors) {
  std::size_t total = 0;
  const auto file = models::SafetensorsFile::open(safetensors);
  for (const auto& info : file.tensors()) {
    std::size_t n = 1;
    for (const auto extent : info.shape) n *= static_cast<std::size_t>(extent);
    total += n;
  }
  return total;
}

// `model check` on a fixture checkpoint agrees with its weights file and with what `encode`
// gives a blank Letter page.
void expect_check_agrees_with_encode(const std::string& fixture, const std::string& family) {
  const fs::path kFixture = fs::path(PATCHWISE_FIXTURES_DIR) / fixture;
  if (!fs::exists(kFixture / "config.json")) GTEST_SKIP() << "no fixture at " << kFixture;
  constexpr int kDpi = 40;  // a small Letter page keeps the encode below fast
  const auto report = check({kFixture.string(), "--json", "--dpi", std::to_string(kDpi)});
  EXPECT_EQ(report["family"], family);
  EXPECT_EQ(report["dtype"], "float32");
  EXPECT_EQ(report["parameters"].get<std::size_t>(), elements_in(kFixture / "model.safetensors"));
  const int width = report["page_width_px"], height = report["page_height_px"];
  EXPECT_EQ(width, 340);
  EXPECT_EQ(height, 440);

  test::TempDir tmp;
  vision::PageImage page;
  page.width = width;
  page.height = height;
  page.rgb.assign(std::size_t(width) * height * 3, 255);
  vision::write_png(tmp / "page.png", page);
  const auto encoded = test::run_process({PATCHWISE_CLI, "--threads", "1", "--model", kFixture.string(), "encode",
                                          "--pages", (tmp / "page.png").string(), "--out",
                                          (tmp / "out.safetensors").string()});
  ASSERT_EQ(encoded.exit_code, 0) << encoded.err;
  const auto out = models::SafetensorsFile::open(tmp / "out.safetensors");
  const auto rows = static_cast<std::size_t>(out.find("pages.0")->shape.at(0));
  EXPECT_EQ(report["vectors_per_page"].get<std::size_t>(), rows);
  EXPECT_EQ(report["bytes_per_page"].get<std::size_t>(), rows * (report["dim"].get<std::size_t>() * 2 + 18));
}

TEST(ModelCheck, ReportsTheColIdefics3FixtureAsEncodeSeesIt) {
  expect_check_agrees_with_encode("colidefics3", "colidefics3");
}

TEST(ModelCheck, ReportsTheColPaliFixtureAsEncodeSeesIt) { expect_check_agrees_with_encode("colpali", "colpali"); }

TEST(ModelCheck, ReportsTheColModernVBertFixtureAsEncodeSeesIt) {
  expect_check_agrees_with_encode("colmodernvbert", "colmodernvbert");
}

TEST(ModelCheck, ReportsTheColQwenFixturesAsEncodeSeesThem) {
  expect_check_agrees_with_encode("colqwen2", "colqwen2");
  expect_check_agrees_with_encode("colqwen2_5", "colqwen2.5");
}

// --precision bfloat16 loads the same checkpoint into the same vector space (one fingerprint),
// says how it computes, and unknown precisions are usage errors.
TEST(ModelCheck, BfloatSixteenIsTheSameVectorSpaceAndSaysHowItComputes) {
  const fs::path fixture = fs::path(PATCHWISE_FIXTURES_DIR) / "colidefics3";
  if (!fs::exists(fixture / "config.json")) GTEST_SKIP() << "no fixture at " << fixture;
  const auto f32 = check({fixture.string(), "--json"});
  std::vector<std::string> argv = {PATCHWISE_CLI, "--precision", "bf16", "model", "check", fixture.string(), "--json"};
  const auto run = test::run_process(argv);
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const auto bf16 = nlohmann::json::parse(run.out);
  EXPECT_EQ(bf16["fingerprint"], f32["fingerprint"]);
  EXPECT_EQ(bf16["dtype"].get<std::string>().rfind("bfloat16", 0), 0U) << bf16["dtype"];
  EXPECT_EQ(bf16["vectors_per_page"], f32["vectors_per_page"]);
  argv[2] = "float16";
  EXPECT_EQ(test::run_process(argv).exit_code, 2);
}

TEST(ModelCheck, SaysWhenVectorsDependOnTheContent) {
  const auto report = check({test::kLexicalModel.string(), "--json"});
  EXPECT_EQ(report["parameters"], 0);
  EXPECT_TRUE(report["vectors_per_page"].is_null());
}

TEST(ModelCheck, AFolderThatIsNoCheckpointFailsWithItsName) {
  test::TempDir tmp;
  const auto result = test::run_process({PATCHWISE_CLI, "model", "check", tmp.path().string()});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_NE(result.err.find("config.json"), std::string::npos) << result.err;
}

}  // namespace
}  // namespace patchwise
