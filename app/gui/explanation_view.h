#pragma once
// "Why this page": the page with its similarity overlay, the query's tokens as selectable
// chips (one token, or the whole query = max over tokens), each token's contribution to the
// score, an opacity control, and the similarity under the pointer. Alt+Right / Alt+Left step
// through the chips.
#include <QImage>
#include <QStringList>
#include <QWidget>

#include "core/explanation.h"
#include "core/patch_grid.h"

class QAbstractButton;
class QButtonGroup;
class QHBoxLayout;
class QLabel;
class QScrollArea;
class QSlider;
class QTableWidget;

namespace patchwise::gui {

class PageView;

class ExplanationView : public QWidget {
  Q_OBJECT

 public:
  explicit ExplanationView(QWidget* parent = nullptr);

  // `tokens` labels the explanation's rows (one per query token).
  void setExplanation(const QImage& page, const core::PatchGrid& grid, const core::Explanation& explanation,
                      const QStringList& tokens);
  void selectToken(int token);  // -1: the whole query
  int selectedToken() const { return selected_; }
  void setOverlayOpacity(double opacity);  // 0..1
  double overlayOpacity() const;
  void zoomBy(double factor);
  void fitPage();  // the whole page in the visible area

  PageView* pageView() const { return page_view_; }
  QAbstractButton* chip(int token) const;  // -1: the "whole query" chip
  QTableWidget* contributions() const { return table_; }

 signals:
  void tokenSelected(int token);
  void opacityChanged(double opacity);
  void zoomChanged(double zoom);  // PageView's zoom: shown pixels per page-image pixel

 private:
  void rebuildChips(const QStringList& tokens);
  void fillContributions(const QStringList& tokens);
  std::vector<float> valuesFor(int token) const;

  PageView* page_view_;
  QScrollArea* page_scroll_;
  QWidget* chip_row_;
  QHBoxLayout* chip_layout_;
  QButtonGroup* chips_;
  QTableWidget* table_;
  QSlider* opacity_;
  QLabel* hover_label_;
  core::Explanation explanation_;
  int selected_ = -1;
};

}  // namespace patchwise::gui
