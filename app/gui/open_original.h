#pragma once
// "Open the original": the document in the system's viewer, at the page the user looks at.
// The desktop has no standard way to ask for a page, so for the PDF viewers known to take one
// on their command line (Evince, Okular, Zathura, Atril, Xreader, qpdfview, MuPDF) the
// default viewer (xdg-mime) is started with it; any other file or viewer is opened with
// QDesktopServices at its first page (a #page=N fragment would break xdg-open's file URLs).
#include <QString>
#include <QStringList>
#include <optional>

namespace patchwise::gui {

// Program and arguments that open `path` at `page` (1-based) in the viewer whose desktop
// file id is `desktop_id` (e.g. "org.gnome.Evince.desktop"); nullopt for unknown viewers.
std::optional<QStringList> viewer_command(const QString& desktop_id, const QString& path, int page);

// Opens `path` at `page` without blocking the calling (GUI) thread.
void open_original(const QString& path, int page);

}  // namespace patchwise::gui
