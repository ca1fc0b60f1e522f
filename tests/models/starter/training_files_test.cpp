#include "models/starter/training_files.h"

#include <gtest/gtest.h>

#include <cstddef>
#include <fstream>
#include <unistd.h>

#include "core/error.h"

namespace patchwise::models::starter {
namespace fs = std::filesystem;
namespace {

fs::path temp_dir(const std::string& name) {
  const auto dir = fs::temp_directory_path() / ("pw-starter-files-" + std::to_string(::getpid()) + "-" + name);
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

void write(const fs::path& file, const std::string& text) {
  fs::create_directories(file.parent_path());
  std::ofstream(file, std::ios::binary) << text;
}

TEST(Sha256, MatchesTheStandardTestVectors) {
  EXPECT_EQ(sha256_hex(std::span<const std::byte>()),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  const std::string abc = "abc";
  EXPECT_EQ(sha256_hex(std::as_bytes(std::span(abc.data(), abc.size()))),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  const std::string two_blocks = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
  EXPECT_EQ(sha256_hex(std::as_bytes(std::span(two_blocks.data(), two_blocks.size()))),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

TEST(TrainingFiles, SkipsEveryFileWhoseHashIsListed) {
  const auto dir = temp_dir("select");
  write(dir / "pkg" / "a.pdf", "%PDF-1.4 first");
  write(dir / "pkg" / "sub" / "eval-doc.pdf", "%PDF-1.4 an evaluation document");
  write(dir / "pkg" / "renamed-copy.PDF", "%PDF-1.4 an evaluation document");
  write(dir / "pkg" / "notes.txt", "not a pdf");
  write(dir / "pkg" / "a-again.pdf", "%PDF-1.4 first");
  const auto list = dir / "exclude.txt";
  write(list, "# evaluation files\n\n" + sha256_hex(dir / "pkg" / "sub" / "eval-doc.pdf") + "  eval-doc.pdf\n");

  const auto selection = select_training_files(dir / "pkg", ExcludeList::read(list));
  ASSERT_EQ(selection.files.size(), 1u);
  EXPECT_EQ(selection.files[0].path.filename(), "a-again.pdf");  // sorted: a-again.pdf < a.pdf
  EXPECT_EQ(selection.duplicates, 1u);
  ASSERT_EQ(selection.excluded.size(), 2u);  // the listed file and its copy under another name
  for (const auto& f : selection.excluded) EXPECT_NE(f.filename(), "a.pdf");
  fs::remove_all(dir);
}

TEST(TrainingFiles, TheRealExclusionListParses) {
  const auto list = ExcludeList::read(fs::path(PATCHWISE_SHARED_DIR) / "eval" / "exclude-sha256.txt");
  EXPECT_GT(list.size(), 100u);
}

TEST(TrainingFiles, AMalformedListIsAnErrorNamingTheLine) {
  const auto dir = temp_dir("bad");
  write(dir / "exclude.txt", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\nnot-a-hash\n");
  try {
    ExcludeList::read(dir / "exclude.txt");
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("exclude.txt:2"), std::string::npos) << e.what();
  }
  fs::remove_all(dir);
}

}  // namespace
}  // namespace patchwise::models::starter
