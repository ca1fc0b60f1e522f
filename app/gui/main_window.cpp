#include "app/gui/main_window.h"

#include <QApplication>
#include <QCloseEvent>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QMenuBar>
#include <QMessageBox>
#include <QPainter>
#include <QShortcut>
#include <QSplitter>
#include <QStatusBar>
#include <QTabWidget>
#include <QVBoxLayout>

#include "app/cli/library_access.h"
#include "app/gui/explanation_view.h"
#include "app/gui/library_panel.h"
#include "app/gui/model_panel.h"
#include "app/gui/page_panel.h"

namespace patchwise::gui {
namespace {

std::filesystem::path library_file(const GuiSettings& settings) {
  app::GlobalOptions global;  // the CLI's rule: --library, else the XDG default
  global.library = settings.library.toStdString();
  return app::library_path(global);
}

constexpr QSize kThumbnail(120, 156);

QIcon thumbnail_icon(const QImage& image) {
  QPixmap canvas(kThumbnail);
  canvas.fill(Qt::transparent);
  if (!image.isNull()) {
    const QImage scaled = image.scaled(kThumbnail, Qt::KeepAspectRatio, Qt::SmoothTransformation);
    QPainter painter(&canvas);
    const QPoint at((kThumbnail.width() - scaled.width()) / 2, (kThumbnail.height() - scaled.height()) / 2);
    painter.drawImage(at, scaled);
    painter.setPen(QColor(160, 160, 160));
    painter.drawRect(QRect(at, scaled.size()).adjusted(0, 0, -1, -1));
  }
  QIcon icon(canvas);
  icon.addPixmap(canvas, QIcon::Selected);  // the selection frame shows it; the page stays untinted
  return icon;
}

}  // namespace

MainWindow::MainWindow(GuiSettings settings, QWidget* parent)
    : QMainWindow(parent),
      settings_(std::move(settings)),
      controller_(new SearchController(library_file(settings_), this)),
      search_field_(new QLineEdit),
      search_status_(new QLabel),
      results_(new QListWidget),
      splitter_(new QSplitter),
      page_panel_(new PagePanel),
      library_panel_(new LibraryPanel(controller_)),
      model_panel_(new ModelPanel),
      tabs_(new QTabWidget),
      model_label_(new QLabel) {
  setWindowTitle(tr("Patchwise"));
  setWindowIcon(QIcon::fromTheme("patchwise-gui"));
  tabs_->addTab(buildSearchTab(), tr("&Search"));
  tabs_->addTab(library_panel_, tr("&Library"));
  tabs_->addTab(model_panel_, tr("&Model"));
  setCentralWidget(tabs_);
  statusBar()->addPermanentWidget(model_label_);
  buildMenus();

  page_panel_->explanation()->setOverlayOpacity(settings_.overlay_opacity);
  library_panel_->setLastFolder(settings_.last_folder);
  if (!settings_.window_geometry.isEmpty()) restoreGeometry(settings_.window_geometry);
  else resize(1280, 860);
  if (!settings_.splitter_state.isEmpty()) splitter_->restoreState(settings_.splitter_state);

  connect(controller_, &SearchController::results, this, &MainWindow::showResults);
  connect(controller_, &SearchController::pageReady, page_panel_, &PagePanel::showPage);
  connect(controller_, &SearchController::pageRendered, page_panel_, &PagePanel::showSharperPage);
  connect(page_panel_, &PagePanel::sharperPageWanted, controller_, &SearchController::renderPage);
  connect(controller_, &SearchController::modelLoaded, this, &MainWindow::showModel);
  connect(model_panel_, &ModelPanel::modelRequested, this, &MainWindow::requestModel);
  model_panel_->setBfloat16Weights(settings_.bfloat16_weights);
  connect(model_panel_, &ModelPanel::bfloat16WeightsRequested, this, [this](bool on) {
    settings_.bfloat16_weights = on;
    requestModel(settings_.model);
  });
  connect(library_panel_, &LibraryPanel::statusMessage, this, [this](const QString& m) { statusBar()->showMessage(m, 8000); });
  connect(library_panel_, &LibraryPanel::ingestionStarted, this, [this] { model_panel_->setChangesAllowed(false); });
  connect(library_panel_, &LibraryPanel::ingestionFinished, this, [this] { model_panel_->setChangesAllowed(true); });

  requestModel(settings_.model);
  library_panel_->reload();
}

MainWindow::~MainWindow() = default;

QWidget* MainWindow::buildSearchTab() {
  search_field_->setPlaceholderText(tr("Search the library's pages — Enter to search, ↓ to the results"));
  search_field_->setClearButtonEnabled(true);
  search_field_->installEventFilter(this);
  connect(search_field_, &QLineEdit::returnPressed, this, [this] { search(search_field_->text()); });

  results_->setViewMode(QListView::IconMode);
  results_->setIconSize(kThumbnail);
  results_->setGridSize(QSize(kThumbnail.width() + 40, kThumbnail.height() + 54));
  results_->setResizeMode(QListView::Adjust);
  results_->setMovement(QListView::Static);
  results_->setWordWrap(true);
  results_->setUniformItemSizes(true);
  results_->setSelectionMode(QAbstractItemView::SingleSelection);
  results_->installEventFilter(this);
  results_->setMinimumWidth(2 * results_->gridSize().width() + 30);  // two columns of pages
  connect(results_, &QListWidget::currentRowChanged, this, &MainWindow::openResult);
  connect(results_, &QListWidget::itemActivated, this, [this](QListWidgetItem* item) {
    openResult(results_->row(item));
    page_panel_->explanation()->setFocus();
  });

  auto* left = new QWidget;
  auto* left_layout = new QVBoxLayout(left);
  left_layout->setContentsMargins(0, 0, 0, 0);
  left_layout->addWidget(search_status_);
  left_layout->addWidget(results_, 1);
  splitter_->addWidget(left);
  splitter_->addWidget(page_panel_);
  splitter_->setStretchFactor(0, 2);
  splitter_->setStretchFactor(1, 3);

  auto* tab = new QWidget;
  auto* layout = new QVBoxLayout(tab);
  layout->addWidget(search_field_);
  layout->addWidget(splitter_, 1);
  return tab;
}

void MainWindow::buildMenus() {
  auto* file = menuBar()->addMenu(tr("&File"));
  file->addAction(tr("Add &folder…"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_O), this, [this] {
    tabs_->setCurrentWidget(library_panel_);
    library_panel_->chooseFolder();
  });
  file->addAction(tr("Add f&iles…"), QKeySequence::Open, this, [this] {
    tabs_->setCurrentWidget(library_panel_);
    library_panel_->chooseFiles();
  });
  file->addSeparator();
  file->addAction(tr("&Quit"), QKeySequence::Quit, this, &QWidget::close);
  auto* focus_search = new QShortcut(QKeySequence(Qt::CTRL | Qt::Key_L), this);
  connect(focus_search, &QShortcut::activated, this, [this] {
    tabs_->setCurrentIndex(0);
    search_field_->setFocus();
    search_field_->selectAll();
  });
  auto* find = new QShortcut(QKeySequence::Find, this);
  connect(find, &QShortcut::activated, focus_search, &QShortcut::activated);
}

void MainWindow::requestModel(const QString& spec) {
  if (library_panel_->isIngesting()) {
    QMessageBox::information(this, tr("Model"), tr("Wait for the ingestion to finish (or cancel it) first."));
    return;
  }
  settings_.model = spec;
  model_panel_->showLoading(spec);
  model_label_->setText(tr("loading model…"));
  controller_->loadModel(spec, settings_.bfloat16_weights);
}

void MainWindow::showModel(const ModelSummary& summary) {
  model_panel_->showModel(summary);
  if (!summary.error.isEmpty()) {
    model_label_->setText(tr("no model"));
    statusBar()->showMessage(tr("Model not loaded: %1").arg(summary.error));
    tabs_->setCurrentWidget(model_panel_);  // where another one can be chosen
    return;
  }
  model_label_->setText(tr("%1 · %2-d · %3 pages")
                            .arg(QString::fromStdString(summary.info.name))
                            .arg(summary.info.dim)
                            .arg(summary.pages));
  library_panel_->reload();
}

void MainWindow::search(const QString& query) {
  const QString q = query.trimmed();
  if (q.isEmpty()) return;
  tabs_->setCurrentIndex(0);
  search_status_->setText(tr("Searching for “%1”…").arg(q));
  controller_->search(q, settings_.result_count);
}

void MainWindow::showResults(const SearchResults& r) {
  shown_ = r;
  opened_row_ = -1;
  const QSignalBlocker block(results_);
  results_->clear();
  if (!r.error.isEmpty()) {
    search_status_->setText(tr("Search failed: %1").arg(r.error));
    return;
  }
  search_status_->setText(r.items.empty() ? tr("No pages match “%1” (is the library empty?)").arg(r.query)
                                          : tr("%1 pages for “%2”").arg(r.items.size()).arg(r.query));
  for (const auto& item : r.items) {
    const QString name = QFileInfo(item.path).fileName();
    auto* entry = new QListWidgetItem(thumbnail_icon(item.thumbnail),
                                      tr("%1\npage %2 · %3").arg(name).arg(item.page).arg(item.score, 0, 'f', 3));
    entry->setToolTip(tr("%1, page %2, score %3").arg(item.path).arg(item.page).arg(item.score, 0, 'f', 4));
    results_->addItem(entry);
  }
}

void MainWindow::openResult(int row) {
  if (row < 0 || row >= int(shown_.items.size()) || row == opened_row_) return;
  opened_row_ = row;
  if (results_->currentRow() != row) {
    const QSignalBlocker block(results_);
    results_->setCurrentRow(row);
  }
  page_panel_->showLoading(shown_.items[row]);
  controller_->openPage(shown_.query, shown_.items[row], page_panel_->renderDpi());
}

bool MainWindow::eventFilter(QObject* watched, QEvent* event) {
  if (event->type() != QEvent::KeyPress) return QMainWindow::eventFilter(watched, event);
  const int key = static_cast<QKeyEvent*>(event)->key();
  if (watched == search_field_ && key == Qt::Key_Down && results_->count() > 0) {
    results_->setFocus();
    if (results_->currentRow() < 0) results_->setCurrentRow(0);
    return true;
  }
  if (watched == results_ && key == Qt::Key_Escape) {
    search_field_->setFocus();
    return true;
  }
  return QMainWindow::eventFilter(watched, event);
}

GuiSettings MainWindow::currentSettings() const {
  GuiSettings s = settings_;
  s.overlay_opacity = page_panel_->explanation()->overlayOpacity();
  s.last_folder = library_panel_->lastFolder();
  s.window_geometry = saveGeometry();
  s.splitter_state = splitter_->saveState();
  return s;
}

void MainWindow::closeEvent(QCloseEvent* event) {
  currentSettings().save();
  QMainWindow::closeEvent(event);
}

}  // namespace patchwise::gui
