#include "app/gui/heat_palette.h"

#include <algorithm>
#include <array>
#include <cmath>

namespace patchwise::gui {
namespace {

struct Stop {
  double t;
  int r, g, b;
};

// Blue -> cyan -> yellow -> red, a short version of the usual "jet/turbo" ramps.
constexpr std::array<Stop, 4> kStops = {{{0.0, 48, 18, 200}, {0.4, 30, 200, 230}, {0.7, 250, 220, 40}, {1.0, 220, 20, 20}}};

}  // namespace

QColor heat_color(double t, double opacity) {
  t = std::clamp(std::isfinite(t) ? t : 0.0, 0.0, 1.0);
  std::size_t i = 1;
  while (i + 1 < kStops.size() && t > kStops[i].t) ++i;
  const Stop& a = kStops[i - 1];
  const Stop& b = kStops[i];
  const double u = (t - a.t) / (b.t - a.t);
  auto mix = [u](int x, int y) { return int(std::lround(x + (y - x) * u)); };
  // Alpha grows with t, so a hotter cell always covers the page more than a colder one.
  const double alpha = std::clamp(opacity, 0.0, 1.0) * (0.1 + 0.9 * t);
  return QColor(mix(a.r, b.r), mix(a.g, b.g), mix(a.b, b.b), int(std::lround(255 * alpha)));
}

}  // namespace patchwise::gui
