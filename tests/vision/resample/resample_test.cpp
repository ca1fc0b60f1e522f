// Bit equality with Pillow 9.4 (Debian 12) on random images; goldens made by
// tests/vision/resample/data/make_goldens.py (see its docstring to regenerate).
#include "vision/resample.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "core/error.h"

namespace patchwise::vision {
namespace {

struct GoldenCase {
  ResampleFilter filter;
  Image8 input;
  Image8 expected;
};

class Reader {
 public:
  explicit Reader(std::vector<char> bytes) : bytes_(std::move(bytes)) {}
  std::uint32_t u32() {
    std::uint32_t v = 0;
    std::memcpy(&v, take(4), 4);
    return v;
  }
  std::vector<std::uint8_t> bytes(std::size_t n) {
    const char* p = take(n);
    return {p, p + n};
  }

 private:
  const char* take(std::size_t n) {
    if (pos_ + n > bytes_.size()) throw std::runtime_error("golden file truncated");
    const char* p = bytes_.data() + pos_;
    pos_ += n;
    return p;
  }
  std::vector<char> bytes_;
  std::size_t pos_ = 0;
};

std::vector<GoldenCase> load_goldens() {
  std::ifstream f(PATCHWISE_SOURCE_DIR "/tests/vision/resample/data/pillow_goldens.bin", std::ios::binary);
  Reader r({std::istreambuf_iterator<char>(f), {}});
  if (r.bytes(4) != std::vector<std::uint8_t>{'P', 'W', 'R', 'S'}) throw std::runtime_error("bad magic");
  r.bytes(r.u32());  // Pillow version
  std::vector<GoldenCase> cases(r.u32());
  for (auto& c : cases) {
    c.filter = resample_filter_from_pillow(static_cast<int>(r.u32()));
    c.input.width = static_cast<int>(r.u32());
    c.input.height = static_cast<int>(r.u32());
    c.expected.width = static_cast<int>(r.u32());
    c.expected.height = static_cast<int>(r.u32());
    c.input.channels = c.expected.channels = static_cast<int>(r.u32());
    c.input.pixels = r.bytes(std::size_t(c.input.width) * c.input.height * c.input.channels);
    c.expected.pixels = r.bytes(std::size_t(c.expected.width) * c.expected.height * c.expected.channels);
  }
  return cases;
}

TEST(ResampleLikePillow, MatchesPillowBitForBit) {
  const auto cases = load_goldens();
  ASSERT_GE(cases.size(), 40u);
  for (const auto& c : cases) {
    const Image8 out = resize_like_pillow(c.input, c.expected.width, c.expected.height, c.filter);
    SCOPED_TRACE("filter " + std::to_string(static_cast<int>(c.filter)) + " " +
                 std::to_string(c.input.width) + "x" + std::to_string(c.input.height) + " -> " +
                 std::to_string(c.expected.width) + "x" + std::to_string(c.expected.height));
    ASSERT_EQ(out.width, c.expected.width);
    ASSERT_EQ(out.height, c.expected.height);
    std::size_t differing = 0;
    for (std::size_t i = 0; i < out.pixels.size(); ++i) differing += out.pixels[i] != c.expected.pixels[i];
    EXPECT_EQ(differing, 0u);
  }
}

TEST(ResampleLikePillow, EqualSizeIsIdentity) {
  Image8 img{3, 2, 3, {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18}};
  EXPECT_EQ(resize_like_pillow(img, 3, 2, ResampleFilter::lanczos).pixels, img.pixels);
}

TEST(ResampleLikePillow, ConstantImageStaysConstant) {
  Image8 img{7, 5, 3, std::vector<std::uint8_t>(7 * 5 * 3, 200)};
  for (auto f : {ResampleFilter::lanczos, ResampleFilter::bicubic, ResampleFilter::bilinear}) {
    const Image8 out = resize_like_pillow(img, 19, 3, f);
    for (auto v : out.pixels) ASSERT_EQ(v, 200);
  }
}

TEST(ResampleLikePillow, RejectsBadInput) {
  Image8 img{4, 4, 3, std::vector<std::uint8_t>(10)};
  EXPECT_THROW(resize_like_pillow(img, 2, 2, ResampleFilter::bilinear), Error);
  Image8 ok{4, 4, 3, std::vector<std::uint8_t>(48)};
  EXPECT_THROW(resize_like_pillow(ok, 0, 2, ResampleFilter::bilinear), Error);
  EXPECT_THROW(resize_like_pillow(Image8{}, 2, 2, ResampleFilter::bilinear), Error);
  EXPECT_THROW(resample_filter_from_pillow(0), Error);
}

}  // namespace
}  // namespace patchwise::vision
