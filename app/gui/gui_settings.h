#pragma once
// What the desktop app remembers between runs, in $XDG_CONFIG_HOME/patchwise/patchwise-gui.conf
// (else ~/.config/patchwise/): the same config folder the CLI documents. The library and the
// model default to what the CLI uses (the XDG library file, the bundled model), so both tools
// see the same library unless told otherwise.
#include <QByteArray>
#include <QString>

namespace patchwise::gui {

struct GuiSettings {
  QString library;  // library file; empty = the CLI's default ($XDG_DATA_HOME/patchwise/library.db)
  QString model;    // checkpoint folder or ORG/NAME; empty = the bundled default model
  bool bfloat16_weights = false;  // load checkpoints with bfloat16 weights (CLI --precision bfloat16)
  double overlay_opacity = 0.6;
  int result_count = 24;  // pages per search
  QString last_folder;    // where the add-files dialogs open
  QByteArray window_geometry;
  QByteArray splitter_state;

  // The settings file (its folder is created on save).
  static QString file_path();
  static GuiSettings load();
  void save() const;
};

}  // namespace patchwise::gui
