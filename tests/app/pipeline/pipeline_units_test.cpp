#include <gtest/gtest.h>

#include <fstream>
#include <thread>

#include "app/pipeline/bounded_queue.h"
#include "app/pipeline/discover.h"
#include "tests/support/temp_dir.h"

namespace patchwise::app {
namespace {

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
