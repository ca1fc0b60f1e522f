#pragma once
// The library: add folders or files (the CLI's ingestion pipeline, in the background, with
// progress, pause and cancel), the documents with their status and errors, and removal.
// Lists and removals run on worker threads with their own library connections.
#include <QFutureWatcher>
#include <QStringList>
#include <QWidget>
#include <memory>
#include <vector>

#include "app/pipeline/ingest.h"
#include "storage/library.h"

class QLabel;
class QProgressBar;
class QPushButton;
class QTableWidget;

namespace patchwise::gui {

class IngestJob;
class SearchController;

class LibraryPanel : public QWidget {
  Q_OBJECT

 public:
  explicit LibraryPanel(SearchController* search, QWidget* parent = nullptr);
  ~LibraryPanel() override;

  // Ingests files and folders (folders recursively); false (with a message) when no model is
  // loaded yet or an ingestion is already running.
  bool addInputs(const QStringList& inputs);
  void setPaused(bool paused);
  void cancelIngestion();
  bool isIngesting() const;
  // Removes these library documents (paths as listed); the list refreshes afterwards.
  void removeDocuments(const QStringList& paths);
  void reload();
  // The file dialogs behind "Add folder…" and "Add files…".
  void chooseFolder();
  void chooseFiles();

  IngestJob* job() const { return job_.get(); }
  QTableWidget* documents() const { return table_; }
  QProgressBar* progressBar() const { return progress_; }
  // Render settings for ingestion. Default: the CLI's (150 dpi, 4 megapixels).
  app::IngestOptions& ingestOptions() { return options_; }
  QString lastFolder() const { return last_folder_; }
  void setLastFolder(const QString& folder) { last_folder_ = folder; }

 signals:
  void ingestionStarted();
  void ingestionFinished(const patchwise::app::IngestSummary& summary, const QString& error);
  void documentsReloaded(int count);
  void statusMessage(const QString& message);

 private:
  void removeSelected();
  void onProgress(const app::IngestProgress& p);
  void onFinished(const app::IngestSummary& summary, const QString& error);
  void showDocuments(const std::vector<storage::DocumentRecord>& documents);
  void updateButtons();

  SearchController* search_;
  app::IngestOptions options_;
  std::unique_ptr<IngestJob> job_;
  QFutureWatcher<std::vector<storage::DocumentRecord>> listing_;
  QTableWidget* table_;
  QProgressBar* progress_;
  QLabel* status_;
  QPushButton* add_folder_;
  QPushButton* add_files_;
  QPushButton* remove_;
  QPushButton* pause_;
  QPushButton* cancel_;
  QString last_folder_;
  bool reload_again_ = false;
};

}  // namespace patchwise::gui
