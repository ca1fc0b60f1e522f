#pragma once
// The opened result: which page it is, zoom buttons, "open the original", and the
// explanation view (the page with its similarity overlay, token chips and contributions).
#include <QWidget>

#include "app/gui/search_controller.h"

class QLabel;
class QPushButton;

namespace patchwise::gui {

class ExplanationView;

class PagePanel : public QWidget {
  Q_OBJECT

 public:
  explicit PagePanel(QWidget* parent = nullptr);

  void showLoading(const ResultItem& result);
  void showPage(const PageDetails& details);
  // The resolution to render pages at: the screen's, doubled so zooming in stays sharp.
  double renderDpi() const;

  ExplanationView* explanation() const { return view_; }
  const PageDetails& details() const { return details_; }
  QPushButton* openButton() const { return open_; }

 private:
  void openOriginal();

  QLabel* title_;
  QLabel* note_;
  QPushButton* open_;
  ExplanationView* view_;
  PageDetails details_;
};

}  // namespace patchwise::gui
