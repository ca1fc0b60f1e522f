#include "models/starter/training_files.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <fstream>
#include <initializer_list>
#include <sstream>
#include <string_view>

#include "core/error.h"
#include "core/sha256.h"

namespace patchwise::models::starter {
namespace {

bool is_hex_digest(const std::string& s) {
  return s.size() == 64 && std::all_of(s.begin(), s.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
         });
}

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return char(std::tolower(c)); });
  return s;
}

// Joins pieces with append: GCC 12 at -O3 warns falsely (-Wrestrict) on "literal" + std::string&&.
std::string join(std::initializer_list<std::string_view> pieces) {
  std::string out;
  for (auto piece : pieces) out.append(piece);
  return out;
}

}  // namespace

std::string sha256_hex(std::span<const std::byte> bytes) { return core::sha256_hex(bytes); }

std::string sha256_hex(const std::filesystem::path& file) { return core::sha256_file(file); }

ExcludeList ExcludeList::read(const std::filesystem::path& file) {
  std::ifstream in(file);
  if (!in) throw Error(join({"cannot read the exclusion list ", file.string()}));
  ExcludeList list;
  std::string line;
  for (int number = 1; std::getline(in, line); ++number) {
    std::istringstream fields(line);
    std::string first;
    if (!(fields >> first) || first.starts_with('#')) continue;
    first = lower(first);
    if (!is_hex_digest(first)) {
      throw Error(join({file.string(), ":", std::to_string(number), ": expected a 64-digit hex SHA-256, found \"",
                        first, "\""}));
    }
    list.add(first);
  }
  return list;
}

void ExcludeList::add(const std::string& hex_digest) { digests_.insert(lower(hex_digest)); }

bool ExcludeList::contains(const std::string& hex_digest) const { return digests_.contains(lower(hex_digest)); }

FileSelection select_training_files(const std::filesystem::path& root, const ExcludeList& exclude) {
  namespace fs = std::filesystem;
  if (!fs::is_directory(root)) throw Error(join({"no such folder: ", root.string()}));
  std::vector<fs::path> pdfs;
  for (const auto& entry : fs::recursive_directory_iterator(root)) {
    if (entry.is_regular_file() && lower(entry.path().extension().string()) == ".pdf") pdfs.push_back(entry.path());
  }
  std::sort(pdfs.begin(), pdfs.end());
  FileSelection selection;
  std::unordered_set<std::string> seen;
  for (const auto& path : pdfs) {
    const std::string digest = sha256_hex(path);
    if (exclude.contains(digest)) {
      selection.excluded.push_back(path);
    } else if (!seen.insert(digest).second) {
      ++selection.duplicates;
    } else {
      const bool held_out = std::stoi(digest.substr(0, 2), nullptr, 16) % 10 == 0;
      selection.files.push_back({path, digest, held_out});
    }
  }
  return selection;
}

}  // namespace patchwise::models::starter
