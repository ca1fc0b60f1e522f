// The desktop app end to end, as a user drives it: ingest a small folder through the Library
// panel (the CLI's pipeline, bundled lexical model), search from the field, open a result with
// the keyboard, switch token chips and check the overlay, write screenshots, and keep settings.
#include <QAbstractButton>
#include <QCheckBox>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QTableWidget>
#include <QtTest>
#include <algorithm>
#include <cmath>
#include <memory>

#include "app/gui/explanation_view.h"
#include "app/gui/gui_settings.h"
#include "app/gui/library_panel.h"
#include "app/gui/main_window.h"
#include "app/gui/model_panel.h"
#include "app/gui/open_original.h"
#include "app/gui/page_panel.h"
#include "app/gui/page_view.h"
#include "tests/gui/gui_test_support.h"

using namespace patchwise;
using patchwise::gui::MainWindow;

class MainWindowTest : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase() {
    dir_ = std::make_unique<test::TempDir>("patchwise-gui");
    qputenv("XDG_CONFIG_HOME", QByteArray::fromStdString((dir_->path() / "config").string()));
    qputenv("XDG_DATA_HOME", QByteArray::fromStdString((dir_->path() / "data").string()));
    gui_test::make_documents(docs(), {"report.pdf", "memo.pdf", "scan.png", "corrupt.pdf"});

    gui::GuiSettings settings;
    settings.library = QString::fromStdString((dir_->path() / "library.db").string());
    settings.model = QString::fromStdString(gui_test::lexical_model().string());
    window_ = std::make_unique<MainWindow>(settings);
    window_->resize(1280, 860);
    window_->show();
    QVERIFY(QTest::qWaitForWindowExposed(window_.get()));
    QTRY_VERIFY_WITH_TIMEOUT(window_->controller()->modelReady(), 15000);
    QCOMPARE(window_->controller()->model().info.family, std::string("patchwise-lexical"));
  }

  void ingestsAFolderThroughTheLibraryPanel() {
    auto* library = window_->libraryPanel();
    library->ingestOptions().render = {.dpi = 72, .max_pixels = 1'000'000};
    QSignalSpy finished(library, &gui::LibraryPanel::ingestionFinished);
    QVERIFY(library->addInputs({QString::fromStdString(docs().string())}));
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 15000);
    const auto summary = finished.at(0).at(0).value<app::IngestSummary>();
    QVERIFY2(finished.at(0).at(1).toString().isEmpty(), qPrintable(finished.at(0).at(1).toString()));
    QCOMPARE(summary.counts.files_ingested, 3);
    QCOMPARE(summary.counts.files_failed, 1);

    // Every document is listed with its status; the corrupt one with its error.
    QTRY_COMPARE(library->documents()->rowCount(), 4);
    bool corrupt_listed = false;
    for (int row = 0; row < 4; ++row) {
      if (!library->documents()->item(row, 0)->text().endsWith("corrupt.pdf")) continue;
      corrupt_listed = true;
      QCOMPARE(library->documents()->item(row, 1)->text(), QString("failed"));
      QVERIFY(!library->documents()->item(row, 3)->text().isEmpty());
    }
    QVERIFY(corrupt_listed);
    QTRY_VERIFY(window_->controller()->model().pages >= 5);  // the model tab's figures follow
    QVERIFY(window_->controller()->model().bytes_per_page > 0);
  }

  void enterInTheSearchFieldShowsRankedThumbnails() {
    QSignalSpy results(window_->controller(), &gui::SearchController::results);
    window_->searchField()->setFocus();
    QTest::keyClicks(window_->searchField(), "quarterly revenue");
    QTest::keyClick(window_->searchField(), Qt::Key_Return);
    QTRY_COMPARE_WITH_TIMEOUT(results.count(), 1, 10000);
    const auto& shown = window_->shownResults();
    QVERIFY2(shown.error.isEmpty(), qPrintable(shown.error));
    QVERIFY(!shown.items.empty());
    QVERIFY(shown.items[0].path.endsWith("report.pdf"));
    QCOMPARE(shown.items[0].page, 1);
    QVERIFY(!shown.items[0].thumbnail.isNull());
    QCOMPARE(window_->results()->count(), int(shown.items.size()));
    QVERIFY(window_->results()->item(0)->text().contains("report.pdf"));
    QVERIFY(window_->results()->item(0)->text().contains("page 1"));
    for (std::size_t i = 1; i < shown.items.size(); ++i) QVERIFY(shown.items[i - 1].score >= shown.items[i].score);
  }

  void downArrowOpensTheBestResult() {
    QSignalSpy pages(window_->controller(), &gui::SearchController::pageReady);
    QTest::keyClick(window_->searchField(), Qt::Key_Down);
    QTRY_COMPARE_WITH_TIMEOUT(pages.count(), 1, 10000);
    QCOMPARE(window_->results()->currentRow(), 0);
    const auto& d = window_->pagePanel()->details();
    QVERIFY2(d.error.isEmpty(), qPrintable(d.error));
    QVERIFY(d.note.isEmpty());  // rendered from the file, not the thumbnail
    QVERIFY(d.image.height() > 256);
    QCOMPARE(d.tokens.size(), int(d.explanation.explanation.tokens));
    QVERIFY(d.tokens.size() >= 2);
    QVERIFY(window_->pagePanel()->openButton()->isEnabled());
    // Keyboard: the next result opens with the right arrow, and back.
    if (window_->results()->count() > 1) {
      QTest::keyClick(window_->results(), Qt::Key_Right);
      QTRY_COMPARE_WITH_TIMEOUT(pages.count(), 2, 10000);
      QCOMPARE(window_->pagePanel()->details().result.page_id, window_->shownResults().items[1].page_id);
      QTest::keyClick(window_->results(), Qt::Key_Left);
      QTRY_COMPARE_WITH_TIMEOUT(pages.count(), 3, 10000);
      QCOMPARE(window_->pagePanel()->details().result.page_id, window_->shownResults().items[0].page_id);
    }
  }

  void everyResultOpens() {
    QSignalSpy pages(window_->controller(), &gui::SearchController::pageReady);
    const int count = window_->results()->count();
    for (int row = 1; row < count; ++row) {  // row 0 is open already
      window_->results()->setCurrentRow(row);
      QTRY_COMPARE_WITH_TIMEOUT(pages.count(), row, 10000);
      const auto& d = window_->pagePanel()->details();
      QCOMPARE(d.result.page_id, window_->shownResults().items[row].page_id);
      QVERIFY2(d.error.isEmpty(), qPrintable(d.error));
      QVERIFY(!d.image.isNull());
    }
    window_->results()->setCurrentRow(0);
    QTRY_COMPARE_WITH_TIMEOUT(pages.count(), count, 10000);
  }

  void tokenChipsPutTheHottestOverlayCellOnTheBestPatch() {
    auto* view = window_->pagePanel()->explanation();
    const auto& e = window_->pagePanel()->details().explanation;
    for (int t = -1; t < int(e.explanation.tokens); ++t) {
      QTest::mouseClick(view->chip(t), Qt::LeftButton);
      QCOMPARE(view->selectedToken(), t);
      const std::vector<float> heat = t < 0 ? e.heat() : e.heat(std::size_t(t));
      const auto* page = view->pageView();
      // The highest similarity for this token among the patches that have a place on the page.
      float best = -1e30f;
      for (std::size_t c = 0; c < heat.size(); ++c) {
        if (!e.grid.cells[c].empty() && std::isfinite(heat[c])) best = std::max(best, heat[c]);
      }
      const auto hottest = page->hottestCell();
      QVERIFY(hottest.has_value());
      QCOMPARE(heat[*hottest], best);
      // What is drawn: no shown cell is tinted more strongly than the hottest one.
      const QImage overlay = page->renderOverlay(page->size());
      const int hot_alpha = qAlpha(overlay.pixel(page->cellRect(*hottest).center().toPoint()));
      for (std::size_t c = 0; c < heat.size(); ++c) {
        if (page->isCellShown(c)) QVERIFY(qAlpha(overlay.pixel(page->cellRect(c).center().toPoint())) <= hot_alpha);
      }
    }
  }

  void zoomingInPastTheRenderedPixelsRendersThePageAgain() {
    auto* panel = window_->pagePanel();
    auto* page = panel->explanation()->pageView();
    const int rendered_width = page->page().width();
    const double rendered_dpi = panel->shownDpi();
    QVERIFY(rendered_dpi > 0);
    QSignalSpy rendered(window_->controller(), &gui::SearchController::pageRendered);
    while (page->zoom() * page->devicePixelRatioF() <= 1.5) panel->explanation()->zoomBy(1.25);
    const QSize shown = page->size();
    QTRY_COMPARE_WITH_TIMEOUT(rendered.count(), 1, 10000);
    QVERIFY(page->page().width() > rendered_width);
    QVERIFY(panel->shownDpi() > rendered_dpi);
    QVERIFY(std::abs(page->width() - shown.width()) <= 2);  // what is shown keeps its size
    QVERIFY(std::abs(page->height() - shown.height()) <= 2);
    QVERIFY(page->hottestCell().has_value());  // and its overlay
    panel->explanation()->fitPage();
  }

  void writesScreenshots() {
    auto* view = window_->pagePanel()->explanation();
    QTest::mouseClick(view->chip(1), Qt::LeftButton);  // "revenue"
    auto* page = view->pageView();
    QTest::qWait(50);  // let the scroll area place the page after the last zoom
    QTest::mouseMove(page, page->cellRect(page->hottestCell().value()).center().toPoint());  // the hover readout
    QTest::qWait(50);
    const QString dir = gui_test::screenshot_dir();
    QVERIFY(window_->grab().save(dir + "/main_window_results.png"));
    QVERIFY(window_->pagePanel()->grab().save(dir + "/page_view_token.png"));
    QVERIFY(QImage(dir + "/main_window_results.png").width() >= 1000);
    window_->tabs()->setCurrentWidget(window_->libraryPanel());
    QVERIFY(window_->grab().save(dir + "/library_tab.png"));
    window_->tabs()->setCurrentWidget(window_->modelPanel());
    QVERIFY(window_->grab().save(dir + "/model_tab.png"));
    window_->tabs()->setCurrentIndex(0);
  }

  void removingADocumentTakesItOutOfTheResults() {
    auto* library = window_->libraryPanel();
    library->removeDocuments({QString::fromStdString((docs() / "memo.pdf").string())});
    QTRY_COMPARE_WITH_TIMEOUT(library->documents()->rowCount(), 3, 5000);
    QSignalSpy results(window_->controller(), &gui::SearchController::results);
    window_->search("seating plan");
    QTRY_COMPARE_WITH_TIMEOUT(results.count(), 1, 10000);
    for (const auto& item : window_->shownResults().items) QVERIFY(!item.path.endsWith("memo.pdf"));
  }

  void aModelThatFailsToLoadIsReportedAndAnotherCanBeChosen() {
    QSignalSpy loaded(window_->controller(), &gui::SearchController::modelLoaded);
    emit window_->modelPanel()->modelRequested("/nonexistent/checkpoint");
    QTRY_COMPARE_WITH_TIMEOUT(loaded.count(), 1, 10000);
    QVERIFY(!window_->controller()->model().error.isEmpty());
    QVERIFY(!window_->controller()->modelReady());
    QCOMPARE(window_->tabs()->currentWidget(), static_cast<QWidget*>(window_->modelPanel()));
    QVERIFY(!window_->libraryPanel()->addInputs({QString::fromStdString(docs().string())}));  // no model, no ingest

    emit window_->modelPanel()->modelRequested(QString::fromStdString(gui_test::lexical_model().string()));
    QTRY_COMPARE_WITH_TIMEOUT(loaded.count(), 2, 10000);
    QVERIFY(window_->controller()->modelReady());
    QVERIFY(window_->controller()->model().pages > 0);  // the pages ingested before are found again
  }

  void withoutALibraryOptionTheCliLibraryIsUsed() {
    gui::GuiSettings settings;
    settings.model = QString::fromStdString(gui_test::lexical_model().string());
    MainWindow other(settings);
    QCOMPARE(other.controller()->libraryPath(), storage::default_library_path());
    QCOMPARE(other.controller()->libraryPath(), dir_->path() / "data" / "patchwise" / "library.db");
    QTRY_VERIFY_WITH_TIMEOUT(other.controller()->modelReady(), 10000);
  }

  void openOriginalPassesThePageToKnownViewers() {
    const auto evince = gui::viewer_command("org.gnome.Evince.desktop", "/d/a.pdf", 3);
    QVERIFY(evince.has_value());
    QCOMPARE(*evince, (QStringList{"evince", "--page-index=3", "/d/a.pdf"}));
    QCOMPARE(gui::viewer_command("okularApplication_pdf.desktop", "/d/a.pdf", 2).value(),
             (QStringList{"okular", "--page", "2", "/d/a.pdf"}));
    QCOMPARE(gui::viewer_command("org.pwmt.zathura.desktop", "/d/a.pdf", 5).value(),
             (QStringList{"zathura", "--page=5", "/d/a.pdf"}));
    QVERIFY(!gui::viewer_command("firefox.desktop", "/d/a.pdf", 2).has_value());
  }

  // The model tab's bfloat16 checkbox reloads the checkpoint with half-size weights: same
  // vector space (fingerprint), the precision shown, and the choice remembered.
  void theBfloat16CheckboxReloadsTheCheckpoint() {
    const QString fixture = QString(PATCHWISE_FIXTURES_DIR) + "/colidefics3";
    if (!QFileInfo::exists(fixture + "/config.json")) QSKIP("no ColIdefics3 fixture");
    gui::GuiSettings settings;
    settings.model = fixture;
    MainWindow other(settings);
    QTRY_VERIFY_WITH_TIMEOUT(other.controller()->modelReady(), 15000);
    const auto f32 = other.controller()->model().info;
    QCOMPARE(f32.dtype, std::string("float32"));

    QSignalSpy loaded(other.controller(), &gui::SearchController::modelLoaded);
    auto* box = other.modelPanel()->findChild<QCheckBox*>();
    QVERIFY(box && !box->isChecked());
    box->setChecked(true);
    QTRY_VERIFY_WITH_TIMEOUT(loaded.count() >= 1 && other.controller()->modelReady(), 15000);
    const auto bf16 = other.controller()->model().info;
    QVERIFY2(QString::fromStdString(bf16.dtype).startsWith("bfloat16"), bf16.dtype.c_str());
    QCOMPARE(bf16.fingerprint, f32.fingerprint);
    other.close();
    QVERIFY(gui::GuiSettings::load().bfloat16_weights);
  }

  void settingsArePersistedOnClose() {
    window_->pagePanel()->explanation()->setOverlayOpacity(0.35);
    window_->close();
    const auto saved = gui::GuiSettings::load();
    QCOMPARE(gui::GuiSettings::file_path(), QString::fromStdString((dir_->path() / "config" / "patchwise" /
                                                                     "patchwise-gui.conf").string()));
    QCOMPARE(saved.overlay_opacity, 0.35);
    QCOMPARE(saved.model, QString::fromStdString(gui_test::lexical_model().string()));
    QVERIFY(saved.library.endsWith("library.db"));
    QVERIFY(!saved.bfloat16_weights);
    QVERIFY(!saved.window_geometry.isEmpty());
  }

  void cleanupTestCase() {
    window_.reset();
    dir_.reset();
  }

 private:
  std::filesystem::path docs() const { return dir_->path() / "docs"; }

  std::unique_ptr<test::TempDir> dir_;
  std::unique_ptr<MainWindow> window_;
};

QTEST_MAIN(MainWindowTest)
#include "main_window_test.moc"
