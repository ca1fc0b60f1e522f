#pragma once
// Gathers training PDFs from Debian documentation packages without installing them:
// `apt-get download` into <cache>/debs, `dpkg -x` into <cache>/tree/<package>, and every
// *.pdf.gz unpacked beside itself. Steps already done are skipped, so a second run is
// offline and fast.
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

namespace patchwise::tools {

struct FetchReport {
  std::vector<std::string> unpacked;  // packages available under <cache>/tree
  std::vector<std::string> failed;    // "package: reason"
};

// The tree holding the unpacked packages (the root to search for PDFs).
std::filesystem::path unpacked_tree(const std::filesystem::path& cache);

FetchReport fetch_doc_packages(const std::vector<std::string>& packages, const std::filesystem::path& cache,
                               const std::function<void(const std::string&)>& log);

}  // namespace patchwise::tools
