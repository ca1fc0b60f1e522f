// `patchwise encode` through the real CLI reproduces the reference outputs of each model
// fixture (ColIdefics3, ColQwen2, ColQwen2.5, ColPali, ColModernVBERT): each page and query alone, and their MaxSim scores.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>

#include "models/checkpoint/safetensors.h"
#include "tests/support/process.h"
#include "tests/support/temp_dir.h"

namespace patchwise {
namespace {
namespace fs = std::filesystem;

torch::Tensor tensor(const models::SafetensorsFile& file, const std::string& name) {
  const auto* info = file.find(name);
  if (!info) throw std::runtime_error(file.path().string() + " has no tensor " + name);
  return file.to_tensor(*info);
}

double maxsim(const torch::Tensor& query, const torch::Tensor& page) {
  return query.to(torch::kFloat64).matmul(page.to(torch::kFloat64).t()).amax(1).sum().item<double>();
}

std::vector<std::string> fixture_queries(const fs::path& fixture) {
  std::ifstream in(fixture / "inputs" / "queries.json");
  return nlohmann::json::parse(in).at("queries").get<std::vector<std::string>>();
}

class EncodeParity : public ::testing::TestWithParam<std::string> {};

TEST_P(EncodeParity, CliEncodeOfTheFixtureMatchesTheReference) {
  const fs::path kFixture = fs::path(PATCHWISE_FIXTURES_DIR) / GetParam();
  if (!fs::exists(kFixture / "config.json")) GTEST_SKIP() << "no fixture at " << kFixture;
  test::TempDir tmp;
  const fs::path out = tmp / "out.safetensors";
  const auto queries = fixture_queries(kFixture);
  ASSERT_EQ(queries.size(), 2u);
  const auto result = test::run_process({PATCHWISE_CLI, "--model", kFixture.string(), "encode", "--pages",
                                         (kFixture / "inputs" / "page0.png").string(),
                                         (kFixture / "inputs" / "page1.png").string(), "--queries", queries[0],
                                         queries[1], "--out", out.string()});
  ASSERT_EQ(result.exit_code, 0) << result.err;

  const auto ours = models::SafetensorsFile::open(out);
  const auto expected = models::SafetensorsFile::open(kFixture / "expected" / "singles.safetensors");
  for (const std::string name : {"pages.0", "pages.1", "queries.0", "queries.1"}) {
    const auto a = tensor(ours, name);
    const auto b = tensor(expected, name);
    ASSERT_EQ(a.sizes(), b.sizes()) << name;
    EXPECT_LE((a - b).abs().max().item<float>(), 1e-4f) << name;
  }
  const auto scores = tensor(expected, "scores");  // [query, page]
  for (int q = 0; q < 2; ++q) {
    for (int p = 0; p < 2; ++p) {
      const double s = maxsim(tensor(ours, "queries." + std::to_string(q)), tensor(ours, "pages." + std::to_string(p)));
      const double ref = scores[q][p].item<double>();
      EXPECT_NEAR(s, ref, 1e-4 * std::abs(ref)) << "query " << q << " page " << p;
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Fixtures, EncodeParity, ::testing::Values("colidefics3", "colqwen2", "colqwen2_5", "colpali",
                                                                   "colmodernvbert"));

}  // namespace
}  // namespace patchwise
