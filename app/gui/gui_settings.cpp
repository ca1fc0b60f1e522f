#include "app/gui/gui_settings.h"

#include <QDir>
#include <QFileInfo>
#include <QSettings>
#include <algorithm>

namespace patchwise::gui {

QString GuiSettings::file_path() {
  QString config = qEnvironmentVariable("XDG_CONFIG_HOME");
  if (config.isEmpty()) config = QDir::homePath() + "/.config";
  return config + "/patchwise/patchwise-gui.conf";
}

GuiSettings GuiSettings::load() {
  const QSettings s(file_path(), QSettings::IniFormat);
  GuiSettings g;
  g.library = s.value("library/path").toString();
  g.model = s.value("model/spec").toString();
  g.bfloat16_weights = s.value("model/bfloat16_weights", false).toBool();
  g.overlay_opacity = std::clamp(s.value("view/overlay_opacity", g.overlay_opacity).toDouble(), 0.0, 1.0);
  g.result_count = std::clamp(s.value("search/result_count", g.result_count).toInt(), 1, 500);
  g.last_folder = s.value("library/last_folder").toString();
  g.window_geometry = s.value("window/geometry").toByteArray();
  g.splitter_state = s.value("window/splitter").toByteArray();
  return g;
}

void GuiSettings::save() const {
  QDir().mkpath(QFileInfo(file_path()).absolutePath());
  QSettings s(file_path(), QSettings::IniFormat);
  s.setValue("library/path", library);
  s.setValue("model/spec", model);
  s.setValue("model/bfloat16_weights", bfloat16_weights);
  s.setValue("view/overlay_opacity", overlay_opacity);
  s.setValue("search/result_count", result_count);
  s.setValue("library/last_folder", last_folder);
  s.setValue("window/geometry", window_geometry);
  s.setValue("window/splitter", splitter_state);
  s.sync();
}

}  // namespace patchwise::gui
