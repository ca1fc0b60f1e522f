#include "app/gui/model_panel.h"

#include <QCheckBox>
#include <QSignalBlocker>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

#include "app/cli/library_access.h"

namespace patchwise::gui {

ModelPanel::ModelPanel(QWidget* parent)
    : QWidget(parent),
      name_(new QLabel),
      family_(new QLabel),
      dim_(new QLabel),
      pages_(new QLabel),
      vectors_(new QLabel),
      bytes_(new QLabel),
      folder_(new QLabel),
      fingerprint_(new QLabel),
      precision_(new QLabel),
      error_(new QLabel),
      repo_(new QLineEdit),
      bundled_(new QPushButton(tr("Use the bundled model"))),
      folder_button_(new QPushButton(tr("Choose checkpoint folder…"))),
      use_repo_(new QPushButton(tr("Use repo id"))),
      bfloat16_(new QCheckBox(tr("Keep checkpoint weights in bfloat16 (half the memory; vectors within cosine 0.98 "
                                 "of float32's, same library)"))) {
  auto* form = new QFormLayout;
  form->addRow(tr("Model"), name_);
  form->addRow(tr("Family"), family_);
  form->addRow(tr("Dimension"), dim_);
  form->addRow(tr("Pages encoded"), pages_);
  form->addRow(tr("Vectors per page"), vectors_);
  form->addRow(tr("Bytes per page"), bytes_);
  form->addRow(tr("Folder"), folder_);
  form->addRow(tr("Fingerprint"), fingerprint_);
  form->addRow(tr("Precision"), precision_);
  for (auto* label : {folder_, fingerprint_}) label->setTextInteractionFlags(Qt::TextSelectableByMouse);
  error_->setWordWrap(true);
  error_->setStyleSheet("color: #b01e1e");
  error_->hide();
  repo_->setPlaceholderText(tr("ORG/NAME from the local Hugging Face cache, e.g. vidore/colSmol-256M"));

  auto* choose = new QHBoxLayout;
  choose->addWidget(bundled_);
  choose->addWidget(folder_button_);
  choose->addStretch(1);
  auto* repo_row = new QHBoxLayout;
  repo_row->addWidget(repo_, 1);
  repo_row->addWidget(use_repo_);
  auto* layout = new QVBoxLayout(this);
  layout->addLayout(form);
  layout->addWidget(error_);
  layout->addLayout(choose);
  layout->addLayout(repo_row);
  layout->addWidget(bfloat16_);
  auto* hint = new QLabel(tr("Nothing is downloaded. Vectors of different models are stored apart; a new model "
                             "finds only pages ingested with it."));
  hint->setWordWrap(true);
  layout->addWidget(hint);
  layout->addStretch(1);

  connect(bundled_, &QPushButton::clicked, this, [this] { emit modelRequested({}); });
  connect(folder_button_, &QPushButton::clicked, this, &ModelPanel::chooseFolder);
  connect(use_repo_, &QPushButton::clicked, this, [this] {
    if (!repo_->text().trimmed().isEmpty()) emit modelRequested(repo_->text().trimmed());
  });
  connect(repo_, &QLineEdit::returnPressed, use_repo_, &QPushButton::click);
  connect(bfloat16_, &QCheckBox::toggled, this, &ModelPanel::bfloat16WeightsRequested);
}

void ModelPanel::showLoading(const QString& spec) {
  name_->setText(tr("loading %1…").arg(spec.isEmpty() ? tr("the bundled model") : spec));
  error_->hide();
}

void ModelPanel::showModel(const ModelSummary& m) {
  error_->setVisible(!m.error.isEmpty());
  error_->setText(m.error);
  if (!m.error.isEmpty()) {
    name_->setText(tr("none loaded"));
    for (auto* l : {family_, dim_, pages_, vectors_, bytes_, folder_, fingerprint_, precision_}) l->clear();
    return;
  }
  name_->setText(QString::fromStdString(m.info.name) + (m.spec.isEmpty() ? tr(" (bundled default)") : QString()));
  family_->setText(QString::fromStdString(m.info.family));
  dim_->setText(QString::number(m.info.dim));
  pages_->setText(QString::number(m.pages));
  vectors_->setText(m.pages ? QString::number(m.vectors_per_page, 'f', 1) : tr("— (no pages yet)"));
  bytes_->setText(m.pages ? QString::fromStdString(app::human_bytes(m.bytes_per_page)) : tr("—"));
  folder_->setText(m.folder);
  fingerprint_->setText(QString::fromStdString(m.info.fingerprint));
  precision_->setText(m.info.dtype.empty() ? tr("— (no weights)") : QString::fromStdString(m.info.dtype));
}

void ModelPanel::setChangesAllowed(bool allowed) {
  for (QWidget* w : std::initializer_list<QWidget*>{bundled_, folder_button_, use_repo_, repo_, bfloat16_}) w->setEnabled(allowed);
}

QString ModelPanel::shownName() const { return name_->text(); }

void ModelPanel::setBfloat16Weights(bool on) {
  const QSignalBlocker quiet(bfloat16_);
  bfloat16_->setChecked(on);
}

void ModelPanel::chooseFolder() {
  const QString folder = QFileDialog::getExistingDirectory(this, tr("Choose a checkpoint folder (with config.json)"));
  if (!folder.isEmpty()) emit modelRequested(folder);
}

}  // namespace patchwise::gui
