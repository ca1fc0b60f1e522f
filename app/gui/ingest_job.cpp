#include "app/gui/ingest_job.h"

#include <QMetaObject>

#include "core/error.h"

namespace patchwise::gui {

IngestJob::IngestJob(std::filesystem::path library, std::shared_ptr<models::Encoder> encoder, QStringList inputs,
                     app::IngestOptions options, QObject* parent)
    : QObject(parent),
      library_(std::move(library)),
      encoder_(std::move(encoder)),
      inputs_(std::move(inputs)),
      options_(std::move(options)) {
  // The hooks run on the pipeline's writer thread; each hands a copy to the GUI thread. A job
  // destroyed first joins its thread, and Qt drops events queued for a deleted object.
  options_.on_progress = [this](const app::IngestProgress& p) {
    waitWhilePaused();
    QMetaObject::invokeMethod(this, [this, p] { emit progress(p); }, Qt::QueuedConnection);
  };
  options_.on_file = [this](const app::FileOutcome& o) {
    QMetaObject::invokeMethod(this, [this, o] { emit fileDone(o); }, Qt::QueuedConnection);
  };
  options_.cancel = &cancel_;
}

IngestJob::~IngestJob() {
  cancel();
  if (thread_.joinable()) thread_.join();
}

void IngestJob::start() {
  if (thread_.joinable()) return;
  running_ = true;
  thread_ = std::thread([this] { run(); });
}

void IngestJob::setPaused(bool paused) {
  {
    const std::lock_guard lock(pause_mutex_);
    if (paused_ == paused) return;
    paused_ = paused;
  }
  resume_.notify_all();
  emit pausedChanged(paused);
}

void IngestJob::cancel() {
  {
    const std::lock_guard lock(pause_mutex_);
    cancel_ = true;
  }
  resume_.notify_all();
}

void IngestJob::waitWhilePaused() {
  std::unique_lock lock(pause_mutex_);
  resume_.wait(lock, [this] { return !paused_ || cancel_; });
}

void IngestJob::run() {
  app::IngestSummary summary;
  QString error;
  try {
    storage::Library library(library_);
    std::vector<std::string> inputs;
    for (const auto& input : inputs_) inputs.push_back(input.toStdString());
    summary = app::ingest(library, *encoder_, inputs, options_);
  } catch (const std::exception& e) {  // patchwise::Error, or std::bad_alloc and the like
    error = QString::fromStdString(e.what());
  }
  QMetaObject::invokeMethod(
      this,
      [this, summary, error] {
        running_ = false;
        emit finished(summary, error);
      },
      Qt::QueuedConnection);
}

}  // namespace patchwise::gui
