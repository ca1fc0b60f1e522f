#pragma once
// Which PDFs the starter model may be trained on. The evaluation documents must never be
// trained on: every file whose SHA-256 is in the exclusion list (shared/eval/exclude-sha256.txt)
// is skipped, whatever its name or package. Files are also split into training and held-out
// sets by their hash, so the split does not depend on paths or on the order of discovery.
#include <cstddef>
#include <filesystem>
#include <span>
#include <string>
#include <unordered_set>
#include <vector>

namespace patchwise::models::starter {

// Lower-case hex SHA-256 (FIPS 180-4).
std::string sha256_hex(std::span<const std::byte> bytes);
// Of a file's bytes; throws patchwise::Error naming the file if it cannot be read.
std::string sha256_hex(const std::filesystem::path& file);

class ExcludeList {
 public:
  // One hex digest per line (case-insensitive; '#' comments, blank lines and anything after
  // the first whitespace-separated field are ignored). Throws patchwise::Error if unreadable
  // or if a line does not start with a 64-digit hex digest.
  static ExcludeList read(const std::filesystem::path& file);
  void add(const std::string& hex_digest);
  bool contains(const std::string& hex_digest) const;
  std::size_t size() const { return digests_.size(); }

 private:
  std::unordered_set<std::string> digests_;
};

struct TrainingFile {
  std::filesystem::path path;
  std::string sha256;
  bool held_out = false;  // one file in 10, chosen by its hash: for evaluation only
};

struct FileSelection {
  std::vector<TrainingFile> files;             // sorted by path
  std::vector<std::filesystem::path> excluded;  // listed in the exclusion list: never used
  std::size_t duplicates = 0;                  // same bytes as a file already selected
};

// Every regular *.pdf file below `root` (recursively), minus excluded and duplicate contents.
FileSelection select_training_files(const std::filesystem::path& root, const ExcludeList& exclude);

}  // namespace patchwise::models::starter
