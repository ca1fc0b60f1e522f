#include "vision_test_support.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <fstream>
#include <iterator>

#include <unistd.h>

#include "core/error.h"
#include "vision/document.h"

namespace patchwise::vision::testing {

std::filesystem::path data_file(const std::string& name) {
  return std::filesystem::path(PATCHWISE_SOURCE_DIR) / "tests" / "data" / "vision" / name;
}

std::filesystem::path libtasn1_pdf() { return "/usr/share/doc/libtasn1-doc/libtasn1.pdf"; }
std::filesystem::path mime_spec_pdf() { return "/usr/share/doc/shared-mime-info/shared-mime-info-spec.pdf"; }

ScratchDir::ScratchDir() {
  static std::atomic<int> counter{0};
  const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
  std::string test = info ? std::string(info->test_suite_name()) + "." + info->name() : "vision";
  std::replace(test.begin(), test.end(), '/', '_');  // parameterised tests: "Suite/Test/0"
  dir_ = std::filesystem::temp_directory_path() /
         ("patchwise-vision-" + std::to_string(::getpid()) + "-" + std::to_string(counter++) + "-" + test);
  std::filesystem::create_directories(dir_);
}

ScratchDir::~ScratchDir() {
  std::error_code ec;
  std::filesystem::remove_all(dir_, ec);
}

std::filesystem::path ScratchDir::write(const std::string& name, const std::vector<std::uint8_t>& bytes) const {
  const auto path = file(name);
  std::ofstream out(path, std::ios::binary);
  out.write(reinterpret_cast<const char*>(bytes.data()), std::streamsize(bytes.size()));
  return path;
}

std::vector<std::uint8_t> read_bytes(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

namespace {

template <class F>
void for_each_pixel(const PageImage& image, const core::NormRect& box, F&& f) {
  const int x0 = std::clamp(int(std::floor(box.x0 * image.width)), 0, image.width);
  const int y0 = std::clamp(int(std::floor(box.y0 * image.height)), 0, image.height);
  const int x1 = std::clamp(int(std::ceil(box.x1 * image.width)), 0, image.width);
  const int y1 = std::clamp(int(std::ceil(box.y1 * image.height)), 0, image.height);
  for (int y = y0; y < y1; ++y) {
    for (int x = x0; x < x1; ++x) {
      const std::uint8_t* p = image.pixel(x, y);
      f((p[0] + p[1] + p[2]) / 3);
    }
  }
}

}  // namespace

double mean_brightness(const PageImage& image, const core::NormRect& box) {
  double sum = 0;
  long n = 0;
  for_each_pixel(image, box, [&](int v) { sum += v; ++n; });
  return n ? sum / n : -1;
}

int min_brightness(const PageImage& image, const core::NormRect& box) {
  int lowest = 256;
  for_each_pixel(image, box, [&](int v) { lowest = std::min(lowest, v); });
  return lowest;
}

PageImage solid_page(int width, int height, std::uint8_t r, std::uint8_t g, std::uint8_t b) {
  PageImage page;
  page.width = width;
  page.height = height;
  page.width_pt = width * 72.0 / 150;
  page.height_pt = height * 72.0 / 150;
  page.rgb.resize(std::size_t(width) * height * 3);
  for (std::size_t i = 0; i < page.rgb.size(); i += 3) {
    page.rgb[i] = r;
    page.rgb[i + 1] = g;
    page.rgb[i + 2] = b;
  }
  return page;
}

std::string open_error(const std::filesystem::path& path) {
  try {
    Document::open(path);
  } catch (const Error& e) {
    return e.what();
  }
  ADD_FAILURE() << "expected patchwise::Error opening " << path;
  return {};
}

}  // namespace patchwise::vision::testing
