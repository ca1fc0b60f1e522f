#include "app/gui/page_panel.h"

#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QScreen>
#include <QToolButton>
#include <QVBoxLayout>

#include "app/gui/explanation_view.h"
#include "app/gui/open_original.h"

namespace patchwise::gui {

PagePanel::PagePanel(QWidget* parent)
    : QWidget(parent), title_(new QLabel), note_(new QLabel), open_(new QPushButton(tr("Open original"))), view_(new ExplanationView) {
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
  view_->setExplanation(details.image, details.explanation.grid, details.explanation.explanation, details.tokens);
  view_->fitPage();
}

void PagePanel::openOriginal() {
  if (details_.result.path.isEmpty()) return;
  open_original(details_.result.path, details_.result.page);
}

}  // namespace patchwise::gui
