#include "models/starter/training_files.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <fstream>
#include <initializer_list>
#include <sstream>
#include <string_view>

#include "core/error.h"

namespace patchwise::models::starter {
namespace {

constexpr std::array<std::uint32_t, 64> kRound = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2};

std::uint32_t rotr(std::uint32_t x, int n) { return (x >> n) | (x << (32 - n)); }

class Sha256 {
 public:
  void update(std::span<const std::byte> bytes) {
    for (std::byte b : bytes) {
      block_[fill_++] = std::uint8_t(b);
      if (fill_ == 64) {
        compress();
        fill_ = 0;
      }
    }
    length_ += bytes.size();
  }

  std::string hex() {
    const std::uint64_t bits = length_ * 8;
    const std::byte one{0x80}, zero{0};
    update({&one, 1});
    while (fill_ != 56) update({&zero, 1});
    for (int i = 7; i >= 0; --i) {
      const std::byte b{std::uint8_t(bits >> (8 * i))};
      update({&b, 1});
    }
    std::ostringstream out;
    for (std::uint32_t word : state_) {
      for (int shift = 28; shift >= 0; shift -= 4) out << "0123456789abcdef"[(word >> shift) & 0xf];
    }
    return out.str();
  }

 private:
  void compress() {
    std::array<std::uint32_t, 64> w{};
    for (int i = 0; i < 16; ++i) {
      w[i] = std::uint32_t(block_[4 * i]) << 24 | std::uint32_t(block_[4 * i + 1]) << 16 |
             std::uint32_t(block_[4 * i + 2]) << 8 | std::uint32_t(block_[4 * i + 3]);
    }
    for (int i = 16; i < 64; ++i) {
      const std::uint32_t s0 = rotr(w[i - 15], 7) ^ rotr(w[i - 15], 18) ^ (w[i - 15] >> 3);
      const std::uint32_t s1 = rotr(w[i - 2], 17) ^ rotr(w[i - 2], 19) ^ (w[i - 2] >> 10);
      w[i] = w[i - 16] + s0 + w[i - 7] + s1;
    }
    auto v = state_;
    for (int i = 0; i < 64; ++i) {
      const std::uint32_t s1 = rotr(v[4], 6) ^ rotr(v[4], 11) ^ rotr(v[4], 25);
      const std::uint32_t ch = (v[4] & v[5]) ^ (~v[4] & v[6]);
      const std::uint32_t t1 = v[7] + s1 + ch + kRound[i] + w[i];
      const std::uint32_t s0 = rotr(v[0], 2) ^ rotr(v[0], 13) ^ rotr(v[0], 22);
      const std::uint32_t maj = (v[0] & v[1]) ^ (v[0] & v[2]) ^ (v[1] & v[2]);
      const std::uint32_t t2 = s0 + maj;
      v = {t1 + t2, v[0], v[1], v[2], v[3] + t1, v[4], v[5], v[6]};
    }
    for (int i = 0; i < 8; ++i) state_[i] += v[i];
  }

  std::array<std::uint32_t, 8> state_ = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                                         0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
  std::array<std::uint8_t, 64> block_{};
  std::size_t fill_ = 0;
  std::uint64_t length_ = 0;
};

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

std::string sha256_hex(std::span<const std::byte> bytes) {
  Sha256 h;
  h.update(bytes);
  return h.hex();
}

std::string sha256_hex(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw Error(join({"cannot read ", file.string()}));
  Sha256 h;
  std::vector<char> buffer(1 << 16);
  while (in.read(buffer.data(), std::streamsize(buffer.size())) || in.gcount() > 0) {
    h.update(std::as_bytes(std::span(buffer.data(), std::size_t(in.gcount()))));
  }
  if (in.bad()) throw Error(join({"error while reading ", file.string()}));
  return h.hex();
}

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
