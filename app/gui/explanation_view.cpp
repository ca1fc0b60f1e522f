#include "app/gui/explanation_view.h"

#include <QButtonGroup>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QScrollArea>
#include <QScrollBar>
#include <QShortcut>
#include <QSlider>
#include <QSplitter>
#include <QTableWidget>
#include <QToolButton>
#include <QVBoxLayout>
#include <algorithm>
#include <cmath>
#include <limits>

#include "app/gui/page_view.h"

namespace patchwise::gui {

ExplanationView::ExplanationView(QWidget* parent)
    : QWidget(parent),
      page_view_(new PageView),
      page_scroll_(new QScrollArea),
      chip_row_(new QWidget),
      chip_layout_(new QHBoxLayout(chip_row_)),
      chips_(new QButtonGroup(this)),
      table_(new QTableWidget(0, 3)),
      opacity_(new QSlider(Qt::Horizontal)),
      hover_label_(new QLabel) {
  chips_->setExclusive(true);
  chip_layout_->setContentsMargins(0, 0, 0, 0);
  chip_layout_->addStretch(1);  // chips line up on the left, inserted before this
  // Chips look like chips: rounded, and the selected one filled with the overlay's hot colour.
  chip_row_->setStyleSheet(
      "QToolButton { border: 1px solid #9a9a9a; border-radius: 10px; padding: 2px 10px; background: #f4f4f4; }"
      "QToolButton:hover { border-color: #505050; }"
      "QToolButton:checked { background: #d81e1e; color: white; border-color: #a01010; font-weight: bold; }");
  auto* chip_scroll = new QScrollArea;
  chip_scroll->setWidget(chip_row_);
  chip_scroll->setWidgetResizable(true);
  chip_scroll->setFixedHeight(40);
  chip_scroll->setFrameShape(QFrame::NoFrame);

  page_scroll_->setWidget(page_view_);
  page_scroll_->setAlignment(Qt::AlignCenter);

  table_->setHorizontalHeaderLabels({tr("Token"), tr("Contribution"), tr("Share")});
  table_->horizontalHeader()->setSectionResizeMode(0, QHeaderView::Stretch);
  table_->horizontalHeader()->setSectionResizeMode(1, QHeaderView::ResizeToContents);
  table_->horizontalHeader()->setSectionResizeMode(2, QHeaderView::ResizeToContents);
  table_->setMinimumWidth(260);
  table_->setToolTip(tr("Each query token's best similarity on this page; the score is their sum"));
  table_->verticalHeader()->hide();
  table_->setEditTriggers(QAbstractItemView::NoEditTriggers);
  table_->setSelectionBehavior(QAbstractItemView::SelectRows);
  table_->setSelectionMode(QAbstractItemView::SingleSelection);

  auto* splitter = new QSplitter;
  splitter->addWidget(page_scroll_);
  auto* why = new QWidget;
  auto* why_layout = new QVBoxLayout(why);
  why_layout->setContentsMargins(0, 0, 0, 0);
  why_layout->addWidget(new QLabel(tr("<b>Why this page</b> — each token's best match")));
  why_layout->addWidget(table_, 1);
  splitter->addWidget(why);
  splitter->setStretchFactor(0, 3);
  splitter->setStretchFactor(1, 1);

  opacity_->setRange(0, 100);
  opacity_->setValue(60);
  auto* bottom = new QHBoxLayout;
  bottom->addWidget(new QLabel(tr("Overlay opacity")));
  bottom->addWidget(opacity_, 1);
  bottom->addWidget(hover_label_, 1);

  auto* layout = new QVBoxLayout(this);
  layout->addWidget(chip_scroll);
  layout->addWidget(splitter, 1);
  layout->addLayout(bottom);

  connect(opacity_, &QSlider::valueChanged, this, [this](int v) {
    page_view_->setOpacity(v / 100.0);
    emit opacityChanged(v / 100.0);
  });
  // Keyboard: Alt+Right / Alt+Left step through the chips (whole query, then each token).
  auto step = [this](int by) {
    const int chips = int(explanation_.tokens) + 1;
    selectToken((selected_ + 1 + by + chips) % chips - 1);
  };
  auto* next = new QShortcut(QKeySequence(Qt::ALT | Qt::Key_Right), this);
  auto* previous = new QShortcut(QKeySequence(Qt::ALT | Qt::Key_Left), this);
  for (auto* s : {next, previous}) s->setContext(Qt::WindowShortcut);
  connect(next, &QShortcut::activated, this, [step] { step(1); });
  connect(previous, &QShortcut::activated, this, [step] { step(-1); });
  connect(page_view_, &PageView::zoomChanged, this, &ExplanationView::zoomChanged);
  connect(page_view_, &PageView::panned, this, [this](QPoint delta) {
    page_scroll_->horizontalScrollBar()->setValue(page_scroll_->horizontalScrollBar()->value() - delta.x());
    page_scroll_->verticalScrollBar()->setValue(page_scroll_->verticalScrollBar()->value() - delta.y());
  });
  // QButtonGroup treats id -1 as "assign one", so chip ids are token + 1 (0: whole query).
  connect(chips_, &QButtonGroup::idClicked, this, [this](int id) { selectToken(id - 1); });
  connect(table_, &QTableWidget::cellClicked, this, [this](int row, int) { selectToken(row); });
  connect(page_view_, &PageView::cellHovered, this, [this](int cell, float value) {
    hover_label_->setText(cell < 0 ? QString() : tr("patch %1: similarity %2").arg(cell).arg(value, 0, 'f', 3));
  });
}

void ExplanationView::setExplanation(const QImage& page, const core::PatchGrid& grid,
                                     const core::Explanation& explanation, const QStringList& tokens) {
  explanation_ = explanation;
  page_view_->setPage(page, grid);
  rebuildChips(tokens);
  fillContributions(tokens);
  selectToken(-1);
}

void ExplanationView::rebuildChips(const QStringList& tokens) {
  for (auto* button : chips_->buttons()) {
    chips_->removeButton(button);
    delete button;
  }
  auto add_chip = [this](const QString& text, int id) {
    auto* chip = new QToolButton;
    chip->setText(text);
    chip->setCheckable(true);
    chip->setAutoRaise(true);
    chips_->addButton(chip, id + 1);
    chip_layout_->insertWidget(chip_layout_->count() - 1, chip);
  };
  add_chip(tr("Whole query"), -1);
  for (int t = 0; t < int(explanation_.tokens); ++t) add_chip(t < tokens.size() ? tokens[t] : QString("#%1").arg(t), t);
}

void ExplanationView::fillContributions(const QStringList& tokens) {
  table_->setRowCount(int(explanation_.tokens));
  for (int t = 0; t < int(explanation_.tokens); ++t) {
    const float c = explanation_.contribution[t];
    const double share = explanation_.score != 0 ? 100.0 * c / explanation_.score : 0.0;
    table_->setItem(t, 0, new QTableWidgetItem(t < tokens.size() ? tokens[t] : QString("#%1").arg(t)));
    table_->setItem(t, 1, new QTableWidgetItem(QString::number(c, 'f', 3)));
    table_->setItem(t, 2, new QTableWidgetItem(QString::number(share, 'f', 1) + " %"));
  }
}

std::vector<float> ExplanationView::valuesFor(int token) const {
  const auto& e = explanation_;
  std::vector<float> values(e.patches, std::numeric_limits<float>::lowest());
  for (std::size_t t = 0; t < e.tokens; ++t) {
    if (token >= 0 && std::size_t(token) != t) continue;
    for (std::size_t p = 0; p < e.patches; ++p) values[p] = std::max(values[p], e.at(t, p));
  }
  return values;
}

void ExplanationView::selectToken(int token) {
  if (token < -1 || token >= int(explanation_.tokens)) token = -1;
  selected_ = token;
  if (auto* c = chip(token)) c->setChecked(true);
  page_view_->setCellValues(valuesFor(token));
  emit tokenSelected(token);
}

void ExplanationView::setOverlayOpacity(double opacity) { opacity_->setValue(int(std::lround(opacity * 100))); }

double ExplanationView::overlayOpacity() const { return opacity_->value() / 100.0; }

void ExplanationView::zoomBy(double factor) { page_view_->setZoom(page_view_->zoom() * factor); }

void ExplanationView::fitPage() {
  const QImage& page = page_view_->page();
  if (page.isNull()) return;
  const QSize room = page_scroll_->viewport()->size() - QSize(4, 4);
  page_view_->setZoom(std::min(double(room.width()) / page.width(), double(room.height()) / page.height()));
}

QAbstractButton* ExplanationView::chip(int token) const { return chips_->button(token + 1); }

}  // namespace patchwise::gui
