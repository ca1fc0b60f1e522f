#include "app/pipeline/discover.h"

#include <algorithm>
#include <cctype>
#include <set>
#include <system_error>

namespace patchwise::app {

bool has_document_extension(const std::filesystem::path& path) {
  std::string ext = path.extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return char(std::tolower(c)); });
  return ext == ".pdf" || ext == ".png" || ext == ".jpg" || ext == ".jpeg" || ext == ".tif" || ext == ".tiff";
}

std::filesystem::path normalize_path(const std::filesystem::path& path) {
  std::error_code ec;
  auto canonical = std::filesystem::weakly_canonical(std::filesystem::absolute(path, ec), ec);
  return ec ? std::filesystem::absolute(path).lexically_normal() : canonical;
}

Discovery discover(std::span<const std::string> inputs) {
  Discovery out;
  std::set<std::filesystem::path> files;
  for (const std::string& input : inputs) {
    const std::filesystem::path path = normalize_path(input);
    std::error_code ec;
    const auto status = std::filesystem::status(path, ec);
    if (ec || !std::filesystem::exists(status)) {
      out.errors.push_back(input + ": no such file or folder");
      continue;
    }
    if (std::filesystem::is_regular_file(status)) {
      files.insert(path);
      continue;
    }
    if (!std::filesystem::is_directory(status)) {
      out.errors.push_back(input + ": not a file or folder");
      continue;
    }
    out.folders.push_back(path);
    auto it = std::filesystem::recursive_directory_iterator(
        path, std::filesystem::directory_options::skip_permission_denied, ec);
    for (; !ec && it != std::filesystem::recursive_directory_iterator(); it.increment(ec)) {
      std::error_code file_ec;
      if (it->is_regular_file(file_ec) && has_document_extension(it->path())) files.insert(normalize_path(it->path()));
    }
    if (ec) out.errors.push_back(input + ": cannot walk the folder: " + ec.message());
  }
  out.files.assign(files.begin(), files.end());
  return out;
}

}  // namespace patchwise::app
