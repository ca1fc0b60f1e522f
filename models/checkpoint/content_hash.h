#pragma once
// A fast, stable, non-cryptographic 128-bit content hash for fingerprints of weights and
// configs: the same bytes give the same digest on every run and machine. Not for security.
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace patchwise::models {

class ContentHash {
 public:
  void update(std::span<const std::byte> bytes);
  void update(std::string_view text);
  // Lengths are mixed in too, so ("ab","c") and ("a","bc") differ.
  void update_u64(std::uint64_t value);
  // 32 lowercase hex characters. The hash can keep being updated afterwards.
  std::string hex_digest() const;

 private:
  void mix_block(const unsigned char* block);

  std::uint64_t lanes_[4] = {0x243f6a8885a308d3ULL, 0x13198a2e03707344ULL,
                             0xa4093822299f31d0ULL, 0x082efa98ec4e6c89ULL};
  unsigned char pending_[32] = {};
  std::size_t pending_size_ = 0;
  std::uint64_t total_ = 0;
};

}  // namespace patchwise::models
