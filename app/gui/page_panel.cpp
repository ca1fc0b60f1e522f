#include "app/gui/page_panel.h"

#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QScreen>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>
#include <algorithm>

#include "app/gui/explanation_view.h"
#include "app/gui/open_original.h"
#include "app/gui/page_view.h"

namespace patchwise::gui {

PagePanel::PagePanel(QWidget* parent)
    : QWidget(parent),
      title_(new QLabel),
      note_(new QLabel),
      open_(new QPushButton(tr("Open original"))),
      view_(new ExplanationView),
      sharpen_(new QTimer(this)) {
  sharpen_->setSingleShot(true);
  sharpen_->setInterval(250);
  connect(sharpen_, &QTimer::timeout, this, [this] { emit sharperPageWanted(details_.result, wanted_dpi_); });
  connect(view_, &ExplanationView::zoomChanged, this, &PagePanel::zoomed);
  title_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  note_->setWordWrap(true);
  note_->hide();
  open_->setEnabled(false);
  open_->setToolTip(tr("Open the file at this page in the system's viewer"));

  auto tool = [this](const QString& text, const QString& tip, QKeySequence key, auto action) {
    auto* button = new QToolButton;
    button->setText(text);
    button->setToolTip(tip + " (" + key.toString(QKeySequence::NativeText) + ")");
    button->setShortcut(key);
    connect(button, &QToolButton::clicked, this, action);
    return button;
  };
  auto* top = new QHBoxLayout;
  top->addWidget(title_, 1);
  top->addWidget(tool("−", tr("Zoom out"), QKeySequence::ZoomOut, [this] { view_->zoomBy(0.8); }));
  top->addWidget(tool(tr("Fit"), tr("Fit the page"), QKeySequence(Qt::CTRL | Qt::Key_0), [this] { view_->fitPage(); }));
  top->addWidget(tool("+", tr("Zoom in"), QKeySequence::ZoomIn, [this] { view_->zoomBy(1.25); }));
  top->addWidget(open_);

  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addLayout(top);
  layout->addWidget(note_);
  layout->addWidget(view_, 1);
  title_->setText(tr("Open a result to see why it matches."));

  connect(open_, &QPushButton::clicked, this, &PagePanel::openOriginal);
}

double PagePanel::renderDpi() const {
  const QScreen* s = screen();
  const double dpi = s ? s->logicalDotsPerInch() * s->devicePixelRatio() : 96.0;
  return 2 * dpi;
}

void PagePanel::showLoading(const ResultItem& result) {
  title_->setText(tr("%1 — page %2 — loading…").arg(QFileInfo(result.path).fileName()).arg(result.page));
}

void PagePanel::showPage(const PageDetails& details) {
  details_ = details;
  const QString name = QFileInfo(details.result.path).fileName();
  if (!details.error.isEmpty()) {
    title_->setText(tr("%1 — page %2").arg(name).arg(details.result.page));
    note_->setText(details.error);
    note_->show();
    open_->setEnabled(false);
    return;
  }
  title_->setText(tr("<b>%1</b> — page %2 — score %3 — “%4”")
                      .arg(name.toHtmlEscaped())
                      .arg(details.result.page)
                      .arg(details.result.score, 0, 'f', 3)
                      .arg(details.query.toHtmlEscaped()));
  title_->setToolTip(details.result.path);
  note_->setText(details.note);
  note_->setVisible(!details.note.isEmpty());
  open_->setEnabled(true);
  sharpen_->stop();
  shown_dpi_ = details.dpi;
  sharpest_ = false;
  view_->setExplanation(details.image, details.explanation.grid, details.explanation.explanation, details.tokens);
  view_->fitPage();
}

// Pages are rendered at twice the screen's resolution; zoomed in further, one page pixel
// would cover several screen pixels, so the page is rendered again at the zoom's resolution.
void PagePanel::zoomed(double zoom) {
  const double scale = zoom * devicePixelRatioF();  // screen pixels per image pixel
  if (shown_dpi_ <= 0 || sharpest_ || scale <= 1.05) return;
  wanted_dpi_ = std::min(shown_dpi_ * scale, 1200.0);
  sharpen_->start();
}

void PagePanel::showSharperPage(std::int64_t page_id, double dpi, const QImage& image) {
  if (page_id != details_.result.page_id || image.isNull() || shown_dpi_ <= 0) return;
  if (image.width() <= view_->pageView()->page().width()) {
    sharpest_ = true;  // the budget or the scan's own pixels are the limit
    return;
  }
  shown_dpi_ = dpi;
  view_->pageView()->replaceImage(image);
}

void PagePanel::openOriginal() {
  if (details_.result.path.isEmpty()) return;
  open_original(details_.result.path, details_.result.page);
}

}  // namespace patchwise::gui
