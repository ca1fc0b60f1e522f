#pragma once
// The desktop app's window: a search field (Enter searches), the results as page thumbnails
// with document, page and score, the opened result with its "why this page" overlay, and the
// Library and Model tabs. Searching, rendering, model loading and ingestion all run on worker
// threads; the window only sends requests and shows answers.
#include <QMainWindow>
#include <vector>

#include "app/gui/gui_settings.h"
#include "app/gui/search_controller.h"

class QLabel;
class QLineEdit;
class QListWidget;
class QSplitter;
class QTabWidget;

namespace patchwise::gui {

class LibraryPanel;
class ModelPanel;
class PagePanel;

class MainWindow : public QMainWindow {
  Q_OBJECT

 public:
  // The library is `settings.library` (empty: the CLI's default file); the model
  // `settings.model` (empty: the bundled default) starts loading at once.
  explicit MainWindow(GuiSettings settings, QWidget* parent = nullptr);
  ~MainWindow() override;

  void search(const QString& query);
  void openResult(int row);
  GuiSettings currentSettings() const;

  SearchController* controller() const { return controller_; }
  QLineEdit* searchField() const { return search_field_; }
  QListWidget* results() const { return results_; }
  const SearchResults& shownResults() const { return shown_; }
  PagePanel* pagePanel() const { return page_panel_; }
  LibraryPanel* libraryPanel() const { return library_panel_; }
  ModelPanel* modelPanel() const { return model_panel_; }
  QTabWidget* tabs() const { return tabs_; }

 protected:
  void closeEvent(QCloseEvent* event) override;
  bool eventFilter(QObject* watched, QEvent* event) override;

 private:
  QWidget* buildSearchTab();
  void buildMenus();
  void requestModel(const QString& spec);
  void showResults(const SearchResults& results);
  void showModel(const ModelSummary& summary);

  GuiSettings settings_;
  SearchController* controller_;
  QLineEdit* search_field_;
  QLabel* search_status_;
  QListWidget* results_;
  QSplitter* splitter_;
  PagePanel* page_panel_;
  LibraryPanel* library_panel_;
  ModelPanel* model_panel_;
  QTabWidget* tabs_;
  QLabel* model_label_;
  SearchResults shown_;
  int opened_row_ = -1;
};

}  // namespace patchwise::gui
