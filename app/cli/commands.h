#pragma once
// Each subcommand lives in its own <name>_command.cpp and registers itself on the CLI11 app.
// The callback sets `exit_code`; errors that reach main() are printed on stderr.
#include <CLI/CLI.hpp>

#include "app/cli/global_options.h"

namespace patchwise::app {

void add_info_command(CLI::App& app, const GlobalOptions& global, int& exit_code);
void add_ingest_command(CLI::App& app, const GlobalOptions& global, int& exit_code);
void add_search_command(CLI::App& app, const GlobalOptions& global, int& exit_code);
void add_list_command(CLI::App& app, const GlobalOptions& global, int& exit_code);
void add_remove_command(CLI::App& app, const GlobalOptions& global, int& exit_code);
void add_encode_command(CLI::App& app, const GlobalOptions& global, int& exit_code);
void add_bench_command(CLI::App& app, const GlobalOptions& global, int& exit_code);
void add_model_command(CLI::App& app, const GlobalOptions& global, int& exit_code);

}  // namespace patchwise::app
