#include "app/gui/search_controller.h"

#include <QMetaObject>
#include <optional>

#include "app/gui/serialized_encoder.h"
#include "core/error.h"
#include "models/registry.h"
#include "models/runtime.h"
#include "vision/document.h"
#include "vision/thumbnail.h"

namespace patchwise::gui {
namespace {

QImage to_qimage(const vision::PageImage& page) {
  if (page.empty()) return {};
  return QImage(page.rgb.data(), page.width, page.height, page.width * 3, QImage::Format_RGB888).copy();
}

// Pages rendered for the screen stay below this many pixels (a letter page at 300 dpi is 8.4M).
constexpr long kScreenPixelBudget = 12'000'000;

}  // namespace

// Lives in the controller's thread; every member runs there, one request at a time.
class SearchWorker : public QObject {
 public:
  SearchWorker(SearchController* controller, std::filesystem::path library,
               std::shared_ptr<std::atomic<std::uint64_t>> latest_search,
               std::shared_ptr<std::atomic<std::uint64_t>> latest_page,
               std::shared_ptr<std::atomic<std::uint64_t>> latest_render)
      : controller_(controller),
        library_path_(std::move(library)),
        latest_search_(std::move(latest_search)),
        latest_page_(std::move(latest_page)),
        latest_render_(std::move(latest_render)) {}

  void loadModel(const QString& spec, bool bfloat16_weights) {
    loadEncoder(spec, [spec, bfloat16_weights]() -> std::unique_ptr<models::Encoder> {
      models::configure_runtime({});  // libtorch thread settings are per thread: set them here
      return models::load_encoder(spec.toStdString(), bfloat16_weights ? models::WeightPrecision::bfloat16
                                                                         : models::WeightPrecision::float32);
    }, [spec] { return QString::fromStdString(models::resolve_model_dir(spec.toStdString()).string()); });
  }

  void loadEncoder(const QString& spec, const SearchController::EncoderFactory& make,
                   const std::function<QString()>& folder = {}) {
    ModelSummary summary;
    summary.spec = spec;
    std::shared_ptr<models::Encoder> encoder;
    try {
      service_.reset();
      encoder_.reset();
      if (folder) summary.folder = folder();
      encoder = std::make_shared<SerializedEncoder>(make());
      if (!library_) library_.emplace(library_path_);  // creates an empty library on first use
      service_ = std::make_unique<app::SearchService>(library_path_, encoder);
      encoder_ = encoder;
      fillStats(summary, encoder->info());
    } catch (const std::exception& e) {
      summary.error = QString::fromStdString(e.what());
      encoder.reset();
    }
    post([c = controller_, summary, encoder] { c->deliverModel(summary, encoder); });
  }

  void refreshStats(ModelSummary summary) {
    if (!encoder_) return;
    try {
      fillStats(summary, encoder_->info());
    } catch (const std::exception&) {
      return;  // the figures shown stay; the next refresh tries again
    }
    post([c = controller_, summary] { c->deliverStats(summary); });
  }

  void search(std::uint64_t generation, const QString& query, int k) {
    if (generation != latest_search_->load()) return;  // a newer search replaced this one
    SearchResults r;
    r.generation = generation;
    r.query = query;
    try {
      if (!service_) throw Error("no model is loaded");
      for (const auto& hit : service_->search(query.toStdString(), std::size_t(k))) {
        r.items.push_back({hit.page.page_id, QString::fromStdString(hit.page.path), hit.page.number, hit.score,
                           thumbnail(hit.page)});
      }
    } catch (const std::exception& e) {
      r.error = QString::fromStdString(e.what());
    }
    post([c = controller_, r = std::move(r)]() mutable { c->deliverResults(std::move(r)); });
  }

  void openPage(std::uint64_t generation, const QString& query, const ResultItem& result, double dpi) {
    if (generation != latest_page_->load()) return;
    PageDetails d;
    d.generation = generation;
    d.query = query;
    d.result = result;
    try {
      if (!service_) throw Error("no model is loaded");
      d.explanation = service_->explain(query.toStdString(), result.page_id);
      for (const auto& label : d.explanation.token_labels) d.tokens << QString::fromStdString(label);
      d.image = renderOrThumbnail(d.explanation.page, dpi, d.note);
      d.dpi = d.note.isEmpty() ? dpi : 0;
    } catch (const std::exception& e) {
      d.error = QString::fromStdString(e.what());
    }
    post([c = controller_, d = std::move(d)]() mutable { c->deliverPage(std::move(d)); });
  }

  void renderPage(std::uint64_t generation, const ResultItem& result, double dpi) {
    if (generation != latest_render_->load()) return;
    QImage image;
    try {
      image = render(result.path.toStdString(), result.page, dpi);
    } catch (const std::exception&) {
      return;  // the page shown stays; it was rendered (or its thumbnail shown) before
    }
    post([c = controller_, generation, id = result.page_id, dpi, image] { c->deliverRender(generation, id, dpi, image); });
  }

 private:
  template <typename F>
  void post(F&& f) {
    QMetaObject::invokeMethod(controller_, std::forward<F>(f), Qt::QueuedConnection);
  }

  void fillStats(ModelSummary& summary, const models::EncoderInfo& info) {
    summary.info = info;
    summary.pages = 0;
    summary.vectors_per_page = summary.bytes_per_page = 0;
    for (const auto& m : library_->models()) {
      if (m.key.fingerprint != info.fingerprint || m.pages == 0) continue;
      summary.pages = m.pages;
      summary.vectors_per_page = double(m.rows) / double(m.pages);
      summary.bytes_per_page = double(m.vector_bytes) / double(m.pages);
    }
  }

  QImage thumbnail(const storage::PageRef& page) const {
    try {
      const auto bytes = library_->thumbnail(page.page_id);
      if (bytes.empty()) return {};
      const auto* data = reinterpret_cast<const std::uint8_t*>(bytes.data());
      return to_qimage(vision::decode_thumbnail({data, bytes.size()}, {page.width_pt, page.height_pt}));
    } catch (const std::exception&) {
      return {};  // a thumbnail that cannot be read is left out; the result still shows
    }
  }

  static QImage render(const std::string& path, int number, double dpi) {
    const auto document = vision::Document::open(path);
    return to_qimage(document->render(number - 1, {.dpi = dpi, .max_pixels = kScreenPixelBudget}));
  }

  // The page from its file at `dpi`; the stored thumbnail when the file cannot be rendered.
  QImage renderOrThumbnail(const storage::PageRef& page, double dpi, QString& note) const {
    try {
      return render(page.path, page.number, dpi);
    } catch (const std::exception& e) {
      note = QObject::tr("Showing the stored thumbnail: %1").arg(QString::fromStdString(e.what()));
      return thumbnail(page);
    }
  }

  SearchController* controller_;
  const std::filesystem::path library_path_;
  std::shared_ptr<std::atomic<std::uint64_t>> latest_search_;
  std::shared_ptr<std::atomic<std::uint64_t>> latest_page_;
  std::shared_ptr<std::atomic<std::uint64_t>> latest_render_;
  std::shared_ptr<models::Encoder> encoder_;
  std::unique_ptr<app::SearchService> service_;
  std::optional<storage::Library> library_;  // this thread's connection: thumbnails and stats
};

SearchController::SearchController(std::filesystem::path library, QObject* parent)
    : QObject(parent),
      library_(std::move(library)),
      latest_search_(std::make_shared<std::atomic<std::uint64_t>>(0)),
      latest_page_(std::make_shared<std::atomic<std::uint64_t>>(0)),
      latest_render_(std::make_shared<std::atomic<std::uint64_t>>(0)) {
  worker_ = std::make_unique<SearchWorker>(this, library_, latest_search_, latest_page_, latest_render_);
  worker_->moveToThread(&thread_);
  thread_.setObjectName("patchwise-search");
  thread_.start();
}

SearchController::~SearchController() {
  thread_.quit();
  thread_.wait();
  worker_.reset();  // its thread has stopped, so it is no longer in use
}

std::shared_ptr<models::Encoder> SearchController::encoder() const {
  const std::lock_guard lock(encoder_mutex_);
  return encoder_;
}

void SearchController::loadModel(const QString& spec, bool bfloat16_weights) {
  {
    const std::lock_guard lock(encoder_mutex_);
    encoder_.reset();
  }
  QMetaObject::invokeMethod(worker_.get(), [w = worker_.get(), spec, bfloat16_weights] { w->loadModel(spec, bfloat16_weights); }, Qt::QueuedConnection);
}

void SearchController::refreshModelStats() {
  QMetaObject::invokeMethod(
      worker_.get(), [w = worker_.get(), m = model_] { w->refreshStats(m); }, Qt::QueuedConnection);
}

void SearchController::loadEncoder(const QString& label, EncoderFactory make) {
  {
    const std::lock_guard lock(encoder_mutex_);
    encoder_.reset();
  }
  QMetaObject::invokeMethod(
      worker_.get(), [w = worker_.get(), label, make = std::move(make)] { w->loadEncoder(label, make); },
      Qt::QueuedConnection);
}

std::uint64_t SearchController::search(const QString& query, int k) {
  const std::uint64_t generation = ++search_generation_;
  latest_search_->store(generation);
  emit searchStarted(generation, query);
  QMetaObject::invokeMethod(
      worker_.get(), [w = worker_.get(), generation, query, k] { w->search(generation, query, k); },
      Qt::QueuedConnection);
  return generation;
}

std::uint64_t SearchController::openPage(const QString& query, const ResultItem& result, double dpi) {
  const std::uint64_t generation = ++page_generation_;
  latest_page_->store(generation);
  QMetaObject::invokeMethod(
      worker_.get(), [w = worker_.get(), generation, query, result, dpi] { w->openPage(generation, query, result, dpi); },
      Qt::QueuedConnection);
  return generation;
}

std::uint64_t SearchController::renderPage(const ResultItem& result, double dpi) {
  const std::uint64_t generation = ++render_generation_;
  latest_render_->store(generation);
  QMetaObject::invokeMethod(
      worker_.get(), [w = worker_.get(), generation, result, dpi] { w->renderPage(generation, result, dpi); },
      Qt::QueuedConnection);
  return generation;
}

void SearchController::deliverRender(std::uint64_t generation, std::int64_t page_id, double dpi, QImage image) {
  if (generation == render_generation_) emit pageRendered(page_id, dpi, image);
}

void SearchController::deliverResults(SearchResults r) {
  if (r.generation != search_generation_) {
    emit staleDropped(r.generation);
    return;
  }
  emit results(r);
}

void SearchController::deliverPage(PageDetails d) {
  if (d.generation != page_generation_) {
    emit staleDropped(d.generation);
    return;
  }
  emit pageReady(d);
}

void SearchController::deliverStats(ModelSummary m) {
  // Figures for a model replaced meanwhile are dropped.
  if (!encoder() || m.info.fingerprint != model_.info.fingerprint) return;
  model_ = m;
  emit modelLoaded(model_);
}

void SearchController::deliverModel(ModelSummary m, std::shared_ptr<models::Encoder> encoder) {
  {
    const std::lock_guard lock(encoder_mutex_);
    encoder_ = std::move(encoder);
  }
  model_ = m;
  emit modelLoaded(model_);
}

}  // namespace patchwise::gui
