// kill -9 of `patchwise ingest` at random moments never corrupts the library, and the next
// run finishes with exactly the expected pages, none duplicated.
#include <gtest/gtest.h>

#include <algorithm>
#include <csignal>
#include <random>
#include <thread>

#include "storage/library.h"
#include "storage/sqlite.h"
#include "tests/app/cli/cli_fixture.h"

namespace patchwise::test {
namespace {

namespace fs = std::filesystem;

// The SQLite check straight from the file, independent of Library.
std::string integrity(const fs::path& db) {
  storage::sql::Database raw(db, storage::sql::Database::Mode::kReadWrite);
  storage::sql::Statement st(raw, "PRAGMA integrity_check");
  std::string result;
  while (st.step()) result += st.text(0);
  return result;
}

TEST(KillDuringIngest, LibraryStaysConsistentAndTheNextRunCompletes) {
  TempDir dir("patchwise-kill");
  copy_into(dir / "docs", {kAppData / "report.pdf", kAppData / "memo.pdf", kAppData / "scan.png", kMimePdf, kTasnPdf});
  const std::map<std::string, int> expected_pages = {
      {"report.pdf", 3}, {"memo.pdf", 2}, {"scan.png", 1}, {"shared-mime-info-spec.pdf", 17}, {"libtasn1.pdf", 36}};
  const Cli cli(dir / "library.db");
  const auto argv = cli.argv({"ingest", "-q", "--dpi", "72", "--jobs", "2", (dir / "docs").string()});

  // How long a whole run takes here, so the kills spread over all of it.
  const auto t0 = std::chrono::steady_clock::now();
  ASSERT_EQ(Cli(dir / "timing.db")({"ingest", "-q", "--dpi", "72", "--jobs", "2", (dir / "docs").string()}).exit_code, 0);
  const int run_ms = int(std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0).count());

  std::mt19937 rng(std::random_device{}());
  // Runs after a partial removal are shorter than the timed full run, and load varies: when a
  // run ends before its kill, later delays are drawn from a shorter range. Rounds go on until
  // 20 kills landed mid-run (at most 60 rounds).
  int max_delay_ms = run_ms * 9 / 10;
  int killed_mid_run = 0;
  for (int round = 0; round < 60 && killed_mid_run < 20; ++round) {
    if (round % 8 == 0) {  // start over now and then, so kills also land while the schema is created
      for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(fs::path(cli.library().string() + suffix));
    } else if (fs::exists(cli.library())) {
      // Take some documents out, so every run has work to do when it is killed.
      storage::Library lib(cli.library());
      for (const auto& d : lib.documents()) {
        if (rng() % 2) lib.remove_document(d.file.path);
      }
    }
    const pid_t pid = spawn_process(argv);
    const int delay = std::uniform_int_distribution<int>(0, max_delay_ms)(rng);
    std::this_thread::sleep_for(std::chrono::milliseconds(delay));
    ::kill(pid, SIGKILL);
    const int status = wait_process(pid);
    if (status == -SIGKILL) {
      ++killed_mid_run;
    } else {
      max_delay_ms = std::max(20, delay * 3 / 4);
    }
    if (!fs::exists(cli.library())) continue;
    ASSERT_EQ(integrity(cli.library()), "ok") << "round " << round << " after " << delay << " ms";
    storage::Library lib(cli.library());
    const auto problems = lib.check();
    ASSERT_TRUE(problems.empty()) << "round " << round << ": " << problems.front();
    for (const auto& d : lib.documents()) {
      EXPECT_EQ(d.page_count, expected_pages.at(fs::path(d.file.path).filename().string())) << d.file.path;
    }
  }
  EXPECT_GE(killed_mid_run, 20) << "kills must land while ingest runs (a full run takes " << run_ms << " ms)";

  const ProcessResult final_run = cli({"ingest", "-q", "--dpi", "72", (dir / "docs").string()});
  ASSERT_EQ(final_run.exit_code, 0) << final_run.err;
  EXPECT_EQ(integrity(cli.library()), "ok");
  storage::Library lib(cli.library());
  EXPECT_TRUE(lib.check().empty());
  const auto docs = lib.documents(lib.models().at(0).key.fingerprint);
  ASSERT_EQ(docs.size(), expected_pages.size());
  int total = 0;
  for (const auto& d : docs) {
    EXPECT_EQ(d.status, storage::DocumentStatus::kReady) << d.file.path << ": " << d.error;
    EXPECT_EQ(d.page_count, expected_pages.at(fs::path(d.file.path).filename().string()));
    EXPECT_EQ(d.encoded_pages, d.page_count);
    total += d.page_count;
  }
  EXPECT_EQ(lib.stats().pages, total);
  EXPECT_EQ(lib.load_corpus(lib.models().at(0).key.fingerprint).page_count(), std::size_t(total));
}

}  // namespace
}  // namespace patchwise::test
