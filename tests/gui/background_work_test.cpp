// The window never waits on work: ingestion runs beside a GUI thread that keeps processing
// events, can be paused and cancelled, searches keep working meanwhile, and a search answered
// after a newer one was started never replaces it. A slow fake encoder makes the work long
// enough to watch.
#include <QElapsedTimer>
#include <QTimer>
#include <QtTest>
#include <memory>

#include "app/gui/ingest_job.h"
#include "app/gui/library_panel.h"
#include "app/gui/search_controller.h"
#include "tests/gui/gui_test_support.h"

using namespace patchwise;
using namespace std::chrono_literals;

namespace {

// Records the longest pause between ticks of a 10 ms timer on the GUI thread.
class EventLoopWatch : public QObject {
 public:
  EventLoopWatch() {
    clock_.start();
    timer_.setInterval(10);
    connect(&timer_, &QTimer::timeout, this, [this] {
      longest_gap_ = std::max(longest_gap_, clock_.elapsed() - last_);
      last_ = clock_.elapsed();
      ++ticks_;
    });
    timer_.start();
  }
  qint64 longestGapMs() const { return longest_gap_; }
  int ticks() const { return ticks_; }

 private:
  QTimer timer_;
  QElapsedTimer clock_;
  qint64 last_ = 0;
  qint64 longest_gap_ = 0;
  int ticks_ = 0;
};

std::int64_t documents_in(const std::filesystem::path& library) {
  return std::int64_t(storage::Library(library, {.create = false}).documents().size());
}

}  // namespace

class BackgroundWorkTest : public QObject {
  Q_OBJECT

 private slots:
  void init() {
    dir_ = std::make_unique<test::TempDir>("patchwise-gui-bg");
    start_with_current_delays();
  }

  void cleanup() {
    panel_.reset();
    controller_.reset();
    dir_.reset();
    page_delay_ = 60ms;
    query_delay_ = 0ms;
  }

  void guiThreadKeepsProcessingEventsWhileIngesting() {
    gui_test::make_documents(docs(), {"report.pdf", "memo.pdf", "scan.png"}, 3);  // 18 pages
    QSignalSpy finished(panel_.get(), &gui::LibraryPanel::ingestionFinished);
    QElapsedTimer run;
    run.start();
    EventLoopWatch watch;
    QVERIFY(panel_->addInputs({QString::fromStdString(docs().string())}));
    QVERIFY(panel_->isIngesting());
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 15000);
    const qint64 took = run.elapsed();
    const auto summary = finished.at(0).at(0).value<app::IngestSummary>();
    QCOMPARE(summary.counts.pages_encoded, 18);
    QVERIFY2(took >= 18 * 60, qPrintable(QString("ingestion took only %1 ms").arg(took)));
    qInfo("ingestion %lld ms; longest pause between 10 ms timer ticks on the GUI thread %lld ms (%d ticks)", took,
          watch.longestGapMs(), watch.ticks());
    // The 10 ms timer kept firing: the GUI thread was never blocked for long.
    QVERIFY2(watch.longestGapMs() < 250, qPrintable(QString("GUI thread stalled %1 ms").arg(watch.longestGapMs())));
    QVERIFY2(watch.ticks() >= took / 40, qPrintable(QString("%1 ticks in %2 ms").arg(watch.ticks()).arg(took)));
  }

  void searchingKeepsWorkingDuringIngestion() {
    gui_test::make_documents(docs() / "first", {"memo.pdf"});
    ingestAndWait(docs() / "first");
    gui_test::make_documents(docs() / "more", {"report.pdf", "scan.png"}, 3);
    QVERIFY(panel_->addInputs({QString::fromStdString((docs() / "more").string())}));

    bool ingesting_when_answered = false;
    gui::SearchResults answer;
    connect(controller_.get(), &gui::SearchController::results, this, [&](const gui::SearchResults& r) {
      ingesting_when_answered = panel_->isIngesting();
      answer = r;
    });
    const auto generation = controller_->search("seating plan", 5);
    QTRY_COMPARE_WITH_TIMEOUT(answer.generation, generation, 5000);
    QVERIFY2(answer.error.isEmpty(), qPrintable(answer.error));
    QVERIFY(!answer.items.empty());
    QVERIFY(ingesting_when_answered);
    QTRY_VERIFY_WITH_TIMEOUT(!panel_->isIngesting(), 15000);
  }

  void pauseStopsWritingAndResumeFinishes() {
    gui_test::make_documents(docs(), {"report.pdf", "memo.pdf", "scan.png"}, 3);
    QSignalSpy finished(panel_.get(), &gui::LibraryPanel::ingestionFinished);
    QVERIFY(panel_->addInputs({QString::fromStdString(docs().string())}));
    QTRY_VERIFY_WITH_TIMEOUT(documents_in(library()) >= 1, 10000);
    panel_->setPaused(true);
    QVERIFY(panel_->job()->isPaused());
    QTest::qWait(600);  // pages already in flight are finished first
    const auto while_paused = documents_in(library());
    QTest::qWait(800);
    QCOMPARE(documents_in(library()), while_paused);
    QVERIFY(while_paused < 9);
    QVERIFY(panel_->isIngesting());

    // Searching works while paused (the encoder is not held).
    QSignalSpy results(controller_.get(), &gui::SearchController::results);
    controller_->search("anything", 3);
    QTRY_COMPARE_WITH_TIMEOUT(results.count(), 1, 3000);

    panel_->setPaused(false);
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 15000);
    const auto summary = finished.at(0).at(0).value<app::IngestSummary>();
    QVERIFY(!summary.cancelled);
    QCOMPARE(documents_in(library()), 9);
  }

  void cancelStopsSoonAndLeavesNoHalfDocument() {
    gui_test::make_documents(docs(), {"report.pdf", "memo.pdf", "scan.png"}, 3);
    QSignalSpy finished(panel_.get(), &gui::LibraryPanel::ingestionFinished);
    QVERIFY(panel_->addInputs({QString::fromStdString(docs().string())}));
    QTRY_VERIFY_WITH_TIMEOUT(documents_in(library()) >= 1, 10000);
    QElapsedTimer stop;
    stop.start();
    panel_->cancelIngestion();
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 5000);
    QVERIFY2(stop.elapsed() < 2000, qPrintable(QString("cancel took %1 ms").arg(stop.elapsed())));
    QVERIFY(finished.at(0).at(0).value<app::IngestSummary>().cancelled);
    QVERIFY(documents_in(library()) < 9);
    QVERIFY(storage::Library(library()).check().empty());
  }

  void aStaleSearchNeverReplacesANewerOne() {
    page_delay_ = 0ms;
    query_delay_ = 300ms;
    start_with_current_delays();
    gui_test::make_documents(docs(), {"report.pdf", "memo.pdf"});
    ingestAndWait(docs());

    QSignalSpy results(controller_.get(), &gui::SearchController::results);
    QSignalSpy dropped(controller_.get(), &gui::SearchController::staleDropped);
    const auto first = controller_->search("quarterly revenue", 5);
    QTRY_COMPARE_WITH_TIMEOUT(queries_started_->load(), 1, 5000);  // the worker is encoding the first query
    const auto second = controller_->search("seating plan", 5);
    QTRY_COMPARE_WITH_TIMEOUT(results.count(), 1, 5000);
    QCOMPARE(results.at(0).at(0).value<gui::SearchResults>().generation, second);
    QCOMPARE(results.at(0).at(0).value<gui::SearchResults>().query, QString("seating plan"));
    QTRY_COMPARE_WITH_TIMEOUT(dropped.count(), 1, 5000);
    QCOMPARE(dropped.at(0).at(0).value<std::uint64_t>(), first);

    // A burst of searches: only the last is answered.
    for (const char* q : {"a", "b", "c", "d"}) controller_->search(q, 5);
    const auto last = controller_->currentSearch();
    QTRY_COMPARE_WITH_TIMEOUT(results.count(), 2, 5000);
    QCOMPARE(results.at(1).at(0).value<gui::SearchResults>().generation, last);
    QTest::qWait(700);
    QCOMPARE(results.count(), 2);
  }

 private:
  std::filesystem::path library() const { return dir_->path() / "library.db"; }
  std::filesystem::path docs() const { return dir_->path() / "docs"; }

  // A controller whose model is the slow encoder with page_delay_ and query_delay_, and a
  // library panel on it.
  void start_with_current_delays() {
    panel_.reset();
    controller_.reset();
    queries_started_->store(0);
    controller_ = std::make_unique<gui::SearchController>(library());
    controller_->loadEncoder("slow pixel encoder", [this] {
      return std::make_unique<gui_test::SlowEncoder>(page_delay_, query_delay_, queries_started_);
    });
    QTRY_VERIFY_WITH_TIMEOUT(controller_->modelReady(), 10000);
    panel_ = std::make_unique<gui::LibraryPanel>(controller_.get());
    panel_->ingestOptions().render = {.dpi = 40, .max_pixels = 500'000};
    panel_->ingestOptions().render_threads = 1;
  }

  void ingestAndWait(const std::filesystem::path& folder) {
    QSignalSpy finished(panel_.get(), &gui::LibraryPanel::ingestionFinished);
    QVERIFY(panel_->addInputs({QString::fromStdString(folder.string())}));
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 15000);
  }

  std::unique_ptr<test::TempDir> dir_;
  std::unique_ptr<gui::SearchController> controller_;
  std::unique_ptr<gui::LibraryPanel> panel_;
  std::chrono::milliseconds page_delay_ = 60ms;
  std::chrono::milliseconds query_delay_ = 0ms;
  std::shared_ptr<std::atomic<int>> queries_started_ = std::make_shared<std::atomic<int>>(0);
};

QTEST_MAIN(BackgroundWorkTest)
#include "background_work_test.moc"
