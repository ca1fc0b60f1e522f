#include "app/cli/library_access.h"

#include <cstdio>

#include "models/registry.h"
#include "models/runtime.h"

namespace patchwise::app {

std::filesystem::path library_path(const GlobalOptions& global) {
  return global.library.empty() ? storage::default_library_path() : std::filesystem::path(global.library);
}

storage::Library open_existing_library(const GlobalOptions& global) {
  return storage::Library(library_path(global), {.create = false});
}

std::unique_ptr<models::Encoder> load_model(const GlobalOptions& global) {
  models::configure_runtime({global.threads});
  return models::load_encoder(global.model, models::parse_weight_precision(global.precision));
}

std::string human_bytes(double bytes) {
  const char* units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
  int u = 0;
  while (bytes >= 1024 && u < 4) {
    bytes /= 1024;
    ++u;
  }
  char buf[32];
  std::snprintf(buf, sizeof buf, u == 0 ? "%.0f %s" : "%.1f %s", bytes, units[u]);
  return buf;
}

}  // namespace patchwise::app
