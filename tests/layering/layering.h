#pragma once
// Checks that each layer includes only what architecture.md allows it to:
//   core    <- standard library (and Highway SIMD) only
//   vision  <- core, poppler, OpenCV
//   models  <- core, vision, libtorch, sentencepiece, PCRE2, ICU, JSON
//   storage <- core, SQLite, JSON
//   app     <- everything
#include <filesystem>
#include <string>
#include <vector>

namespace patchwise::test {

struct Violation {
  std::string file;
  int line = 0;
  std::string include;
  std::string reason;
};

// The header named by an #include line, or "" if the line is not an include.
std::string included_header(const std::string& line);

// Why `layer` may not include `header`, or "" if it may.
std::string forbidden_reason(const std::string& layer, const std::string& header);

std::vector<Violation> check_file(const std::string& layer, const std::filesystem::path& file,
                                  const std::string& contents);
std::vector<Violation> check_tree(const std::filesystem::path& source_root);

}  // namespace patchwise::test
