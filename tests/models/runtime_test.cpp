#include "models/runtime.h"

#include <gtest/gtest.h>

#include <map>

namespace patchwise::models {
namespace {

std::map<std::string, std::string> report_map() {
  std::map<std::string, std::string> m;
  for (const auto& [k, v] : runtime_report().entries) m[k] = v;
  return m;
}

TEST(Runtime, TorchAndOpenBlasGetTheSameThreadCount) {
  configure_runtime({.threads = 1});
  auto r = report_map();
  EXPECT_EQ(r["torch intra-op threads"], "1");
  EXPECT_EQ(r["torch inter-op threads"], "1");
  ASSERT_TRUE(r.count("OpenBLAS threads")) << "OpenBLAS is not the BLAS libtorch loaded: " << r["OpenBLAS"];
  EXPECT_EQ(r["OpenBLAS threads"], "1");

  configure_runtime({.threads = 2});
  r = report_map();
  EXPECT_EQ(r["torch intra-op threads"], "2");
  EXPECT_EQ(r["OpenBLAS threads"], "2");
}

TEST(Runtime, ReportNamesTheBlasLibraryAndVersions) {
  const auto r = report_map();
  EXPECT_FALSE(r.at("libtorch").empty());
  EXPECT_NE(r.at("BLAS library"), "unknown");
  EXPECT_NE(r.at("OpenBLAS").find("OpenBLAS"), std::string::npos);
}

}  // namespace
}  // namespace patchwise::models
