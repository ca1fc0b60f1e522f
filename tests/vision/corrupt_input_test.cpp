// Damaged files of every kind: opening and rendering either works or throws patchwise::Error,
// never crashes, hangs or throws anything else (LevelDB-style corruption tests, seeded).
#include <gtest/gtest.h>

#include <cctype>
#include <random>

#include "core/error.h"
#include "vision/document.h"
#include "vision/image_file.h"
#include "vision_test_support.h"

namespace patchwise::vision {
namespace {

// Opens and fully uses a document; returns true when it worked, false on patchwise::Error.
bool use_fully(const std::filesystem::path& path) {
  try {
    const auto doc = Document::open(path);
    for (int i = 0; i < std::min(doc->page_count(), 4); ++i) {
      (void)doc->page_size(i);
      (void)doc->render(i, {36, 200'000});
      (void)doc->words(i);
    }
    return true;
  } catch (const Error&) {
    return false;
  }
}

std::vector<std::uint8_t> mutated(std::vector<std::uint8_t> bytes, std::mt19937& rng) {
  std::uniform_int_distribution<std::size_t> at(0, bytes.size() - 1);
  switch (rng() % 3) {
    case 0:  // truncate
      bytes.resize(at(rng));
      break;
    case 1:  // scribble over a few bytes
      for (int i = 0; i < 8; ++i) bytes[at(rng)] = std::uint8_t(rng());
      break;
    default:  // zero a run
      for (std::size_t i = at(rng), n = 0; i < bytes.size() && n < 64; ++i, ++n) bytes[i] = 0;
  }
  return bytes;
}

class CorruptInput : public ::testing::TestWithParam<std::string> {};

TEST_P(CorruptInput, EveryDamagedVariantOpensOrFailsCleanly) {
  const testing::ScratchDir dir;
  std::vector<std::uint8_t> original;
  if (GetParam() == "photo.jpg") {
    PageImage page = testing::solid_page(48, 32, 200, 100, 50);
    original = encode_image(page, ImageEncoding::jpeg, 90);
  } else {
    original = testing::read_bytes(testing::data_file(GetParam()));
  }
  ASSERT_FALSE(original.empty());
  ASSERT_TRUE(use_fully(dir.write("original", original)));
  std::mt19937 rng(20240521);
  int failures = 0;
  for (int round = 0; round < 60; ++round) {
    SCOPED_TRACE("round " + std::to_string(round));
    failures += !use_fully(dir.write("damaged_" + std::to_string(round), mutated(original, rng)));
  }
  // Damage is detected at least sometimes (truncation to a few bytes always is).
  EXPECT_GT(failures, 0);
}

INSTANTIATE_TEST_SUITE_P(Files, CorruptInput,
                         ::testing::Values("shapes.pdf", "cropped_text.pdf", "rgb.png", "grey16.png",
                                           "multipage.tif", "photo.jpg"),
                         [](const auto& info) {
                           std::string name = info.param;
                           for (char& c : name) c = std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
                           return name;
                         });

}  // namespace
}  // namespace patchwise::vision
