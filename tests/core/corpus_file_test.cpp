#include "core/corpus_file.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <random>

#include "core/error.h"
#include "core/maxsim_kernel.h"

namespace patchwise::core {
namespace {

class CorpusFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("patchwise_corpus_file_" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::filesystem::path dir_;
};

Corpus random_corpus(VectorForm form, std::size_t dim) {
  std::mt19937 rng(9);
  std::normal_distribution<float> n;
  Corpus c(dim, form);
  for (int page = 0; page < 5; ++page) {
    std::vector<float> v((1 + page * 3) * dim);
    for (float& x : v) x = n(rng);
    c.add_page(100 + page, v);
  }
  return c;
}

TEST_F(CorpusFileTest, EveryFormRoundTripsThroughAMapping) {
  for (const VectorForm form : kAllForms) {
    const Corpus original = random_corpus(form, 13);
    const auto path = dir_ / (std::string(form_name(form)) + ".pwc");
    save_corpus(original, path);
    const Corpus mapped = map_corpus(path);
    EXPECT_TRUE(mapped.is_view());
    ASSERT_EQ(mapped.page_count(), original.page_count());
    EXPECT_EQ(mapped.form(), form);
    for (std::size_t i = 0; i < original.page_count(); ++i) {
      EXPECT_EQ(mapped.page_id(i), original.page_id(i));
      EXPECT_EQ(mapped.decode_page(i), original.decode_page(i));
    }
    const MultiVector q(2, 13, std::vector<float>(26, 0.1f));
    EXPECT_EQ(score_page(PreparedQuery(q), mapped, 3), score_page(PreparedQuery(q), original, 3));
  }
}

TEST_F(CorpusFileTest, TruncatedUnfinishedAndMissingFilesAreRejected) {
  const auto path = dir_ / "c.pwc";
  save_corpus(random_corpus(VectorForm::int8, 8), path);
  std::filesystem::resize_file(path, std::filesystem::file_size(path) - 4);
  EXPECT_THROW(map_corpus(path), Error);
  {
    CorpusFileWriter unfinished(dir_ / "u.pwc", 8, VectorForm::f16);
    unfinished.add_page(1, std::vector<float>(16, 1.0f));
  }
  EXPECT_THROW(map_corpus(dir_ / "u.pwc"), Error);
  EXPECT_THROW(map_corpus(dir_ / "missing.pwc"), Error);
  std::ofstream(dir_ / "junk.pwc") << "not a corpus file at all, but long enough to hold a header......";
  EXPECT_THROW(map_corpus(dir_ / "junk.pwc"), Error);
}

}  // namespace
}  // namespace patchwise::core
