#pragma once
// The colours of similarity overlays: cold (low similarity) is transparent blue, hot is opaque
// red, so the best-matching patches stand out and the page stays readable elsewhere.
#include <QColor>

namespace patchwise::gui {

// `t` in 0..1 (clamped); `opacity` in 0..1 scales the alpha of the hottest colour.
QColor heat_color(double t, double opacity);

}  // namespace patchwise::gui
