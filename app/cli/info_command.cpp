// `patchwise info`: what this installation runs on (BLAS, threads, versions) and what the
// library holds (documents, pages, models, bytes per page), so a slow or odd setup is visible
// at a glance.
#include <iostream>

#include "app/cli/commands.h"
#include "app/cli/library_access.h"
#include "core/error.h"
#include "models/registry.h"
#include "models/runtime.h"

namespace patchwise::app {
namespace {

void print_library(const GlobalOptions& global) {
  const auto path = library_path(global);
  std::cout << "library: " << path.string() << "\n";
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) {
    std::cout << "library status: not created yet (patchwise ingest PATH... creates it)\n";
    return;
  }
  const storage::Library library = open_existing_library(global);
  const storage::LibraryStats s = library.stats();
  std::cout << "library schema: " << library.schema_version() << "\n"
            << "documents: " << s.documents_ready << " ready, " << s.documents_failed << " failed\n"
            << "pages: " << s.pages << "\n"
            << "library size: " << human_bytes(double(s.file_bytes)) << "\n";
  if (s.pages > 0) std::cout << "thumbnails per page: " << human_bytes(double(s.thumbnail_bytes) / double(s.pages)) << "\n";
  for (const auto& m : s.models) {
    std::cout << "stored model: " << m.key.name << " [" << m.key.fingerprint << "] dim " << m.key.dim << ", "
              << storage::format_name(m.format) << ", " << m.pages << " pages";
    if (m.pages > 0) {
      std::cout << ", " << m.rows / m.pages << " vectors and " << human_bytes(double(m.vector_bytes) / double(m.pages))
                << " per page";
    }
    std::cout << "\n";
  }
  const auto runs = library.runs();
  if (!runs.empty()) {
    const auto& r = runs.back();
    std::cout << "last ingest: " << storage::run_state_name(r.state) << " (" << r.counts.files_ingested << " ingested, "
              << r.counts.files_skipped << " unchanged, " << r.counts.files_failed << " failed, "
              << r.counts.pages_encoded << " pages encoded)"
              << (r.state == storage::RunState::kRunning ? " - still running, or it was killed" : "") << "\n";
  }
}

}  // namespace

void add_info_command(CLI::App& app, const GlobalOptions& global, int& exit_code) {
  auto* cmd = app.add_subcommand(
      "info", "Print the BLAS library, thread counts and versions in use, the model, and what the library holds");
  cmd->callback([&global, &exit_code] {
    models::configure_runtime({global.threads});
    for (const auto& [label, value] : models::runtime_report().entries) {
      std::cout << label << ": " << value << "\n";
    }
    try {
      std::cout << "model: " << models::resolve_model_dir(global.model).string() << "\n";
    } catch (const Error& e) {
      std::cout << "model: not found (" << e.what() << ")\n";
    }
    print_library(global);
    exit_code = kOk;
  });
}

}  // namespace patchwise::app
