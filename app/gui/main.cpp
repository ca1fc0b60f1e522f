// patchwise-gui: the desktop app. --library, --model and --precision are remembered like choices
// made in the window (the settings file is written on exit).
#include <QApplication>
#include <QCommandLineParser>
#include <QIcon>
#include <cstdio>

#include "app/gui/gui_settings.h"
#include "app/gui/main_window.h"
#include "models/registry.h"

int main(int argc, char** argv) {
  QApplication app(argc, argv);
  QApplication::setApplicationName("patchwise-gui");
  QApplication::setApplicationDisplayName("Patchwise");
  QApplication::setDesktopFileName("patchwise-gui");
  QApplication::setWindowIcon(QIcon::fromTheme("patchwise-gui"));

  QCommandLineParser parser;
  parser.setApplicationDescription("Search PDFs and scanned pages by how they look.");
  parser.addHelpOption();
  const QCommandLineOption library("library", "Library file (default: $XDG_DATA_HOME/patchwise/library.db).", "PATH");
  const QCommandLineOption model("model", "Checkpoint folder or Hugging Face cache repo id ORG/NAME.", "DIR|ORG/NAME");
  const QCommandLineOption query("query", "Search for this at start.", "TEXT");
  const QCommandLineOption precision("precision",
                                     "Checkpoint weights: float32 (exact to the reference) or bfloat16 (half the memory); "
                                     "remembered.",
                                     "float32|bfloat16");
  parser.addOptions({library, model, query, precision});
  parser.process(app);

  patchwise::gui::GuiSettings settings = patchwise::gui::GuiSettings::load();
  if (parser.isSet(library)) settings.library = parser.value(library);
  if (parser.isSet(model)) settings.model = parser.value(model);
  if (parser.isSet(precision)) {
    try {
      const auto p = patchwise::models::parse_weight_precision(parser.value(precision).toStdString());
      settings.bfloat16_weights = p == patchwise::models::WeightPrecision::bfloat16;
    } catch (const std::exception& e) {
      std::fprintf(stderr, "patchwise-gui: --precision: %s\n", e.what());
      return 2;
    }
  }

  patchwise::gui::MainWindow window(settings);
  window.show();
  if (parser.isSet(query)) window.search(parser.value(query));
  return QApplication::exec();
}
