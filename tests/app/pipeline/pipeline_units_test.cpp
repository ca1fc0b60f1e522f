#include <gtest/gtest.h>

#include <fstream>
#include <thread>

#include "app/pipeline/bounded_queue.h"
#include "app/pipeline/discover.h"
#include "app/pipeline/sha256.h"
#include "tests/support/temp_dir.h"

namespace patchwise::app {
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
  test::TempDir dir;
  const std::string content(200'000, 'x');
  std::ofstream(dir / "f.bin", std::ios::binary) << content;
  EXPECT_EQ(sha256_file(dir / "f.bin"), sha(content));
  EXPECT_THROW(sha256_file(dir / "missing.bin"), std::exception);
}

TEST(Discover, WalksFoldersKeepsDocumentsAndTakesNamedFiles) {
  test::TempDir dir;
  std::filesystem::create_directories(dir / "a" / "b");
  for (const char* f : {"a/x.pdf", "a/b/y.PNG", "a/b/z.tiff", "a/notes.txt", "odd.bin"}) std::ofstream(dir / f) << "x";
  const std::vector<std::string> inputs = {(dir / "a").string(), (dir / "odd.bin").string(),
                                           (dir / "missing").string(), (dir / "a" / "x.pdf").string()};
  const Discovery d = discover(inputs);
  ASSERT_EQ(d.files.size(), 4u);  // x.pdf once, y.PNG, z.tiff, odd.bin; not notes.txt
  EXPECT_EQ(d.files[0].filename(), "y.PNG");
  EXPECT_EQ(d.files[1].filename(), "z.tiff");
  EXPECT_EQ(d.files[2].filename(), "x.pdf");
  EXPECT_EQ(d.files[3].filename(), "odd.bin");
  ASSERT_EQ(d.errors.size(), 1u);
  EXPECT_NE(d.errors[0].find("missing"), std::string::npos);
  ASSERT_EQ(d.folders.size(), 1u);
  EXPECT_TRUE(d.files[0].is_absolute());
}

TEST(BoundedQueue, BlocksWhenFullAndDrainsAfterClose) {
  BoundedQueue<int> q(2);
  EXPECT_TRUE(q.push(1));
  EXPECT_TRUE(q.push(2));
  std::atomic<bool> third_pushed{false};
  std::thread producer([&] {
    q.push(3);
    third_pushed = true;
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  EXPECT_FALSE(third_pushed) << "a full queue must block its producer";
  EXPECT_EQ(q.pop(), 1);
  producer.join();
  EXPECT_TRUE(third_pushed);
  q.close();
  EXPECT_FALSE(q.push(4));
  EXPECT_EQ(q.pop(), 2);
  EXPECT_EQ(q.pop(), 3);
  EXPECT_EQ(q.pop(), std::nullopt);
  EXPECT_TRUE(q.drained());
}

}  // namespace
}  // namespace patchwise::app
