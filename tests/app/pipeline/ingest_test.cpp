// The ingestion pipeline against real files (PDFs, a PNG scan, a corrupt and an encrypted PDF)
// with the pixel test encoder, so scans get vectors too.
#include "app/pipeline/ingest.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <set>

#include "core/maxsim_reference.h"
#include "core/searcher.h"
#include "tests/support/pixel_encoder.h"
#include "tests/support/temp_dir.h"

namespace patchwise::app {
namespace {

namespace fs = std::filesystem;

const fs::path kData = fs::path(PATCHWISE_SOURCE_DIR) / "tests" / "data" / "app";

class IngestTest : public ::testing::Test {
 protected:
  void SetUp() override {
    fs::create_directories(docs());
    for (const char* f : {"report.pdf", "memo.pdf", "scan.png", "corrupt.pdf", "encrypted.pdf"}) {
      fs::copy_file(kData / f, docs() / f);
    }
    options_.render = {.dpi = 40, .max_pixels = 1'000'000};
    options_.render_threads = 2;
    options_.encoder_threads = -1;
  }

  fs::path docs() const { return dir_ / "docs"; }
  std::vector<std::string> inputs() const { return {docs().string()}; }
  IngestSummary run(storage::Library& lib) { return ingest(lib, encoder_, inputs(), options_); }

  test::TempDir dir_;
  test::PixelEncoder encoder_;
  IngestOptions options_;
};

TEST_F(IngestTest, IngestsGoodFilesAndReportsBadOnes) {
  storage::Library lib(dir_ / "l.db");
  std::vector<FileOutcome> outcomes;
  options_.on_file = [&](const FileOutcome& o) { outcomes.push_back(o); };
  const IngestSummary s = run(lib);

  EXPECT_EQ(s.counts.files_seen, 5);
  EXPECT_EQ(s.counts.files_ingested, 3);
  EXPECT_EQ(s.counts.files_failed, 2);
  EXPECT_EQ(s.counts.pages_encoded, 3 + 2 + 1);
  EXPECT_EQ(s.pages_written, 6);
  ASSERT_EQ(s.failures.size(), 2u);
  std::set<std::string> failed;
  for (const auto& f : s.failures) {
    failed.insert(fs::path(f.path).filename().string());
    EXPECT_NE(f.error.find(fs::path(f.path).filename().string()), std::string::npos)
        << "the error names the file: " << f.error;
  }
  EXPECT_EQ(failed, (std::set<std::string>{"corrupt.pdf", "encrypted.pdf"}));
  EXPECT_EQ(outcomes.size(), 5u);

  const auto scan = lib.document((docs() / "scan.png").string(), encoder_.info().fingerprint);
  ASSERT_TRUE(scan.has_value());
  EXPECT_EQ(scan->page_count, 1);
  EXPECT_EQ(scan->encoded_pages, 1) << "scans get vectors from their pixels";
  const auto encrypted = lib.document((docs() / "encrypted.pdf").string());
  ASSERT_TRUE(encrypted.has_value());
  EXPECT_EQ(encrypted->status, storage::DocumentStatus::kFailed);
  EXPECT_FALSE(encrypted->error.empty());

  const core::Corpus corpus = lib.load_corpus(encoder_.info().fingerprint);
  EXPECT_EQ(corpus.page_count(), 6u);
  EXPECT_TRUE(lib.check().empty());
  // Text layer and thumbnails were stored.
  const auto hits = lib.text_search("diagram", 5);
  ASSERT_EQ(hits.size(), 1u);
  EXPECT_EQ(lib.page(hits[0])->number, 2);
  EXPECT_GT(lib.thumbnail(hits[0]).size(), 100u);
  EXPECT_EQ(lib.runs().back().state, storage::RunState::kFinished);
}

TEST_F(IngestTest, ReingestEncodesNothingAndChangedFileIsReencoded) {
  storage::Library lib(dir_ / "l.db");
  run(lib);
  const auto before = lib.load_corpus(encoder_.info().fingerprint);

  const IngestSummary again = run(lib);
  EXPECT_EQ(again.counts.pages_encoded, 0);
  EXPECT_EQ(again.counts.files_skipped, 3);
  EXPECT_EQ(again.counts.files_ingested, 0);

  // Same bytes, new mtime: hashed, found unchanged, still nothing encoded.
  fs::last_write_time(docs() / "report.pdf", fs::last_write_time(docs() / "report.pdf") + std::chrono::seconds(5));
  EXPECT_EQ(run(lib).counts.pages_encoded, 0);

  // New content: only that file is re-encoded, its pages replaced.
  fs::copy_file(kData / "report.pdf", docs() / "memo.pdf", fs::copy_options::overwrite_existing);
  const IngestSummary changed = run(lib);
  EXPECT_EQ(changed.counts.files_ingested, 1);
  EXPECT_EQ(changed.counts.pages_encoded, 3);
  const auto memo = lib.document((docs() / "memo.pdf").string(), encoder_.info().fingerprint);
  EXPECT_EQ(memo->page_count, 3);
  EXPECT_EQ(lib.load_corpus(encoder_.info().fingerprint).page_count(), before.page_count() + 1);
  EXPECT_TRUE(lib.check().empty());
}

TEST_F(IngestTest, VanishedFilesAreRemovedOnlyOnRequest) {
  storage::Library lib(dir_ / "l.db");
  run(lib);
  fs::remove(docs() / "memo.pdf");
  EXPECT_EQ(run(lib).counts.files_removed, 0);
  EXPECT_TRUE(lib.document((docs() / "memo.pdf").string()).has_value());
  options_.remove_missing = true;
  const IngestSummary s = run(lib);
  EXPECT_EQ(s.counts.files_removed, 1);
  EXPECT_FALSE(lib.document((docs() / "memo.pdf").string()).has_value());
  EXPECT_EQ(lib.load_corpus(encoder_.info().fingerprint).page_count(), 4u);
}

TEST_F(IngestTest, CancelLeavesAConsistentLibraryAndTheNextRunFinishes) {
  storage::Library lib(dir_ / "l.db");
  std::atomic<bool> cancel{false};
  options_.cancel = &cancel;
  options_.on_file = [&](const FileOutcome&) { cancel = true; };  // stop after the first file
  const IngestSummary s = run(lib);
  EXPECT_TRUE(s.cancelled);
  EXPECT_LT(s.counts.files_ingested + s.counts.files_failed, 5);
  EXPECT_TRUE(lib.check().empty());
  EXPECT_EQ(lib.runs().back().state, storage::RunState::kCancelled);

  cancel = false;
  options_.on_file = nullptr;
  run(lib);
  const auto docs_in_lib = lib.documents(encoder_.info().fingerprint);
  int pages = 0;
  for (const auto& d : docs_in_lib) pages += d.status == storage::DocumentStatus::kReady ? d.encoded_pages : 0;
  EXPECT_EQ(pages, 6);
  EXPECT_TRUE(lib.check().empty());
}

TEST_F(IngestTest, ProgressReportsFilesPagesAndRate) {
  storage::Library lib(dir_ / "l.db");
  std::vector<IngestProgress> seen;
  options_.on_progress = [&](const IngestProgress& p) { seen.push_back(p); };
  run(lib);
  ASSERT_FALSE(seen.empty());
  const IngestProgress& last = seen.back();
  EXPECT_EQ(last.files_total, 5);
  EXPECT_EQ(last.files_done, 5);
  EXPECT_EQ(last.files_failed, 2);
  EXPECT_EQ(last.pages_done, 6);
  EXPECT_EQ(last.pages_expected, 6);
  EXPECT_GT(last.pages_per_second, 0);
  EXPECT_NEAR(last.eta_s, 0, 1e-9);
}

TEST_F(IngestTest, StoredVectorsRankLikeBruteForceMaxSim) {
  storage::Library lib(dir_ / "l.db");
  run(lib);
  const auto fp = encoder_.info().fingerprint;
  const core::Corpus corpus = lib.load_corpus(fp);
  const auto query = encoder_.encode_queries(std::vector<std::string>{"revenue table scan"})[0];
  std::vector<std::pair<double, std::int64_t>> expected;
  for (std::size_t i = 0; i < corpus.page_count(); ++i) {
    const auto e = lib.embedding(corpus.page_id(i), fp);
    ASSERT_TRUE(e.has_value());
    expected.emplace_back(core::maxsim_reference(query, e->vectors.values(), e->vectors.rows()), corpus.page_id(i));
  }
  std::sort(expected.begin(), expected.end(), [](auto a, auto b) { return a.first > b.first; });
  const auto hits = core::Searcher(corpus).search(query, [&] {
    core::SearchOptions o;
    o.k = corpus.page_count();
    return o;
  }());
  ASSERT_EQ(hits.size(), expected.size());
  for (std::size_t i = 0; i < hits.size(); ++i) {
    EXPECT_EQ(hits[i].page_id, expected[i].second) << "rank " << i;
    EXPECT_NEAR(hits[i].score, expected[i].first, 1e-4);
  }
}

}  // namespace
}  // namespace patchwise::app
