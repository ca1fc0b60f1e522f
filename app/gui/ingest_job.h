#pragma once
// One ingestion run of the CLI's pipeline (app::ingest) on a background thread, with pause
// and cancel, reporting to the GUI thread through queued calls. The job opens its own library
// connection (storage::Library is one connection per thread), so searches keep reading the
// library meanwhile (SQLite WAL).
//
// Pause: the pipeline calls its progress hook on its writer thread several times a second;
// while paused that hook blocks, so no document is written, the bounded queues fill, and the
// render and encoder threads stop on them (pages already in flight, at most two encoder
// batches, are encoded first). The encoder is not held while paused, so searching goes on.
#include <QObject>
#include <QStringList>
#include <atomic>
#include <condition_variable>
#include <filesystem>
#include <memory>
#include <mutex>
#include <thread>

#include "app/pipeline/ingest.h"

namespace patchwise::gui {

class IngestJob : public QObject {
  Q_OBJECT

 public:
  // `options`' callbacks and cancel flag are replaced by the job's own.
  IngestJob(std::filesystem::path library, std::shared_ptr<models::Encoder> encoder, QStringList inputs,
            app::IngestOptions options, QObject* parent = nullptr);
  ~IngestJob() override;  // cancels a running job and waits for it

  void start();
  void setPaused(bool paused);
  void cancel();
  bool isPaused() const { return paused_; }
  bool isRunning() const { return running_; }
  const QStringList& inputs() const { return inputs_; }

 signals:
  void progress(const patchwise::app::IngestProgress& progress);
  void fileDone(const patchwise::app::FileOutcome& outcome);
  void pausedChanged(bool paused);
  // `error` is empty unless the run failed as a whole (e.g. the library cannot be written).
  void finished(const patchwise::app::IngestSummary& summary, const QString& error);

 private:
  void run();
  void waitWhilePaused();

  const std::filesystem::path library_;
  const std::shared_ptr<models::Encoder> encoder_;
  const QStringList inputs_;
  app::IngestOptions options_;
  std::atomic<bool> cancel_{false};
  std::atomic<bool> paused_{false};
  std::atomic<bool> running_{false};
  std::mutex pause_mutex_;
  std::condition_variable resume_;
  std::thread thread_;
};

}  // namespace patchwise::gui
