#pragma once
// Options every subcommand sees (given before or after the subcommand name).
#include <string>

namespace patchwise::app {

struct GlobalOptions {
  std::string library;  // --library PATH; empty = $XDG_DATA_HOME/patchwise/library.db
  std::string model;    // --model DIR|ORG/NAME; empty = the bundled default model
  int threads = 0;      // --threads N; 0 = one per core
  std::string precision = "float32";  // --precision float32|bfloat16 (checkpoint weights)
};

// Exit codes: 0 success, 1 some inputs failed (the rest done), 2 usage error.
enum ExitCode { kOk = 0, kSomeFailed = 1, kUsage = 2 };

}  // namespace patchwise::app
