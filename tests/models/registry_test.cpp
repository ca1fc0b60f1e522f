#include "models/registry.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>

#include "core/error.h"
#include "tests/support/temp_dir.h"

namespace patchwise::models {
namespace fs = std::filesystem;
namespace {

using test::TempDir;

void write(const fs::path& file, const std::string& text) {
  fs::create_directories(file.parent_path());
  std::ofstream(file) << text;
}

std::string error_of(const std::string& spec) {
  try {
    load_encoder(spec);
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

TEST(Registry, TheDefaultModelIsBundledAndLoads) {
  const auto dir = default_model_dir();
  EXPECT_TRUE(fs::exists(dir / "config.json"));
  const auto encoder = load_encoder("");
  EXPECT_GT(encoder->info().dim, 0u);
  EXPECT_FALSE(encoder->info().fingerprint.empty());
}

TEST(Registry, LoadsAFolderByItsConfigModelType) {
  TempDir tmp;
  write(tmp.path() / "config.json", R"({"model_type": "patchwise-lexical", "dim": 64})");
  EXPECT_EQ(load_encoder(tmp.path().string())->info().dim, 64u);
}

TEST(Registry, FindsARepoIdInTheHuggingFaceCache) {
  TempDir tmp;
  const fs::path snap = tmp.path() / "models--acme--tiny" / "snapshots" / "abc123";
  write(snap / "config.json", R"({"model_type": "patchwise-lexical", "dim": 32})");
  write(tmp.path() / "models--acme--tiny" / "refs" / "main", "abc123");
  ::setenv("HF_HUB_CACHE", tmp.path().c_str(), 1);
  EXPECT_EQ(resolve_model_dir("acme/tiny"), snap);
  EXPECT_EQ(load_encoder("acme/tiny")->info().dim, 32u);
  EXPECT_NE(error_of("acme/missing").find("Hugging Face cache"), std::string::npos);
  ::unsetenv("HF_HUB_CACHE");
}

TEST(Registry, ErrorsSayWhatIsWrong) {
  TempDir tmp;
  EXPECT_NE(error_of((tmp.path() / "nope").string()).find("no such folder"), std::string::npos);
  EXPECT_NE(error_of(tmp.path().string()).find("no config.json"), std::string::npos);
  write(tmp.path() / "config.json", R"({"model_type": "gpt-17"})");
  EXPECT_NE(error_of(tmp.path().string()).find("not supported"), std::string::npos);
  write(tmp.path() / "config.json", "{not json");
  EXPECT_NE(error_of(tmp.path().string()).find("not valid JSON"), std::string::npos);
}

}  // namespace
}  // namespace patchwise::models
