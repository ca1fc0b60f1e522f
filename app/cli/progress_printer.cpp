#include "app/cli/progress_printer.h"

#include <cmath>
#include <string>

namespace patchwise::app {
namespace {

std::string duration(double s) {
  if (s < 0) return "--:--";
  const long t = std::lround(s);
  char buf[32];
  if (t >= 3600) {
    std::snprintf(buf, sizeof buf, "%ld:%02ld:%02ld", t / 3600, t / 60 % 60, t % 60);
  } else {
    std::snprintf(buf, sizeof buf, "%02ld:%02ld", t / 60, t % 60);
  }
  return buf;
}

}  // namespace

void ProgressPrinter::progress(const IngestProgress& p) {
  if (!terminal_) return;
  constexpr int kWidth = 24;
  const double frac = p.pages_expected > 0 ? std::min(1.0, double(p.pages_done) / double(p.pages_expected))
                      : p.files_total > 0  ? double(p.files_done) / double(p.files_total)
                                           : 1.0;
  const int filled = int(frac * kWidth);
  std::string bar(std::size_t(filled), '#');
  bar.resize(kWidth, '.');
  std::fprintf(out_, "\r\033[K[%s] files %lld/%lld  pages %lld/%lld  %.1f pages/s  ETA %s", bar.c_str(),
               static_cast<long long>(p.files_done), static_cast<long long>(p.files_total),
               static_cast<long long>(p.pages_done), static_cast<long long>(p.pages_expected), p.pages_per_second,
               duration(p.eta_s).c_str());
  std::fflush(out_);
  drawn_ = true;
}

void ProgressPrinter::file(const FileOutcome& o) {
  if (terminal_) {
    if (o.kind != FileOutcome::Kind::kFailed) return;  // the bar shows the rest
    std::fprintf(out_, "\r\033[K");
  }
  switch (o.kind) {
    case FileOutcome::Kind::kIngested: std::fprintf(out_, "ingested %s (%d pages)\n", o.path.c_str(), o.pages); break;
    case FileOutcome::Kind::kSkipped: std::fprintf(out_, "unchanged %s\n", o.path.c_str()); break;
    case FileOutcome::Kind::kRemoved: std::fprintf(out_, "removed %s (file is gone)\n", o.path.c_str()); break;
    case FileOutcome::Kind::kFailed:
      // Errors usually name their file already; add the path only where one does not.
      if (o.error.find(o.path) != std::string::npos) {
        std::fprintf(out_, "failed: %s\n", o.error.c_str());
      } else {
        std::fprintf(out_, "failed: %s: %s\n", o.path.c_str(), o.error.c_str());
      }
      break;
  }
  std::fflush(out_);
}

void ProgressPrinter::finish() {
  if (terminal_ && drawn_) std::fprintf(out_, "\n");
}

}  // namespace patchwise::app
