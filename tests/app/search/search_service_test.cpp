// The search service against a real library (PDFs and a scan ingested with the pixel test
// encoder): ranking, tiered against exact, freshness while another thread ingests,
// explanations and the errors a user sees.
#include "app/search/search_service.h"

#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <numeric>
#include <thread>

#include "app/pipeline/ingest.h"
#include "app/search/first_pass_cache.h"
#include "core/corpus_file.h"
#include "core/error.h"
#include "tests/support/pixel_encoder.h"
#include "tests/support/temp_dir.h"

namespace patchwise::app {
namespace {

namespace fs = std::filesystem;

const fs::path kData = fs::path(PATCHWISE_SOURCE_DIR) / "tests" / "data" / "app";

class SearchServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    fs::create_directories(docs());
    for (const char* f : {"report.pdf", "memo.pdf", "scan.png"}) fs::copy_file(kData / f, docs() / f);
    options_.render = {.dpi = 40, .max_pixels = 1'000'000};
    options_.render_threads = 1;
    options_.encoder_threads = -1;
  }

  fs::path docs() const { return dir_ / "docs"; }
  fs::path library_path() const { return dir_ / "library.db"; }
  // Ingests `files` (names in docs()) through a connection of its own, like the GUI's ingest.
  void ingest_files(const std::vector<std::string>& files) {
    storage::Library library(library_path());
    test::PixelEncoder encoder;
    std::vector<std::string> inputs;
    for (const auto& f : files) inputs.push_back((docs() / f).string());
    ingest(library, encoder, inputs, options_);
  }
  std::shared_ptr<models::Encoder> encoder() const { return std::make_shared<test::PixelEncoder>(); }

  test::TempDir dir_;
  IngestOptions options_;
};

TEST_F(SearchServiceTest, RanksEveryPageWithExactScores) {
  ingest_files({"report.pdf", "memo.pdf", "scan.png"});
  SearchService service(library_path(), encoder());
  EXPECT_EQ(service.status().pages, 6u);
  EXPECT_FALSE(service.status().tiered) << "6 pages are below the tiered threshold";

  const auto hits = service.search("quarterly revenue chart", 10);
  ASSERT_EQ(hits.size(), 6u);
  for (std::size_t i = 0; i < hits.size(); ++i) {
    EXPECT_EQ(hits[i].rank, i + 1);
    if (i > 0) {
      EXPECT_GE(hits[i - 1].score, hits[i].score);
    }
    EXPECT_GE(hits[i].page.number, 1);
    EXPECT_EQ(fs::path(hits[i].page.path).parent_path(), fs::canonical(docs()));
  }
  // The score is the page's MaxSim: its explanation's contributions add up to it.
  const auto why = service.explain("quarterly revenue chart", hits[0].page.page_id);
  EXPECT_NEAR(why.explanation.score, hits[0].score, 1e-4);
  EXPECT_EQ(service.search("quarterly revenue chart", 2).size(), 2u);
}

TEST_F(SearchServiceTest, TieredSearchFindsWhatExactFindsAndCachesItsIndex) {
  ingest_files({"report.pdf", "memo.pdf"});
  SearchServiceOptions tiered;
  tiered.tiered_min_pages = 1;
  tiered.candidates = 3;
  tiered.first_pass.rows_per_page = 2;
  const fs::path cache = first_pass_cache_path(library_path(), encoder()->info().fingerprint, tiered.first_pass);
  {
    SearchService service(library_path(), encoder(), tiered);
    ASSERT_TRUE(service.status().tiered);
    ASSERT_TRUE(fs::exists(cache));
    EXPECT_EQ(core::map_corpus(cache).page_count(), 5u);
    const auto approx = service.search("signature line", 3);
    const auto exact = service.search("signature line", 3, /*exact=*/true);
    ASSERT_EQ(approx.size(), 3u);
    ASSERT_EQ(exact.size(), 3u);
    // Reranked exactly: every score a tiered hit reports is the page's exact score.
    for (const auto& hit : approx) {
      EXPECT_NEAR(hit.score, service.explain("signature line", hit.page.page_id).explanation.score, 1e-4);
    }
    EXPECT_EQ(approx[0].page.page_id, exact[0].page.page_id);
  }
  ingest_files({"scan.png"});
  SearchService service(library_path(), encoder(), tiered);
  EXPECT_EQ(service.status().pages, 6u);
  EXPECT_EQ(core::map_corpus(cache).page_count(), 6u) << "the cache grows with the library";
}

TEST_F(SearchServiceTest, FindsPagesIngestedByAnotherThreadMeanwhile) {
  ingest_files({"report.pdf"});
  SearchService service(library_path(), encoder());
  ASSERT_EQ(service.status().pages, 3u);

  std::atomic<bool> ingesting{true};
  std::atomic<int> searches{0};
  std::thread searcher([&] {
    while (ingesting) {
      const auto hits = service.search("memo", 10);
      EXPECT_GE(hits.size(), 3u);
      ++searches;
    }
  });
  ingest_files({"memo.pdf", "scan.png"});
  ingesting = false;
  searcher.join();
  EXPECT_GT(searches.load(), 0);

  const auto hits = service.search("memo", 10);
  EXPECT_EQ(hits.size(), 6u) << "pages ingested since the service loaded are found";
  EXPECT_EQ(service.status().pages, 6u);

  {
    storage::Library library(library_path());
    ASSERT_TRUE(library.remove_document((fs::canonical(docs()) / "memo.pdf").string()));
  }
  const auto updated = service.search("memo", 10);
  EXPECT_EQ(updated.size(), 4u) << "removed pages are gone";
  EXPECT_FALSE(service.refresh()) << "nothing changed since the last search";
  // Updated in place (old pages copied, new ones read), it ranks like a service loaded afresh.
  const auto fresh = SearchService(library_path(), encoder()).search("memo", 10);
  ASSERT_EQ(fresh.size(), updated.size());
  for (std::size_t i = 0; i < fresh.size(); ++i) {
    EXPECT_EQ(fresh[i].page.page_id, updated[i].page.page_id);
    EXPECT_EQ(fresh[i].score, updated[i].score);
  }
}

TEST_F(SearchServiceTest, ExplainsAPageForAHeatmap) {
  ingest_files({"report.pdf", "memo.pdf"});
  SearchService service(library_path(), encoder());
  const storage::PageRef page = service.page_of(docs() / "report.pdf", 2);
  EXPECT_EQ(page.number, 2);

  const PageExplanation why = service.explain("blue bars red line", page.page_id);
  EXPECT_EQ(why.page.page_id, page.page_id);
  EXPECT_EQ(why.explanation.tokens, 4u);
  EXPECT_EQ(why.token_labels.size(), 4u);
  ASSERT_EQ(why.grid.size(), why.explanation.patches);
  const float total = std::accumulate(why.explanation.contribution.begin(), why.explanation.contribution.end(), 0.0f);
  EXPECT_NEAR(total, why.explanation.score, 1e-4);

  const auto whole = why.heat();
  const auto first = why.heat(0);
  ASSERT_EQ(whole.size(), why.grid.size());
  ASSERT_EQ(first.size(), why.grid.size());
  for (std::size_t p = 0; p < whole.size(); ++p) EXPECT_GE(whole[p], first[p]) << "the query's heat is the max";
  EXPECT_FLOAT_EQ(first[why.explanation.best_patch[0]], why.explanation.contribution[0]);
  EXPECT_THROW(why.heat(4), Error);
}

TEST_F(SearchServiceTest, SaysWhatIsWrongWithADocumentOrPage) {
  ingest_files({"report.pdf"});
  SearchService service(library_path(), encoder());
  try {
    service.page_of(docs() / "memo.pdf", 1);
    FAIL() << "memo.pdf was never ingested";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("memo.pdf is not in the library"), std::string::npos) << e.what();
  }
  try {
    service.page_of(docs() / "report.pdf", 4);
    FAIL() << "report.pdf has 3 pages";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("page 4 is out of range"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("has 3 pages"), std::string::npos) << e.what();
  }
  EXPECT_THROW(service.page_of(docs() / "report.pdf", 0), Error);
  EXPECT_THROW(service.explain("x", 987654), Error);
}

TEST_F(SearchServiceTest, AMissingLibraryIsAnErrorAndAnEmptyModelIsNot) {
  EXPECT_THROW(SearchService(dir_ / "none.db", encoder()), Error);
  { storage::Library created(library_path()); }
  SearchService service(library_path(), encoder());
  EXPECT_EQ(service.status().pages, 0u);
  EXPECT_TRUE(service.search("anything").empty());
}

}  // namespace
}  // namespace patchwise::app
