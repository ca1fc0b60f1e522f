#include "models/checkpoint/content_hash.h"

#include <cstring>

namespace patchwise::models {
namespace {

constexpr std::uint64_t kPrime1 = 0x9e3779b97f4a7c15ULL;
constexpr std::uint64_t kPrime2 = 0xc2b2ae3d27d4eb4fULL;

std::uint64_t rotl(std::uint64_t x, int r) { return (x << r) | (x >> (64 - r)); }

std::uint64_t load_le64(const unsigned char* p) {
  std::uint64_t v = 0;
  for (int i = 7; i >= 0; --i) v = (v << 8) | p[i];
  return v;
}

// Final avalanche so every input bit affects every output bit.
std::uint64_t finalize(std::uint64_t x) {
  x ^= x >> 33;
  x *= 0xff51afd7ed558ccdULL;
  x ^= x >> 33;
  x *= 0xc4ceb9fe1a85ec53ULL;
  x ^= x >> 33;
  return x;
}

}  // namespace

void ContentHash::mix_block(const unsigned char* block) {
  for (int lane = 0; lane < 4; ++lane) {
    lanes_[lane] = rotl(lanes_[lane] ^ (load_le64(block + 8 * lane) * kPrime2), 31) * kPrime1;
  }
}

void ContentHash::update(std::span<const std::byte> bytes) {
  const auto* p = reinterpret_cast<const unsigned char*>(bytes.data());
  std::size_t n = bytes.size();
  total_ += n;
  if (pending_size_ > 0) {
    const std::size_t take = std::min(n, sizeof(pending_) - pending_size_);
    std::memcpy(pending_ + pending_size_, p, take);
    pending_size_ += take;
    p += take;
    n -= take;
    if (pending_size_ < sizeof(pending_)) return;
    mix_block(pending_);
    pending_size_ = 0;
  }
  for (; n >= 32; n -= 32, p += 32) mix_block(p);
  std::memcpy(pending_, p, n);
  pending_size_ = n;
}

void ContentHash::update(std::string_view text) {
  update_u64(text.size());
  update(std::as_bytes(std::span<const char>(text.data(), text.size())));
}

void ContentHash::update_u64(std::uint64_t value) {
  unsigned char bytes[8];
  for (int i = 0; i < 8; ++i) bytes[i] = static_cast<unsigned char>(value >> (8 * i));
  update(std::as_bytes(std::span<const unsigned char>(bytes, 8)));
}

std::string ContentHash::hex_digest() const {
  ContentHash copy = *this;
  unsigned char tail[32] = {};
  std::memcpy(tail, copy.pending_, copy.pending_size_);
  tail[31] ^= static_cast<unsigned char>(copy.pending_size_);
  copy.mix_block(tail);
  const std::uint64_t a = finalize(copy.lanes_[0] ^ rotl(copy.lanes_[2], 17) ^ copy.total_);
  const std::uint64_t b = finalize(copy.lanes_[1] ^ rotl(copy.lanes_[3], 29) ^ (copy.total_ * kPrime1));
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (const std::uint64_t word : {a, b}) {
    for (int shift = 60; shift >= 0; shift -= 4) out.push_back(kHex[(word >> shift) & 0xf]);
  }
  return out;
}

}  // namespace patchwise::models
