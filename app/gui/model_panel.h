#pragma once
// The model: which one searches and ingests (the bundled default, a checkpoint folder or a
// Hugging Face cache repo id) and what it costs in the library (dimension, vectors and bytes
// per page).
#include <QWidget>

#include "app/gui/search_controller.h"

class QCheckBox;
class QFormLayout;
class QLabel;
class QLineEdit;
class QPushButton;

namespace patchwise::gui {

class ModelPanel : public QWidget {
  Q_OBJECT

 public:
  explicit ModelPanel(QWidget* parent = nullptr);

  void showLoading(const QString& spec);
  void showModel(const ModelSummary& summary);
  // Model changes are refused while an ingestion uses the current model.
  void setChangesAllowed(bool allowed);

  QString shownName() const;
  // Sets the bfloat16 checkbox without asking for a reload.
  void setBfloat16Weights(bool on);

 signals:
  void modelRequested(const QString& spec);  // empty: the bundled default
  void bfloat16WeightsRequested(bool on);    // the user toggled the checkbox: reload the model

 private:
  void chooseFolder();

  QLabel* name_;
  QLabel* family_;
  QLabel* dim_;
  QLabel* pages_;
  QLabel* vectors_;
  QLabel* bytes_;
  QLabel* folder_;
  QLabel* fingerprint_;
  QLabel* precision_;
  QLabel* error_;
  QLineEdit* repo_;
  QPushButton* bundled_;
  QPushButton* folder_button_;
  QPushButton* use_repo_;
  QCheckBox* bfloat16_;
};

}  // namespace patchwise::gui
