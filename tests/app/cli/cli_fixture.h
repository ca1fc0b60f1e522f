#pragma once
// Runs the real `patchwise` executable against a temporary library and a folder of real
// documents, with the bundled lexical model (deterministic, fast).
#include <filesystem>
#include <string>
#include <vector>

#include "tests/support/process.h"
#include "tests/support/temp_dir.h"

namespace patchwise::test {

inline const std::filesystem::path kAppData = std::filesystem::path(PATCHWISE_SOURCE_DIR) / "tests" / "data" / "app";
inline const std::filesystem::path kLexicalModel =
    std::filesystem::path(PATCHWISE_SOURCE_DIR) / "resources" / "models" / "lexical";

// Real PDFs installed by .ci/install-deps.
inline const std::filesystem::path kTasnPdf = "/usr/share/doc/libtasn1-doc/libtasn1.pdf";
inline const std::filesystem::path kMimePdf = "/usr/share/doc/shared-mime-info/shared-mime-info-spec.pdf";
inline const std::filesystem::path kFontconfigPdfGz = "/usr/share/doc/fontconfig/fontconfig-user.pdf.gz";

class Cli {
 public:
  explicit Cli(std::filesystem::path library) : library_(std::move(library)) {}

  std::vector<std::string> argv(const std::vector<std::string>& args) const {
    std::vector<std::string> v = {PATCHWISE_CLI, "--library", library_.string(), "--model", kLexicalModel.string(),
                                  "--threads", "1"};
    v.insert(v.end(), args.begin(), args.end());
    return v;
  }
  ProcessResult operator()(const std::vector<std::string>& args) const { return run_process(argv(args)); }
  const std::filesystem::path& library() const { return library_; }

 private:
  std::filesystem::path library_;
};

// Copies files into `folder` (created).
inline void copy_into(const std::filesystem::path& folder, const std::vector<std::filesystem::path>& files) {
  std::filesystem::create_directories(folder);
  for (const auto& f : files) std::filesystem::copy_file(f, folder / f.filename());
}

}  // namespace patchwise::test
