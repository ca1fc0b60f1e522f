// LevelDB-style corruption tests: damage the file on purpose, then check that Patchwise
// reports it with an actionable error (or through Library::check) and never crashes.
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <random>

#include "core/error.h"
#include "storage/library.h"
#include "storage/sqlite.h"
#include "tests/support/temp_dir.h"

namespace patchwise::storage {
namespace {

using test::TempDir;

const ModelKey kModel{"fp-c", "corruption model", "test", 8};

void fill(Library& lib, int documents) {
  std::mt19937 rng(5);
  std::uniform_real_distribution<float> u(-1, 1);
  for (int d = 0; d < documents; ++d) {
    std::vector<PageWrite> pages;
    for (int p = 1; p <= 3; ++p) {
      core::PageEmbedding e;
      e.vectors = core::MultiVector(16, kModel.dim);
      for (float& v : e.vectors.values()) v = u(rng);
      for (int r = 0; r < 16; ++r) e.grid.add({0, 0, 1, 1});
      PageWrite w;
      w.number = p;
      w.text = "document " + std::to_string(d) + " page " + std::to_string(p);
      w.embedding = PackedEmbedding::pack(e, VectorFormat::kF16);
      pages.push_back(std::move(w));
    }
    lib.write_document({"/doc" + std::to_string(d) + ".pdf", "hash" + std::to_string(d), 1, 1}, kModel, pages);
  }
}

// Opens, checks and loads; every failure must be a patchwise::Error. Returns whether the
// damage was noticed.
bool noticed(const std::filesystem::path& path) {
  try {
    Library lib(path, {.create = false});
    if (!lib.check().empty()) return true;
    lib.load_corpus(kModel.fingerprint);
    lib.documents();
    return false;
  } catch (const Error&) {
    return true;
  }
}

TEST(Corruption, TamperedBlobIsReportedNamingThePage) {
  TempDir dir;
  {
    Library lib(dir / "l.db");
    fill(lib, 2);
  }
  {
    sql::Database raw(dir / "l.db", sql::Database::Mode::kReadWrite);
    raw.exec("UPDATE embeddings SET vectors = x'0000' WHERE page_id = 2");
  }
  Library lib(dir / "l.db");
  const auto problems = lib.check();
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_NE(problems[0].find("page 2"), std::string::npos) << problems[0];
  try {
    lib.load_corpus(kModel.fingerprint);
    FAIL() << "loaded a corpus from a damaged blob";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("page 2"), std::string::npos) << e.what();
  }
}

TEST(Corruption, MissingPageOfAReadyDocumentIsReported) {
  TempDir dir;
  {
    Library lib(dir / "l.db");
    fill(lib, 1);
  }
  {
    sql::Database raw(dir / "l.db", sql::Database::Mode::kReadWrite);
    raw.exec("DELETE FROM pages WHERE number = 2");
  }
  Library lib(dir / "l.db");
  // The raw connection ran without foreign keys, so the page's vectors are orphaned too.
  const auto problems = lib.check();
  const bool names_document = std::any_of(problems.begin(), problems.end(), [](const std::string& p) {
    return p.find("/doc0.pdf: expected pages 1..3, found 2") != std::string::npos;
  });
  EXPECT_TRUE(names_document);
  EXPECT_TRUE(std::any_of(problems.begin(), problems.end(),
                          [](const std::string& p) { return p.find("foreign key") != std::string::npos; }));
}

TEST(Corruption, OverwrittenFileBytesNeverCrash) {
  TempDir dir;
  const auto clean = dir / "clean.db";
  {
    Library lib(clean);
    fill(lib, 20);
    sql::Database raw(clean, sql::Database::Mode::kReadWrite);
    raw.exec("PRAGMA wal_checkpoint(TRUNCATE)");
  }
  const auto size = std::filesystem::file_size(clean);
  ASSERT_GT(size, 8 * 4096u);
  std::mt19937 rng(42);
  int detected = 0;
  for (int trial = 0; trial < 12; ++trial) {
    const auto damaged = dir / ("damaged" + std::to_string(trial) + ".db");
    std::filesystem::copy_file(clean, damaged);
    {
      std::fstream f(damaged, std::ios::in | std::ios::out | std::ios::binary);
      // Skip the 100-byte header in half the trials so the damage lands in b-tree pages.
      const std::size_t offset = trial % 2 ? std::uniform_int_distribution<std::size_t>(100, size - 512)(rng)
                                           : std::uniform_int_distribution<std::size_t>(0, 99)(rng);
      f.seekp(std::streamoff(offset));
      std::string junk(trial % 2 ? 512 : 8, '\0');
      for (char& c : junk) c = char(rng());
      f.write(junk.data(), std::streamsize(junk.size()));
    }
    detected += noticed(damaged) ? 1 : 0;  // must not crash either way
  }
  EXPECT_GT(detected, 0);
}

TEST(Corruption, TruncatedFileIsAnErrorNotACrash) {
  TempDir dir;
  {
    Library lib(dir / "l.db");
    fill(lib, 10);
    sql::Database raw(dir / "l.db", sql::Database::Mode::kReadWrite);
    raw.exec("PRAGMA wal_checkpoint(TRUNCATE)");
  }
  std::filesystem::resize_file(dir / "l.db", std::filesystem::file_size(dir / "l.db") / 2);
  EXPECT_TRUE(noticed(dir / "l.db"));
}

}  // namespace
}  // namespace patchwise::storage
