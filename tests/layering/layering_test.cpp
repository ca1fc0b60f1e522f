#include "layering.h"

#include <gtest/gtest.h>

namespace patchwise::test {
namespace {

TEST(Layering, SourceTreeHasNoForbiddenIncludes) {
  const auto violations = check_tree(PATCHWISE_SOURCE_DIR);
  for (const auto& v : violations) {
    ADD_FAILURE() << v.file << ":" << v.line << ": #include <" << v.include << ">: " << v.reason;
  }
  EXPECT_TRUE(violations.empty());
}

TEST(Layering, ParsesIncludeLines) {
  EXPECT_EQ(included_header("#include <torch/torch.h>"), "torch/torch.h");
  EXPECT_EQ(included_header("  #  include \"core/corpus.h\" // x"), "core/corpus.h");
  EXPECT_EQ(included_header("// #include is mentioned here"), "");
}

TEST(Layering, CoreMayNotUseEnginesOrHigherLayers) {
  for (const char* h : {"torch/torch.h", "ATen/ATen.h", "QWidget", "QtCore/QString", "poppler-document.h",
                        "opencv2/core.hpp", "sqlite3.h", "vision/document.h", "models/encoder.h",
                        "storage/library.h", "nlohmann/json.hpp"}) {
    EXPECT_NE(forbidden_reason("core", h), "") << h;
  }
  EXPECT_EQ(forbidden_reason("core", "vector"), "");
  EXPECT_EQ(forbidden_reason("core", "core/corpus.h"), "");
  EXPECT_EQ(forbidden_reason("core", "hwy/highway.h"), "");
}

TEST(Layering, EachLayerGetsItsOwnEnginesOnly) {
  EXPECT_EQ(forbidden_reason("vision", "opencv2/imgproc.hpp"), "");
  EXPECT_EQ(forbidden_reason("vision", "poppler-page.h"), "");
  EXPECT_NE(forbidden_reason("vision", "torch/torch.h"), "");
  EXPECT_NE(forbidden_reason("vision", "models/encoder.h"), "");
  EXPECT_EQ(forbidden_reason("models", "torch/torch.h"), "");
  EXPECT_EQ(forbidden_reason("models", "vision/page_image.h"), "");
  EXPECT_NE(forbidden_reason("models", "sqlite3.h"), "");
  EXPECT_NE(forbidden_reason("models", "storage/library.h"), "");
  EXPECT_EQ(forbidden_reason("storage", "sqlite3.h"), "");
  EXPECT_NE(forbidden_reason("storage", "torch/torch.h"), "");
  EXPECT_NE(forbidden_reason("storage", "vision/document.h"), "");
  EXPECT_EQ(forbidden_reason("app", "QWidget"), "");
}

TEST(Layering, ReportsFileAndLineOfAViolation) {
  const auto v = check_file("core", "core/x.cpp", "#include <vector>\n#include <torch/torch.h>\n");
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0].line, 2);
  EXPECT_EQ(v[0].include, "torch/torch.h");
}

}  // namespace
}  // namespace patchwise::test
