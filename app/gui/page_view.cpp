#include "app/gui/page_view.h"

#include <QMouseEvent>
#include <QPainter>
#include <QToolTip>
#include <QWheelEvent>
#include <algorithm>
#include <cmath>
#include <limits>

#include "app/gui/heat_palette.h"

namespace patchwise::gui {

PageView::PageView(QWidget* parent) : QWidget(parent) {
  setMouseTracking(true);
  setCursor(Qt::OpenHandCursor);
  setSizePolicy(QSizePolicy::Fixed, QSizePolicy::Fixed);
}

void PageView::setPage(const QImage& page, const core::PatchGrid& grid) {
  page_ = page;
  grid_ = grid;
  values_.assign(grid_.size(), std::numeric_limits<float>::quiet_NaN());
  hovered_ = -1;
  if (!page_.isNull()) zoom_ = std::min(1.0, 900.0 / page_.height());
  resize(sizeHint());
  updateGeometry();
  update();
}

void PageView::setCellValues(std::vector<float> values) {
  values.resize(grid_.size(), std::numeric_limits<float>::quiet_NaN());
  values_ = std::move(values);
  update();
}

void PageView::setOpacity(double opacity) {
  opacity_ = std::clamp(opacity, 0.0, 1.0);
  update();
}

void PageView::setZoom(double zoom) {
  zoom_ = std::clamp(zoom, 0.1, 8.0);
  resize(sizeHint());
  updateGeometry();
  update();
  emit zoomChanged(zoom_);
}

void PageView::replaceImage(const QImage& sharper) {
  if (page_.isNull() || sharper.isNull()) return;
  zoom_ *= double(page_.width()) / sharper.width();
  page_ = sharper;
  resize(sizeHint());
  updateGeometry();
  update();
}

void PageView::setTilesOnly(bool tiles_only) {
  tiles_only_ = tiles_only;
  update();
}

QSize PageView::sizeHint() const {
  if (page_.isNull()) return {400, 500};
  return {int(std::lround(page_.width() * zoom_)), int(std::lround(page_.height() * zoom_))};
}

bool PageView::isCellShown(std::size_t cell) const {
  if (cell >= grid_.size() || grid_.cells[cell].empty() || !std::isfinite(values_[cell])) return false;
  if (!tiles_only_) return true;
  const bool has_tiles = std::any_of(grid_.source.begin(), grid_.source.end(), [](auto s) { return s > 0; });
  return !has_tiles || grid_.source[cell] > 0;
}

QRectF PageView::cellRectIn(std::size_t cell, QSizeF size) const {
  const auto& r = grid_.cells[cell];
  return QRectF(r.x0 * size.width(), r.y0 * size.height(), (r.x1 - r.x0) * size.width(),
                (r.y1 - r.y0) * size.height());
}

QRectF PageView::cellRect(std::size_t cell) const { return cellRectIn(cell, size()); }

std::optional<std::size_t> PageView::cellAt(QPointF pos) const {
  std::optional<std::size_t> best;
  double best_area = std::numeric_limits<double>::max();
  for (std::size_t c = 0; c < grid_.size(); ++c) {
    if (!isCellShown(c)) continue;
    const QRectF r = cellRect(c);
    const double area = r.width() * r.height();
    if (r.contains(pos) && area < best_area) {
      best = c;
      best_area = area;
    }
  }
  return best;
}

std::optional<std::size_t> PageView::hottestCell() const {
  std::optional<std::size_t> best;
  for (std::size_t c = 0; c < grid_.size(); ++c) {
    if (isCellShown(c) && (!best || values_[c] > values_[*best])) best = c;
  }
  return best;
}

QImage PageView::renderOverlay(QSize size) const {
  QImage overlay(size, QImage::Format_ARGB32_Premultiplied);
  overlay.fill(Qt::transparent);
  float lo = std::numeric_limits<float>::max(), hi = std::numeric_limits<float>::lowest();
  for (std::size_t c = 0; c < grid_.size(); ++c) {
    if (!isCellShown(c)) continue;
    lo = std::min(lo, values_[c]);
    hi = std::max(hi, values_[c]);
  }
  QPainter painter(&overlay);
  // Colder cells first, so where cells overlap the hotter one ends up on top.
  std::vector<std::size_t> order;
  for (std::size_t c = 0; c < grid_.size(); ++c) {
    if (isCellShown(c)) order.push_back(c);
  }
  std::sort(order.begin(), order.end(), [&](auto a, auto b) { return values_[a] < values_[b]; });
  for (std::size_t c : order) {
    const double t = hi > lo ? (values_[c] - lo) / (hi - lo) : 1.0;
    painter.fillRect(cellRectIn(c, size), heat_color(t, opacity_));
  }
  return overlay;
}

void PageView::paintEvent(QPaintEvent*) {
  QPainter painter(this);
  if (page_.isNull()) {
    painter.drawText(rect(), Qt::AlignCenter, tr("No page"));
    return;
  }
  painter.setRenderHint(QPainter::SmoothPixmapTransform);
  painter.drawImage(rect(), page_);
  painter.drawImage(0, 0, renderOverlay(size()));
  if (const auto hot = hottestCell()) {
    painter.setPen(QPen(QColor(220, 20, 20), 2));
    painter.drawRect(cellRect(*hot));
  }
}

void PageView::mousePressEvent(QMouseEvent* event) {
  if (event->button() != Qt::LeftButton) return QWidget::mousePressEvent(event);
  drag_from_ = event->globalPosition().toPoint();
  setCursor(Qt::ClosedHandCursor);
}

void PageView::mouseReleaseEvent(QMouseEvent* event) {
  if (event->button() != Qt::LeftButton) return QWidget::mouseReleaseEvent(event);
  drag_from_.reset();
  setCursor(Qt::OpenHandCursor);
}

void PageView::mouseMoveEvent(QMouseEvent* event) {
  if (drag_from_ && (event->buttons() & Qt::LeftButton)) {
    const QPoint now = event->globalPosition().toPoint();
    emit panned(now - *drag_from_);
    drag_from_ = now;
  }
  const auto cell = cellAt(event->position());
  const int index = cell ? int(*cell) : -1;
  if (index == hovered_) return;
  hovered_ = index;
  if (cell) {
    const float value = values_[*cell];
    QToolTip::showText(event->globalPosition().toPoint(), tr("similarity %1").arg(value, 0, 'f', 3), this);
    emit cellHovered(index, value);
  } else {
    QToolTip::hideText();
    emit cellHovered(-1, 0.0f);
  }
}

void PageView::wheelEvent(QWheelEvent* event) {
  if (!(event->modifiers() & Qt::ControlModifier)) {
    event->ignore();  // plain wheel scrolls the surrounding scroll area
    return;
  }
  setZoom(zoom_ * (event->angleDelta().y() > 0 ? 1.25 : 0.8));
  event->accept();
}

}  // namespace patchwise::gui
