#pragma once
// One page with a similarity overlay: each PatchGrid cell tinted by its value (hot = similar).
// Zoom with Ctrl+wheel or setZoom(); drag with the left button to pan (panned() tells the
// surrounding scroll area); hover a cell to see its similarity. The overlay is drawn
// from the same image renderOverlay() returns, so what tests check is what users see.
#include <QImage>
#include <QWidget>
#include <optional>
#include <vector>

#include "core/patch_grid.h"

namespace patchwise::gui {

class PageView : public QWidget {
  Q_OBJECT

 public:
  explicit PageView(QWidget* parent = nullptr);

  void setPage(const QImage& page, const core::PatchGrid& grid);
  // The same page with more pixels (rendered again for a higher zoom): what is shown keeps its
  // size and its overlay.
  void replaceImage(const QImage& sharper);
  // One value per grid cell (NaN: cell not shown). Colours span the shown values' min..max.
  void setCellValues(std::vector<float> values);
  void setOpacity(double opacity);  // 0..1; Default: 0.6
  void setZoom(double zoom);        // 1 = the page image's own pixel size; Default: fit to 900 px high
  double zoom() const { return zoom_; }
  // Which cells are drawn: when the grid has sub-image tiles (source >= 1) only those are,
  // since the global view's coarse cells cover the same content. Default: true.
  void setTilesOnly(bool tiles_only);

  const QImage& page() const { return page_; }
  const core::PatchGrid& grid() const { return grid_; }
  bool isCellShown(std::size_t cell) const;
  QRectF cellRect(std::size_t cell) const;         // in widget coordinates
  std::optional<std::size_t> cellAt(QPointF pos) const;  // the smallest shown cell under pos
  std::optional<std::size_t> hottestCell() const;
  QImage renderOverlay(QSize size) const;          // transparent except the tinted cells

  QSize sizeHint() const override;

 signals:
  void cellHovered(int cell, float value);  // cell -1: the pointer left every cell
  void panned(QPoint delta);                 // the page was dragged by delta (screen pixels)
  void zoomChanged(double zoom);

 protected:
  void paintEvent(QPaintEvent* event) override;
  void mouseMoveEvent(QMouseEvent* event) override;
  void mousePressEvent(QMouseEvent* event) override;
  void mouseReleaseEvent(QMouseEvent* event) override;
  void wheelEvent(QWheelEvent* event) override;

 private:
  QRectF cellRectIn(std::size_t cell, QSizeF size) const;

  QImage page_;
  core::PatchGrid grid_;
  std::vector<float> values_;
  double opacity_ = 0.6;
  double zoom_ = 1.0;
  bool tiles_only_ = true;
  int hovered_ = -1;
  std::optional<QPoint> drag_from_;  // global position of the last drag step
};

}  // namespace patchwise::gui
