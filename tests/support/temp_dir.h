#pragma once
// A fresh folder under the system temp dir, removed with everything in it on destruction.
#include <filesystem>
#include <string>

namespace patchwise::test {

class TempDir {
 public:
  explicit TempDir(const std::string& prefix = "patchwise-test");
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path operator/(const std::string& name) const { return path_ / name; }

 private:
  std::filesystem::path path_;
};

}  // namespace patchwise::test
