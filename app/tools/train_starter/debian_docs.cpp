#include "app/tools/train_starter/debian_docs.h"

#include <cstdlib>
#include <fstream>

#include "app/tools/train_starter/join.h"

namespace patchwise::tools {
namespace fs = std::filesystem;
namespace {

// Single-quoted for /bin/sh; a quote inside becomes '\''.
std::string quoted(const std::string& s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'') {
      out.append("'\\''");
    } else {
      out.push_back(c);
    }
  }
  return out.append("'");
}

bool run(const std::string& command) { return std::system(command.c_str()) == 0; }

fs::path find_deb(const fs::path& debs, const std::string& package) {
  if (!fs::is_directory(debs)) return {};
  const std::string prefix = package + "_";
  for (const auto& entry : fs::directory_iterator(debs)) {
    const std::string name = entry.path().filename().string();
    if (name.starts_with(prefix) && name.ends_with(".deb")) return entry.path();
  }
  return {};
}

void gunzip_pdfs(const fs::path& root) {
  for (const auto& entry : fs::recursive_directory_iterator(root)) {
    const auto& path = entry.path();
    if (!entry.is_regular_file() || path.extension() != ".gz" || path.stem().extension() != ".pdf") continue;
    const fs::path target = path.parent_path() / path.stem();
    if (!fs::exists(target)) run(join({"gzip -dc ", quoted(path.string()), " > ", quoted(target.string())}));
  }
}

}  // namespace

fs::path unpacked_tree(const fs::path& cache) { return cache / "tree"; }

FetchReport fetch_doc_packages(const std::vector<std::string>& packages, const fs::path& cache,
                               const std::function<void(const std::string&)>& log) {
  FetchReport report;
  const fs::path debs = cache / "debs";
  fs::create_directories(debs);
  for (const auto& package : packages) {
    const fs::path tree = unpacked_tree(cache) / package;
    const fs::path done = tree / ".unpacked";
    if (!fs::exists(done)) {
      fs::path deb = find_deb(debs, package);
      if (deb.empty()) {
        log(join({"downloading ", package}));
        if (!run(join({"cd ", quoted(debs.string()), " && apt-get download -q ", quoted(package), " >/dev/null"}))) {
          report.failed.push_back(join({package, ": apt-get download failed (is the package name right? apt-get update?)"}));
          continue;
        }
        deb = find_deb(debs, package);
      }
      fs::create_directories(tree);
      if (deb.empty() || !run(join({"dpkg -x ", quoted(deb.string()), " ", quoted(tree.string())}))) {
        report.failed.push_back(join({package, ": dpkg -x failed"}));
        continue;
      }
      gunzip_pdfs(tree);
      std::ofstream(done) << deb.filename().string() << "\n";
    }
    report.unpacked.push_back(package);
  }
  return report;
}

}  // namespace patchwise::tools
