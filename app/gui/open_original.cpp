#include "app/gui/open_original.h"

#include <QCoreApplication>
#include <QDesktopServices>
#include <QProcess>
#include <QUrl>
#include <QtConcurrent/QtConcurrentRun>
#include <array>

namespace patchwise::gui {
namespace {

struct Viewer {
  const char* name;  // in the desktop id and the executable's name
  QStringList (*arguments)(const QString& path, int page);
};

const std::array<Viewer, 7> kViewers = {{
    {"evince", [](const QString& p, int n) { return QStringList{"--page-index=" + QString::number(n), p}; }},
    {"okular", [](const QString& p, int n) { return QStringList{"--page", QString::number(n), p}; }},
    {"zathura", [](const QString& p, int n) { return QStringList{"--page=" + QString::number(n), p}; }},
    {"atril", [](const QString& p, int n) { return QStringList{"--page-index=" + QString::number(n), p}; }},
    {"xreader", [](const QString& p, int n) { return QStringList{"--page-index=" + QString::number(n), p}; }},
    {"qpdfview", [](const QString& p, int n) { return QStringList{p + "#" + QString::number(n)}; }},
    {"mupdf", [](const QString& p, int n) { return QStringList{p, QString::number(n)}; }},
}};

QString default_pdf_viewer() {
  QProcess xdg;
  xdg.start("xdg-mime", {"query", "default", "application/pdf"});
  if (!xdg.waitForFinished(3000)) return {};
  return QString::fromUtf8(xdg.readAllStandardOutput()).trimmed();
}

}  // namespace

std::optional<QStringList> viewer_command(const QString& desktop_id, const QString& path, int page) {
  const QString id = desktop_id.toLower();
  for (const auto& viewer : kViewers) {
    if (id.contains(viewer.name)) return QStringList{viewer.name} + viewer.arguments(path, page);
  }
  return std::nullopt;
}

void open_original(const QString& path, int page) {
  // xdg-mime may take a moment: ask it off the GUI thread, open URLs back on it.
  (void)QtConcurrent::run([path, page] {
    if (path.endsWith(".pdf", Qt::CaseInsensitive)) {
      if (const auto command = viewer_command(default_pdf_viewer(), path, page)) {
        if (QProcess::startDetached(command->first(), command->mid(1))) return;
      }
    }
    const QUrl url = QUrl::fromLocalFile(path);
    QMetaObject::invokeMethod(qApp, [url] { QDesktopServices::openUrl(url); }, Qt::QueuedConnection);
  });
}

}  // namespace patchwise::gui
