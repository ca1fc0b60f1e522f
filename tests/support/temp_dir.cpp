#include "tests/support/temp_dir.h"

#include <random>
#include <system_error>

#include <unistd.h>

namespace patchwise::test {

TempDir::TempDir(const std::string& prefix) {
  std::random_device rd;
  for (;;) {
    path_ = std::filesystem::temp_directory_path() /
            (prefix + "-" + std::to_string(::getpid()) + "-" + std::to_string(rd()));
    if (std::filesystem::create_directory(path_)) return;
  }
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

}  // namespace patchwise::test
