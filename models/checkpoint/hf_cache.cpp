#include <cstdlib>
#include <fstream>
#include <string>

#include "models/checkpoint/checkpoint.h"

namespace patchwise::models {
namespace fs = std::filesystem;
namespace {

bool valid_repo_id(std::string_view id) {
  const auto slash = id.find('/');
  if (slash == std::string_view::npos || slash == 0 || slash + 1 == id.size()) return false;
  if (id.find('/', slash + 1) != std::string_view::npos) return false;
  return id.find("..") == std::string_view::npos;
}

}  // namespace

fs::path default_hf_hub_cache() {
  if (const char* c = std::getenv("HF_HUB_CACHE"); c && *c) return c;
  if (const char* h = std::getenv("HF_HOME"); h && *h) return fs::path(h) / "hub";
  const char* home = std::getenv("HOME");
  return fs::path(home ? home : ".") / ".cache" / "huggingface" / "hub";
}

std::optional<fs::path> find_in_hf_cache(std::string_view repo_id, const fs::path& cache_dir) {
  if (!valid_repo_id(repo_id)) return std::nullopt;
  std::string folder = "models--" + std::string(repo_id);
  folder.replace(folder.find('/'), 1, "--");
  const fs::path repo = (cache_dir.empty() ? default_hf_hub_cache() : cache_dir) / folder;
  const fs::path snapshots = repo / "snapshots";
  std::error_code ec;
  if (!fs::is_directory(snapshots, ec)) return std::nullopt;
  if (std::ifstream ref(repo / "refs" / "main"); ref) {
    std::string revision;
    std::getline(ref, revision);
    if (!revision.empty() && fs::is_directory(snapshots / revision, ec)) return snapshots / revision;
  }
  std::optional<fs::path> newest;
  fs::file_time_type newest_time{};
  for (const auto& entry : fs::directory_iterator(snapshots, ec)) {
    if (!entry.is_directory(ec)) continue;
    const auto time = entry.last_write_time(ec);
    if (!newest || time > newest_time) {
      newest = entry.path();
      newest_time = time;
    }
  }
  return newest;
}

}  // namespace patchwise::models
