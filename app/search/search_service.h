#pragma once
// One search service for the CLI and the desktop app: query text in, ranked library pages out,
// and "why this page" explanations ready for a heatmap.
//
// The service opens its own connection to the library, loads every page encoded with the
// encoder's model (one Corpus, core/corpus.h) and, for libraries large enough to profit, a
// first-pass index for tiered search (core/tiered_index.h). The first-pass index is cached
// next to the library (LIBRARY.first-pass-FINGERPRINT, a core/corpus_file.h file; deleting it
// is always safe) and rebuilt only for pages it does not know yet.
//
// Freshness: before each search/explain the service asks SQLite whether another connection
// committed since it loaded (PRAGMA data_version, a few microseconds) and if so reloads, so
// pages ingested meanwhile (by another thread or process) are found and removed ones are gone.
// A reload reads only the pages it lacks (app/search/corpus_update.h) and pools only those for
// the first pass.
// refresh() does the same on demand (e.g. from a worker thread after an ingest finished).
//
// Thread-safety: every public member may be called from any thread. Calls are serialized by
// an internal mutex (one runs at a time; the encoder and the library connection are never used
// concurrently). Another thread may ingest into the same library through its own
// storage::Library meanwhile (SQLite WAL). The encoder handed in must not be used by anyone
// else while the service lives (models::Encoder calls are not concurrent). The constructor,
// and any call that finds the library changed, (re)load the corpus: reading every page's
// vectors takes seconds for large libraries, so a GUI calls them off its UI thread.
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/explanation.h"
#include "core/patch_grid.h"
#include "core/tiered_index.h"
#include "models/encoder.h"
#include "storage/library.h"

namespace patchwise::app {

// Below this many pages the service searches brute force (exact) even when exact is false:
// tiered search reranks kDefaultCandidates (400) pages exactly, so it only saves work well
// above that. Chosen by measurement (core/bench/README.md): at 1,000 ColPali-size synthetic
// pages tiered search took 43-60 ms CPU per query against 100-150 ms for exact f16 (two
// runs), recall@10 1.00.
inline constexpr std::size_t kTieredMinPages = 1000;

struct SearchServiceOptions {
  int threads = 0;  // Default: 0 = one per core.
  // Tiered search from this many pages on (exact below). Default: kTieredMinPages.
  std::size_t tiered_min_pages = kTieredMinPages;
  // Pages the first pass hands to the exact rerank. Default: 0 = core::kDefaultCandidates.
  std::size_t candidates = 0;
  core::FirstPassOptions first_pass;  // Default: core's (32 int8 k-means rows per page).
  // Keep the first-pass index in a file next to the library. Default: on.
  bool cache_first_pass = true;
  // Check for library changes before each call. Default: on.
  bool auto_refresh = true;
};

struct PageHit {
  std::size_t rank = 0;  // 1-based
  float score = 0;       // MaxSim (exact, also in tiered search)
  storage::PageRef page;
};

struct PageExplanation {
  storage::PageRef page;
  core::Explanation explanation;          // query tokens x page rows (patches)
  std::vector<std::string> token_labels;  // one per query token (Encoder::query_token_labels)
  core::PatchGrid grid;                   // one cell per page row, for vision::draw_heatmap

  // One value per grid cell: token `token`'s similarities, or, without a token, the whole
  // query's (max over tokens). Throws Error for a token out of range.
  std::vector<float> heat(std::optional<std::size_t> token = std::nullopt) const;
};

struct SearchServiceStatus {
  std::string fingerprint;  // the encoder's model
  std::size_t pages = 0;    // pages searched (encoded with this model)
  bool tiered = false;      // a non-exact search is tiered (pages >= tiered_min_pages)
  std::size_t memory_bytes = 0;  // corpus + first-pass index held
};

class SearchService {
 public:
  // Opens the library at `library` (never creates one: throws patchwise::Error saying to run
  // `patchwise ingest` first) and loads the pages encoded with `encoder`'s model. A library
  // with no pages for the model yet is fine: searches return nothing until pages arrive.
  SearchService(const std::filesystem::path& library, std::shared_ptr<models::Encoder> encoder,
                SearchServiceOptions options = {});
  ~SearchService();
  SearchService(const SearchService&) = delete;
  SearchService& operator=(const SearchService&) = delete;

  // The k best pages, best first. exact = true forces brute-force MaxSim over every page.
  std::vector<PageHit> search(const std::string& query, std::size_t k = 10, bool exact = false);
  // Several queries, encoded together; result i belongs to queries[i].
  std::vector<std::vector<PageHit>> search_batch(std::span<const std::string> queries, std::size_t k = 10,
                                                 bool exact = false);

  // Why page `page_id` matches `query`. Throws Error if the page is not in the library or
  // has no vectors for this model.
  PageExplanation explain(const std::string& query, std::int64_t page_id);

  // The library page `number` (1-based) of document `path` (normalised like ingest does).
  // Throws Error saying what is wrong: the document is not in the library, or the page is
  // out of range (naming the document's page count).
  storage::PageRef page_of(const std::filesystem::path& path, int number);

  // Reloads if the library changed since the last load; true if it reloaded.
  bool refresh();
  SearchServiceStatus status() const;
  models::EncoderInfo model() const;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace patchwise::app
