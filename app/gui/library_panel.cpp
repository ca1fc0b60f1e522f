#include "app/gui/library_panel.h"

#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QMessageBox>
#include <QProgressBar>
#include <QPushButton>
#include <QTableWidget>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>
#include <set>

#include "app/gui/ingest_job.h"
#include "app/gui/search_controller.h"

namespace patchwise::gui {
namespace {

enum Column { kPath, kStatus, kPages, kError, kColumns };

std::vector<storage::DocumentRecord> list_documents(const std::filesystem::path& library, const std::string& fingerprint) {
  try {
    const storage::Library lib(library, {.create = false});
    return lib.documents(fingerprint);
  } catch (const std::exception&) {
    return {};  // no library yet: nothing to list
  }
}

QString eta_text(double seconds) {
  if (seconds < 0) return {};
  const int s = int(seconds + 0.5);
  return s >= 60 ? QObject::tr(", about %1 min left").arg((s + 30) / 60) : QObject::tr(", about %1 s left").arg(s);
}

}  // namespace

LibraryPanel::LibraryPanel(SearchController* search, QWidget* parent)
    : QWidget(parent),
      search_(search),
      table_(new QTableWidget(0, kColumns)),
      progress_(new QProgressBar),
      status_(new QLabel),
      add_folder_(new QPushButton(tr("Add folder…"))),
      add_files_(new QPushButton(tr("Add files…"))),
      remove_(new QPushButton(tr("Remove"))),
      pause_(new QPushButton(tr("Pause"))),
      cancel_(new QPushButton(tr("Cancel"))) {
  options_.render = {.dpi = 150, .max_pixels = 4'000'000};
  table_->setHorizontalHeaderLabels({tr("Document"), tr("Status"), tr("Pages"), tr("Error")});
  table_->horizontalHeader()->setSectionResizeMode(kPath, QHeaderView::Stretch);
  table_->horizontalHeader()->setSectionResizeMode(kError, QHeaderView::Stretch);
  table_->verticalHeader()->hide();
  table_->setEditTriggers(QAbstractItemView::NoEditTriggers);
  table_->setSelectionBehavior(QAbstractItemView::SelectRows);
  table_->setSelectionMode(QAbstractItemView::ExtendedSelection);
  remove_->setShortcut(QKeySequence::Delete);
  remove_->setToolTip(tr("Take the selected documents out of the library (files stay on disk)"));
  pause_->setCheckable(true);
  progress_->setTextVisible(true);

  auto* buttons = new QHBoxLayout;
  for (auto* b : {add_folder_, add_files_, remove_}) buttons->addWidget(b);
  buttons->addStretch(1);
  auto* progress_row = new QHBoxLayout;
  progress_row->addWidget(progress_, 1);
  progress_row->addWidget(pause_);
  progress_row->addWidget(cancel_);
  auto* layout = new QVBoxLayout(this);
  layout->addLayout(buttons);
  layout->addWidget(table_, 1);
  layout->addLayout(progress_row);
  layout->addWidget(status_);

  connect(add_folder_, &QPushButton::clicked, this, &LibraryPanel::chooseFolder);
  connect(add_files_, &QPushButton::clicked, this, &LibraryPanel::chooseFiles);
  connect(remove_, &QPushButton::clicked, this, &LibraryPanel::removeSelected);
  connect(pause_, &QPushButton::toggled, this, &LibraryPanel::setPaused);
  connect(cancel_, &QPushButton::clicked, this, &LibraryPanel::cancelIngestion);
  connect(table_, &QTableWidget::itemSelectionChanged, this, &LibraryPanel::updateButtons);
  connect(&listing_, &QFutureWatcher<std::vector<storage::DocumentRecord>>::finished, this, [this] {
    showDocuments(listing_.result());
    if (reload_again_) reload();
  });
  updateButtons();
}

LibraryPanel::~LibraryPanel() {
  job_.reset();  // cancels and waits for a running ingestion
  listing_.waitForFinished();
}

bool LibraryPanel::isIngesting() const { return job_ && job_->isRunning(); }

bool LibraryPanel::addInputs(const QStringList& inputs) {
  const auto encoder = search_->encoder();
  QString problem;
  if (!encoder) problem = tr("No model is loaded yet.");
  if (isIngesting()) problem = tr("An ingestion is already running; wait for it or cancel it.");
  if (inputs.isEmpty()) problem = tr("Nothing to add.");
  if (!problem.isEmpty()) {
    status_->setText(problem);
    emit statusMessage(problem);
    return false;
  }
  job_ = std::make_unique<IngestJob>(search_->libraryPath(), encoder, inputs, options_);
  connect(job_.get(), &IngestJob::progress, this, &LibraryPanel::onProgress);
  connect(job_.get(), &IngestJob::fileDone, this, [this](const app::FileOutcome&) { reload(); });
  connect(job_.get(), &IngestJob::finished, this, &LibraryPanel::onFinished);
  progress_->setRange(0, 0);  // busy until the first report
  status_->setText(tr("Looking for documents in %1…").arg(inputs.join(", ")));
  job_->start();
  updateButtons();
  emit ingestionStarted();
  return true;
}

void LibraryPanel::setPaused(bool paused) {
  if (!isIngesting()) return;
  job_->setPaused(paused);
  pause_->setChecked(paused);
  pause_->setText(paused ? tr("Resume") : tr("Pause"));
  status_->setText(paused ? tr("Paused (searching still works).") : tr("Resuming…"));
}

void LibraryPanel::cancelIngestion() {
  if (!isIngesting()) return;
  job_->cancel();
  status_->setText(tr("Cancelling: finishing the document being written…"));
}

void LibraryPanel::onProgress(const app::IngestProgress& p) {
  const std::int64_t total = std::max<std::int64_t>(p.pages_expected, p.pages_done);
  progress_->setRange(0, int(std::max<std::int64_t>(1, total)));
  progress_->setValue(int(p.pages_done));
  progress_->setFormat(tr("%1 of %2 files, %3 pages").arg(p.files_done).arg(p.files_total).arg(p.pages_done));
  if (job_ && job_->isPaused()) return;
  status_->setText(tr("%1 pages/s%2%3")
                       .arg(p.pages_per_second, 0, 'f', 1)
                       .arg(eta_text(p.eta_s))
                       .arg(p.current.empty() ? QString() : tr(" — last: %1").arg(QString::fromStdString(p.current))));
}

void LibraryPanel::onFinished(const app::IngestSummary& summary, const QString& error) {
  const auto& c = summary.counts;
  QString text;
  if (!error.isEmpty()) {
    text = tr("Ingestion failed: %1").arg(error);
  } else {
    text = tr("%1: %2 ingested, %3 unchanged, %4 failed, %5 pages encoded in %6 s.")
               .arg(summary.cancelled ? tr("Cancelled") : tr("Done"))
               .arg(c.files_ingested)
               .arg(c.files_skipped)
               .arg(c.files_failed)
               .arg(c.pages_encoded)
               .arg(summary.seconds, 0, 'f', 1);
  }
  progress_->setRange(0, 1);
  progress_->setValue(1);
  progress_->setFormat(summary.cancelled ? tr("cancelled") : tr("done"));
  status_->setText(text);
  pause_->setChecked(false);
  pause_->setText(tr("Pause"));
  updateButtons();
  reload();
  search_->refreshModelStats();
  emit statusMessage(text);
  emit ingestionFinished(summary, error);
}

void LibraryPanel::reload() {
  if (listing_.isRunning()) {
    reload_again_ = true;
    return;
  }
  reload_again_ = false;
  const std::string fingerprint = search_->model().info.fingerprint;
  listing_.setFuture(QtConcurrent::run(list_documents, search_->libraryPath(), fingerprint));
}

void LibraryPanel::showDocuments(const std::vector<storage::DocumentRecord>& documents) {
  std::set<QString> selected;
  for (const auto* item : table_->selectedItems()) {
    if (item->column() == kPath) selected.insert(item->data(Qt::UserRole).toString());
  }
  table_->setRowCount(int(documents.size()));
  for (int row = 0; row < int(documents.size()); ++row) {
    const auto& d = documents[row];
    const QString path = QString::fromStdString(d.file.path);
    const bool ready = d.status == storage::DocumentStatus::kReady;
    auto* name = new QTableWidgetItem(path);
    name->setData(Qt::UserRole, path);
    name->setToolTip(path);
    table_->setItem(row, kPath, name);
    table_->setItem(row, kStatus, new QTableWidgetItem(ready ? tr("ready") : tr("failed")));
    table_->setItem(row, kPages, new QTableWidgetItem(QString::number(d.page_count)));
    auto* error = new QTableWidgetItem(QString::fromStdString(d.error));
    error->setToolTip(error->text());
    table_->setItem(row, kError, error);
    if (!ready) table_->item(row, kStatus)->setForeground(QColor(190, 30, 30));
    if (selected.count(path)) table_->selectRow(row);
  }
  table_->resizeColumnToContents(kStatus);
  table_->resizeColumnToContents(kPages);
  updateButtons();
  emit documentsReloaded(int(documents.size()));
}

void LibraryPanel::removeDocuments(const QStringList& paths) {
  if (paths.isEmpty()) return;
  auto* watcher = new QFutureWatcher<int>(this);
  connect(watcher, &QFutureWatcher<int>::finished, this, [this, watcher] {
    status_->setText(tr("Removed %1 document(s).").arg(watcher->result()));
    watcher->deleteLater();
    reload();
    search_->refreshModelStats();
  });
  watcher->setFuture(QtConcurrent::run([library = search_->libraryPath(), paths] {
    int removed = 0;
    try {
      storage::Library lib(library, {.create = false});
      for (const auto& p : paths) removed += lib.remove_document(p.toStdString()) ? 1 : 0;
    } catch (const std::exception&) {  // the library went away: nothing left to remove
    }
    return removed;
  }));
}

void LibraryPanel::removeSelected() {
  QStringList paths;
  for (const auto* item : table_->selectedItems()) {
    if (item->column() == kPath) paths << item->data(Qt::UserRole).toString();
  }
  if (paths.isEmpty()) return;
  const auto answer = QMessageBox::question(
      this, tr("Remove documents"),
      tr("Remove %1 document(s) from the library? The files on disk are not touched.").arg(paths.size()));
  if (answer == QMessageBox::Yes) removeDocuments(paths);
}

void LibraryPanel::chooseFolder() {
  const QString folder = QFileDialog::getExistingDirectory(this, tr("Add a folder"), last_folder_);
  if (folder.isEmpty()) return;
  last_folder_ = folder;
  addInputs({folder});
}

void LibraryPanel::chooseFiles() {
  const QStringList files = QFileDialog::getOpenFileNames(
      this, tr("Add files"), last_folder_, tr("Documents (*.pdf *.png *.jpg *.jpeg *.tif *.tiff);;All files (*)"));
  if (files.isEmpty()) return;
  last_folder_ = QFileInfo(files.first()).absolutePath();
  addInputs(files);
}

void LibraryPanel::updateButtons() {
  const bool ingesting = isIngesting();
  pause_->setEnabled(ingesting);
  cancel_->setEnabled(ingesting);
  remove_->setEnabled(!table_->selectedItems().isEmpty());
}

}  // namespace patchwise::gui
