#pragma once
// Runs programs (the real `patchwise` CLI) from tests: to completion with captured output, or
// in the background to be killed.
#include <string>
#include <vector>

#include <sys/types.h>

namespace patchwise::test {

struct ProcessResult {
  int exit_code = -1;  // -1 if killed by a signal
  std::string out;
  std::string err;
};

// Runs argv (argv[0] is the program path) and waits. Output goes through files, so a chatty
// child never blocks on a full pipe.
ProcessResult run_process(const std::vector<std::string>& argv);

// Starts argv in the background with stdout and stderr sent to /dev/null; returns its pid.
pid_t spawn_process(const std::vector<std::string>& argv);
// Waits for `pid`; returns its exit code, or -signal if a signal ended it.
int wait_process(pid_t pid);

}  // namespace patchwise::test
