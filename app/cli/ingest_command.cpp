// `patchwise ingest PATH...`: files and folders (recursive) into the library.
#include <csignal>
#include <cstdio>
#include <iostream>

#include <unistd.h>

#include "app/cli/commands.h"
#include "app/cli/library_access.h"
#include "app/cli/progress_printer.h"
#include "app/pipeline/ingest.h"

namespace patchwise::app {
namespace {

std::atomic<bool> g_interrupted{false};
static_assert(std::atomic<bool>::is_always_lock_free, "set from a signal handler");

extern "C" void on_sigint(int) { g_interrupted = true; }

// Ctrl-C asks the pipeline to stop cooperatively; a second Ctrl-C kills (SA_RESETHAND).
class SigintGuard {
 public:
  SigintGuard() {
    struct sigaction sa {};
    sa.sa_handler = on_sigint;
    sa.sa_flags = SA_RESETHAND;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, &previous_);
  }
  ~SigintGuard() { sigaction(SIGINT, &previous_, nullptr); }
  SigintGuard(const SigintGuard&) = delete;
  SigintGuard& operator=(const SigintGuard&) = delete;

 private:
  struct sigaction previous_ {};
};

struct IngestArgs {
  std::vector<std::string> paths;
  int jobs = 0;
  double dpi = 150;
  long max_pixels = 4'000'000;
  int thumbnail = 256;
  bool remove_missing = false;
  bool quiet = false;
};

void print_summary(const IngestSummary& s, const storage::Library& library) {
  const auto& c = s.counts;
  std::cout << "ingested " << c.files_ingested << " files (" << s.pages_written << " pages), unchanged "
            << c.files_skipped << ", failed " << c.files_failed << ", removed " << c.files_removed << "\n";
  char rate[64];
  std::snprintf(rate, sizeof rate, "%.1f s (%.1f pages/s)", s.seconds,
                s.seconds > 0 ? double(c.pages_encoded) / s.seconds : 0.0);
  std::cout << "encoded " << c.pages_encoded << " pages in " << rate << "\n";
  if (s.pages_written > 0) {
    std::cout << "stored " << human_bytes(double(s.stored_bytes) / double(s.pages_written))
              << " per page (vectors, patch grid, thumbnail) in " << library.path().string() << "\n";
  }
  if (s.cancelled) std::cout << "cancelled: the library is consistent; run the same command again to resume\n";
  if (!s.failures.empty()) {
    std::cerr << s.failures.size() << " file(s) failed:\n";
    for (const auto& f : s.failures) {
      // Errors usually name their file already; add the path only where one does not.
      std::cerr << "  " << (f.error.find(f.path) == std::string::npos ? f.path + ": " : "") << f.error << "\n";
    }
  }
}

}  // namespace

void add_ingest_command(CLI::App& app, const GlobalOptions& global, int& exit_code) {
  auto args = std::make_shared<IngestArgs>();
  auto* cmd = app.add_subcommand(
      "ingest",
      "Add PDFs and scans (PNG, JPEG, TIFF) to the library. Folders are walked recursively; unchanged\n"
      "files are skipped, changed ones re-encoded. Ctrl-C stops cleanly; running again resumes.");
  cmd->add_option("paths", args->paths, "Files or folders to ingest")->required();
  cmd->add_option("-j,--jobs", args->jobs, "Render workers (default: cores - 1, at least 1)")->check(CLI::NonNegativeNumber);
  cmd->add_option("--dpi", args->dpi,
                  "Render resolution in dots per inch (default: 150; an A4 page is then 1240x1754 px = 6.5 MB "
                  "of RGB in memory while it waits for the encoder)")
      ->check(CLI::Range(10.0, 1200.0));
  cmd->add_option("--max-pixels", args->max_pixels,
                  "Pixel budget per rendered page, width x height; larger pages are scaled down (default: 4000000 "
                  "= 12 MB RGB). What is stored per page (vectors, grid, thumbnail) is printed at the end and by "
                  "`info`")
      ->check(CLI::Range(10'000L, 100'000'000L));
  cmd->add_option("--thumbnail-size", args->thumbnail,
                  "Longest side of the stored JPEG thumbnail in pixels, a few KiB per page at 256 "
                  "(default: 256; 0 = none)")
      ->check(CLI::Range(0, 2048));
  cmd->add_flag("--remove-missing", args->remove_missing,
                "Also remove documents under the given folders whose files no longer exist (after a complete scan)");
  cmd->add_flag("-q,--quiet", args->quiet, "No progress output, only the summary");
  cmd->callback([args, &global, &exit_code] {
    storage::Library library(library_path(global));
    const auto encoder = load_model(global);
    const bool terminal = ::isatty(STDERR_FILENO) == 1;
    ProgressPrinter printer(stderr, terminal);

    IngestOptions options;
    options.render = {.dpi = args->dpi, .max_pixels = args->max_pixels};
    options.render_threads = args->jobs;
    options.encoder_threads = global.threads;
    options.thumbnail_side = args->thumbnail;
    options.remove_missing = args->remove_missing;
    options.cancel = &g_interrupted;
    if (!args->quiet) {
      options.on_progress = [&printer](const IngestProgress& p) { printer.progress(p); };
      options.on_file = [&printer](const FileOutcome& o) { printer.file(o); };
    }
    g_interrupted = false;
    const SigintGuard guard;
    const IngestSummary summary = ingest(library, *encoder, args->paths, options);
    printer.finish();
    print_summary(summary, library);
    exit_code = (summary.failures.empty() && !summary.cancelled) ? kOk : kSomeFailed;
  });
}

}  // namespace patchwise::app
