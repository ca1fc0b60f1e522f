// SHA-256 is the content hash of ingested files and the key of the evaluation exclusion list.
#include "core/sha256.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace patchwise::core {
namespace {

std::string sha(const std::string& s) { return sha256_hex(std::as_bytes(std::span(s.data(), s.size()))); }

TEST(Sha256, MatchesFipsVectors) {
  EXPECT_EQ(sha(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(sha("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(sha("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  EXPECT_EQ(sha(std::string(1'000'000, 'a')), "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST(Sha256, FileEqualsBytesAndMissingFileIsAnError) {
  const auto dir = std::filesystem::temp_directory_path() / ("pw-sha-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const std::string content(200'000, 'x');
  std::ofstream(dir / "f.bin", std::ios::binary) << content;
  EXPECT_EQ(sha256_file(dir / "f.bin"), sha(content));
  EXPECT_THROW(sha256_file(dir / "missing.bin"), std::exception);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace patchwise::core
