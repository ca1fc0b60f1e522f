#pragma once
// The GUI's side of searching: a worker thread that owns the model, the search service
// (app/search/, the same one the CLI uses) and a library connection for thumbnails, and a
// controller in the GUI thread that sends it requests and receives answers through queued
// calls, so the window never waits on a model or a disk.
//
// Stale answers: every search and every page request gets a generation number. The worker
// skips a request that a newer one has already replaced, and the controller drops an answer
// whose generation is not the newest, so a slow earlier search never replaces a later one.
#include <QImage>
#include <QObject>
#include <QString>
#include <QStringList>
#include <QThread>
#include <atomic>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <vector>

#include "app/search/search_service.h"

namespace patchwise::gui {

struct ResultItem {
  std::int64_t page_id = 0;
  QString path;
  int page = 0;  // 1-based
  float score = 0;
  QImage thumbnail;  // null when the library stores none
};

struct SearchResults {
  std::uint64_t generation = 0;
  QString query;
  std::vector<ResultItem> items;
  QString error;  // why the search failed; empty on success
};

struct PageDetails {
  std::uint64_t generation = 0;
  QString query;
  ResultItem result;
  QImage image;       // the page rendered for the screen (or its thumbnail when the file is gone)
  double dpi = 0;     // what `image` was rendered at (0: the thumbnail)
  QString note;       // e.g. why the thumbnail is shown instead of the file
  app::PageExplanation explanation;
  QStringList tokens;
  QString error;
};

struct ModelSummary {
  QString spec;  // what was asked for; empty = the bundled default
  QString folder;
  models::EncoderInfo info;
  std::int64_t pages = 0;          // library pages encoded with this model
  double vectors_per_page = 0;     // stored rows per page
  double bytes_per_page = 0;       // stored vectors + grid per page
  QString error;
};

class SearchWorker;

class SearchController : public QObject {
  Q_OBJECT

 public:
  explicit SearchController(std::filesystem::path library, QObject* parent = nullptr);
  ~SearchController() override;

  const std::filesystem::path& libraryPath() const { return library_; }
  // The loaded model's encoder (thread-safe, shared with ingestion); null before a model loaded.
  std::shared_ptr<models::Encoder> encoder() const;
  const ModelSummary& model() const { return model_; }
  bool modelReady() const { return encoder() != nullptr; }

  // Loads a model (empty spec: the bundled default); modelLoaded() follows.
  void loadModel(const QString& spec, bool bfloat16_weights = false);
  // Uses the encoder `make` builds on the worker thread (tests hand in fake encoders).
  using EncoderFactory = std::function<std::unique_ptr<models::Encoder>()>;
  void loadEncoder(const QString& label, EncoderFactory make);
  // Asks for the model summary again (e.g. after an ingest changed the page counts).
  void refreshModelStats();
  // Starts a search; results() follows unless a newer search starts first. Returns its generation.
  std::uint64_t search(const QString& query, int k);
  // Renders a result's page at `dpi` and explains it for `query`; pageReady() follows unless a
  // newer page request starts first.
  std::uint64_t openPage(const QString& query, const ResultItem& result, double dpi);
  // Renders a result's page again at `dpi` (for zooming in); pageRendered() follows unless a
  // newer render request starts first.
  std::uint64_t renderPage(const ResultItem& result, double dpi);

  std::uint64_t currentSearch() const { return search_generation_; }

 signals:
  // A model finished loading (or failed: summary.error), or its library figures changed.
  void modelLoaded(const patchwise::gui::ModelSummary& summary);
  void searchStarted(std::uint64_t generation, const QString& query);
  void results(const patchwise::gui::SearchResults& results);
  void pageReady(const patchwise::gui::PageDetails& details);
  void pageRendered(std::int64_t page_id, double dpi, const QImage& image);
  // Answers that arrived after a newer request had replaced them (tests count these).
  void staleDropped(std::uint64_t generation);

 private:
  friend class SearchWorker;
  void deliverResults(SearchResults r);
  void deliverPage(PageDetails d);
  void deliverRender(std::uint64_t generation, std::int64_t page_id, double dpi, QImage image);
  void deliverModel(ModelSummary m, std::shared_ptr<models::Encoder> encoder);
  void deliverStats(ModelSummary m);

  const std::filesystem::path library_;
  QThread thread_;
  std::unique_ptr<SearchWorker> worker_;
  std::shared_ptr<std::atomic<std::uint64_t>> latest_search_;  // read by the worker to skip stale work
  std::shared_ptr<std::atomic<std::uint64_t>> latest_page_;
  std::shared_ptr<std::atomic<std::uint64_t>> latest_render_;
  std::uint64_t search_generation_ = 0;
  std::uint64_t page_generation_ = 0;
  std::uint64_t render_generation_ = 0;
  mutable std::mutex encoder_mutex_;
  std::shared_ptr<models::Encoder> encoder_;
  ModelSummary model_;
};

}  // namespace patchwise::gui
