#pragma once
// The opened result: which page it is, zoom buttons, "open the original", and the
// explanation view (the page with its similarity overlay, token chips and contributions).
#include <QWidget>

#include "app/gui/search_controller.h"

class QLabel;
class QPushButton;
class QTimer;

namespace patchwise::gui {

class ExplanationView;

class PagePanel : public QWidget {
  Q_OBJECT

 public:
  explicit PagePanel(QWidget* parent = nullptr);

  void showLoading(const ResultItem& result);
  void showPage(const PageDetails& details);
  // A sharper rendering of the page shown (asked for with sharperPageWanted).
  void showSharperPage(std::int64_t page_id, double dpi, const QImage& image);
  // The resolution to render pages at: the screen's, doubled so zooming in stays sharp.
  double renderDpi() const;

  ExplanationView* explanation() const { return view_; }
  const PageDetails& details() const { return details_; }
  QPushButton* openButton() const { return open_; }
  double shownDpi() const { return shown_dpi_; }

 signals:
  // Zoomed in past the rendered pixels: the page at `dpi` would be sharp.
  void sharperPageWanted(const patchwise::gui::ResultItem& result, double dpi);

 private:
  void openOriginal();
  void zoomed(double zoom);

  QLabel* title_;
  QLabel* note_;
  QPushButton* open_;
  ExplanationView* view_;
  PageDetails details_;
  double shown_dpi_ = 0;   // of the image shown; 0 for a thumbnail (never rendered again)
  bool sharpest_ = false;  // rendering again did not add pixels (scans are never upscaled)
  QTimer* sharpen_;        // waits for zooming to settle
  double wanted_dpi_ = 0;
};

}  // namespace patchwise::gui
