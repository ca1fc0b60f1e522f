// `patchwise info`: what this installation runs on (BLAS, threads, versions), so a slow
// setup is visible at a glance.
#include <iostream>

#include "app/cli/commands.h"
#include "models/runtime.h"

namespace patchwise::app {

void add_info_command(CLI::App& app, const GlobalOptions& global, int& exit_code) {
  auto* cmd = app.add_subcommand("info", "Print the BLAS library, thread counts and versions in use");
  cmd->callback([&global, &exit_code] {
    models::configure_runtime({global.threads});
    for (const auto& [label, value] : models::runtime_report().entries) {
      std::cout << label << ": " << value << "\n";
    }
    exit_code = kOk;
  });
}

}  // namespace patchwise::app
