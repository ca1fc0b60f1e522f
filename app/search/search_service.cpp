#include "app/search/search_service.h"

#include <algorithm>
#include <mutex>
#include <string>
#include <system_error>
#include <utility>

#include "app/pipeline/discover.h"
#include "app/search/corpus_update.h"
#include "app/search/first_pass_cache.h"
#include "core/error.h"
#include "core/searcher.h"

namespace patchwise::app {

std::vector<float> PageExplanation::heat(std::optional<std::size_t> token) const {
  return token ? core::token_heat(explanation, *token) : core::query_heat(explanation);
}

namespace {

// What one load of the library holds. Lives behind a unique_ptr: the Searchers keep
// references to the corpora, so their addresses must not change.
struct Loaded {
  explicit Loaded(core::Corpus c) : corpus(std::move(c)), exact(corpus) {}

  core::Corpus corpus;
  core::Searcher exact;
  std::optional<core::Corpus> first_pass;
  std::optional<core::Searcher> tiered;
};

bool model_known(const storage::Library& library, const std::string& fingerprint) {
  const auto models = library.models();
  return std::any_of(models.begin(), models.end(), [&](const auto& m) { return m.key.fingerprint == fingerprint; });
}

}  // namespace

struct SearchService::State {
  State(const std::filesystem::path& path, std::shared_ptr<models::Encoder> enc, SearchServiceOptions opts)
      : library(path, {.create = false}), encoder(std::move(enc)), info(encoder->info()), options(opts) {}

  void load();
  bool refresh_if_changed();
  std::vector<std::vector<PageHit>> search(std::span<const std::string> queries, std::size_t k, bool exact);
  std::vector<PageHit> to_page_hits(const std::vector<core::Hit>& hits) const;

  storage::Library library;
  std::shared_ptr<models::Encoder> encoder;
  models::EncoderInfo info;
  SearchServiceOptions options;
  std::int64_t version = 0;  // the library's data_version when `loaded` was read
  std::unique_ptr<Loaded> loaded;
  mutable std::mutex mutex;
};

void SearchService::State::load() {
  // Read before loading: a commit that lands during the load makes the next call reload.
  version = library.data_version();
  core::Corpus corpus(info.dim);
  if (loaded && loaded->corpus.page_count() > 0) {
    corpus = updated_corpus(library, info.fingerprint, loaded->corpus);
  } else if (model_known(library, info.fingerprint)) {
    corpus = library.load_corpus(info.fingerprint, storage::Library::LoadForm::kStored);
  }
  auto next = std::make_unique<Loaded>(std::move(corpus));
  if (next->corpus.page_count() >= std::max<std::size_t>(options.tiered_min_pages, 1)) {
    core::FirstPassOptions first = options.first_pass;
    first.threads = options.threads;
    const core::Corpus* previous = loaded && loaded->first_pass ? &*loaded->first_pass : nullptr;
    next->first_pass = options.cache_first_pass
                           ? load_first_pass(library.path(), info.fingerprint, next->corpus, first, previous)
                           : core::build_first_pass(next->corpus, first, previous);
    next->tiered.emplace(next->corpus, *next->first_pass);
  }
  loaded = std::move(next);
}

bool SearchService::State::refresh_if_changed() {
  if (loaded && library.data_version() == version) return false;
  load();
  return true;
}

std::vector<PageHit> SearchService::State::to_page_hits(const std::vector<core::Hit>& hits) const {
  std::vector<PageHit> out;
  out.reserve(hits.size());
  for (const auto& hit : hits) {
    // A page removed since the corpus was loaded is left out.
    if (auto page = library.page(hit.page_id)) out.push_back({out.size() + 1, hit.score, std::move(*page)});
  }
  return out;
}

std::vector<std::vector<PageHit>> SearchService::State::search(std::span<const std::string> queries, std::size_t k,
                                                               bool exact) {
  if (options.auto_refresh) refresh_if_changed();
  std::vector<std::vector<PageHit>> results;
  if (queries.empty()) return results;
  const std::vector<core::MultiVector> vectors = encoder->encode_queries(queries);
  core::SearchOptions search_options;
  search_options.k = k;
  search_options.exact = exact;
  search_options.threads = options.threads;
  search_options.candidates = options.candidates;
  const core::Searcher& searcher = (!exact && loaded->tiered) ? *loaded->tiered : loaded->exact;
  for (const auto& hits : searcher.search_batch(vectors, search_options)) results.push_back(to_page_hits(hits));
  return results;
}

SearchService::SearchService(const std::filesystem::path& library, std::shared_ptr<models::Encoder> encoder,
                             SearchServiceOptions options) {
  if (!encoder) throw Error("SearchService: no encoder given");
  state_ = std::make_unique<State>(library, std::move(encoder), options);
  state_->load();
}

SearchService::~SearchService() = default;

std::vector<PageHit> SearchService::search(const std::string& query, std::size_t k, bool exact) {
  return search_batch(std::span<const std::string>(&query, 1), k, exact).front();
}

std::vector<std::vector<PageHit>> SearchService::search_batch(std::span<const std::string> queries, std::size_t k,
                                                              bool exact) {
  const std::lock_guard lock(state_->mutex);
  return state_->search(queries, k, exact);
}

PageExplanation SearchService::explain(const std::string& query, std::int64_t page_id) {
  const std::lock_guard lock(state_->mutex);
  State& s = *state_;
  auto page = s.library.page(page_id);
  if (!page) throw Error("explain: page " + std::to_string(page_id) + " is not in the library (removed?)");
  auto embedding = s.library.embedding(page_id, s.info.fingerprint);
  if (!embedding) {
    throw Error("explain: " + page->path + " page " + std::to_string(page->number) + " has no vectors for model " +
                s.info.name + " (ingest it with this model first)");
  }
  const std::vector<core::MultiVector> vectors = s.encoder->encode_queries(std::span<const std::string>(&query, 1));
  PageExplanation out;
  out.explanation = core::explain(vectors.front(), embedding->vectors.values(), embedding->vectors.dim());
  out.token_labels = s.encoder->query_token_labels(query, vectors.front().rows());
  out.grid = std::move(embedding->grid);
  out.page = std::move(*page);
  return out;
}

storage::PageRef SearchService::page_of(const std::filesystem::path& path, int number) {
  const std::lock_guard lock(state_->mutex);
  const std::string stored = normalize_path(path).string();
  const auto document = state_->library.document(stored);
  if (!document) {
    throw Error(stored + " is not in the library (add it with `patchwise ingest " + path.string() + "`)");
  }
  if (document->status == storage::DocumentStatus::kFailed) {
    throw Error(stored + " could not be ingested: " + document->error);
  }
  if (number < 1 || number > document->page_count) {
    throw Error("page " + std::to_string(number) + " is out of range: " + stored + " has " +
                std::to_string(document->page_count) + (document->page_count == 1 ? " page" : " pages"));
  }
  auto page = state_->library.page_at(stored, number);
  if (!page) throw Error(stored + " page " + std::to_string(number) + " is missing from the library");
  return std::move(*page);
}

bool SearchService::refresh() {
  const std::lock_guard lock(state_->mutex);
  return state_->refresh_if_changed();
}

SearchServiceStatus SearchService::status() const {
  const std::lock_guard lock(state_->mutex);
  const Loaded& l = *state_->loaded;
  SearchServiceStatus s;
  s.fingerprint = state_->info.fingerprint;
  s.pages = l.corpus.page_count();
  s.tiered = l.tiered.has_value();
  s.memory_bytes = l.corpus.memory_bytes() + (l.first_pass ? l.first_pass->memory_bytes() : 0);
  return s;
}

models::EncoderInfo SearchService::model() const {
  const std::lock_guard lock(state_->mutex);
  return state_->info;
}

}  // namespace patchwise::app
