// The page view's overlay must put its hottest tint on the patch with the highest similarity
// for the selected token (and for the whole query: the max over tokens).
#include <QAbstractButton>
#include <QDir>
#include <QTableWidget>
#include <QtTest>
#include <random>

#include "app/gui/explanation_view.h"
#include "app/gui/page_view.h"

using patchwise::gui::ExplanationView;
using patchwise::gui::PageView;

namespace {

// A 6 x 8 grid of patches over the page, plus a global cell (source 0) covering it all.
patchwise::core::PatchGrid make_grid() {
  patchwise::core::PatchGrid grid;
  grid.add({0, 0, 1, 1}, 0);
  for (int r = 0; r < 8; ++r) {
    for (int c = 0; c < 6; ++c) grid.add({c / 6.0f, r / 8.0f, (c + 1) / 6.0f, (r + 1) / 8.0f}, 1);
  }
  grid.add({}, 0);  // a prompt token: no rectangle
  return grid;
}

patchwise::core::Explanation make_explanation(std::size_t tokens, std::size_t patches, unsigned seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> u(-0.2f, 0.9f);
  patchwise::core::Explanation e;
  e.tokens = tokens;
  e.patches = patches;
  e.similarity.resize(tokens * patches);
  for (auto& v : e.similarity) v = u(rng);
  for (std::size_t t = 0; t < tokens; ++t) {
    std::size_t best = 0;
    for (std::size_t p = 0; p < patches; ++p) {
      if (e.at(t, p) > e.at(t, best)) best = p;
    }
    e.best_patch.push_back(best);
    e.contribution.push_back(e.at(t, best));
    e.score += e.contribution.back();
  }
  return e;
}

// The shown cells whose overlay pixels are the most opaque (several only when their values
// are within one alpha step of each other).
QSet<int> most_tinted_cells(const PageView& view) {
  const QImage overlay = view.renderOverlay(view.size());
  QSet<int> best;
  int best_alpha = -1;
  for (std::size_t c = 0; c < view.grid().size(); ++c) {
    if (!view.isCellShown(c)) continue;
    const int alpha = qAlpha(overlay.pixel(view.cellRect(c).center().toPoint()));
    if (alpha > best_alpha) best.clear();
    if (alpha >= best_alpha) {
      best_alpha = alpha;
      best.insert(int(c));
    }
  }
  return best;
}

// The tile patch (source >= 1) with the highest value for `token` (-1: max over tokens).
int expected_hottest(const patchwise::core::Explanation& e, const patchwise::core::PatchGrid& grid, int token) {
  int best = -1;
  float best_value = -1e9f;
  for (std::size_t p = 0; p < e.patches; ++p) {
    if (grid.source[p] == 0 || grid.cells[p].empty()) continue;
    float v = -1e9f;
    for (std::size_t t = 0; t < e.tokens; ++t) {
      if (token < 0 || std::size_t(token) == t) v = std::max(v, e.at(t, p));
    }
    if (v > best_value) {
      best_value = v;
      best = int(p);
    }
  }
  return best;
}

}  // namespace

class ExplanationViewTest : public QObject {
  Q_OBJECT

 private slots:
  void hottestOverlayCellFollowsTheSelectedTokenChip() {
    const auto grid = make_grid();
    const auto e = make_explanation(4, grid.size(), 11);
    QImage page(600, 800, QImage::Format_RGB32);
    page.fill(Qt::white);
    ExplanationView view;
    view.resize(1000, 900);
    view.setExplanation(page, grid, e, {"alpha", "beta", "gamma", "delta"});
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));

    QCOMPARE(view.selectedToken(), -1);
    QVERIFY(most_tinted_cells(*view.pageView()).contains(expected_hottest(e, grid, -1)));
    for (int t = 0; t < 4; ++t) {
      QTest::mouseClick(view.chip(t), Qt::LeftButton);
      QCOMPARE(view.selectedToken(), t);
      QVERIFY(view.chip(t)->isChecked());
      const int expected = expected_hottest(e, grid, t);
      const auto tinted = most_tinted_cells(*view.pageView());
      QVERIFY(tinted.contains(expected));
      QVERIFY(tinted.size() <= 2);
      QCOMPARE(view.pageView()->hottestCell().value(), std::size_t(expected));
    }
    QTest::mouseClick(view.chip(-1), Qt::LeftButton);
    QVERIFY(most_tinted_cells(*view.pageView()).contains(expected_hottest(e, grid, -1)));

    // The keyboard steps through the chips, wrapping around.
    QTest::keyClick(&view, Qt::Key_Right, Qt::AltModifier);
    QCOMPARE(view.selectedToken(), 0);
    QVERIFY(view.chip(0)->isChecked());
    QTest::keyClick(&view, Qt::Key_Left, Qt::AltModifier);
    QTest::keyClick(&view, Qt::Key_Left, Qt::AltModifier);
    QCOMPARE(view.selectedToken(), 3);
    QCOMPARE(view.pageView()->hottestCell().value(), std::size_t(expected_hottest(e, grid, 3)));
  }

  void contributionsListEachTokenAndSumToTheScore() {
    const auto grid = make_grid();
    const auto e = make_explanation(3, grid.size(), 5);
    ExplanationView view;
    view.setExplanation(QImage(300, 400, QImage::Format_RGB32), grid, e, {"a", "b", "c"});
    QCOMPARE(view.contributions()->rowCount(), 3);
    double sum = 0;
    for (int t = 0; t < 3; ++t) {
      QCOMPARE(view.contributions()->item(t, 0)->text(), QString(QChar('a' + t)));
      sum += view.contributions()->item(t, 1)->text().toDouble();
    }
    QVERIFY(std::abs(sum - e.score) < 0.01);
  }

  void hoverReportsTheCellUnderThePointer() {
    const auto grid = make_grid();
    const auto e = make_explanation(2, grid.size(), 3);
    PageView view;
    QImage page(600, 800, QImage::Format_RGB32);
    page.fill(Qt::white);
    view.setPage(page, grid);
    std::vector<float> values(e.similarity.begin(), e.similarity.begin() + grid.size());
    view.setCellValues(values);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    QSignalSpy spy(&view, &PageView::cellHovered);
    const std::size_t cell = 1 + 6 * 3 + 2;  // row 3, column 2
    QTest::mouseMove(&view, view.cellRect(cell).center().toPoint());
    QVERIFY(spy.count() >= 1);
    QCOMPARE(spy.last().at(0).toInt(), int(cell));
    QCOMPARE(spy.last().at(1).toFloat(), values[cell]);
    QVERIFY(!view.cellAt(QPointF(-5, -5)).has_value());
  }
};

QTEST_MAIN(ExplanationViewTest)
#include "explanation_view_test.moc"
