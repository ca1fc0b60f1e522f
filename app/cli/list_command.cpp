// `patchwise list`: the documents in the library, with their state.
#include <cstdio>

#include "app/cli/commands.h"
#include "app/cli/library_access.h"

namespace patchwise::app {

void add_list_command(CLI::App& app, const GlobalOptions& global, int& exit_code) {
  auto* cmd = app.add_subcommand(
      "list", "List the library's documents: STATUS PAGES PATH per line, and the error of each failed file");
  cmd->callback([&global, &exit_code] {
    const storage::Library library = open_existing_library(global);
    for (const auto& d : library.documents()) {
      if (d.status == storage::DocumentStatus::kReady) {
        std::printf("ready\t%d\t%s\n", d.page_count, d.file.path.c_str());
      } else {
        std::printf("failed\t0\t%s\t%s\n", d.file.path.c_str(), d.error.c_str());
      }
    }
    exit_code = kOk;
  });
}

}  // namespace patchwise::app
