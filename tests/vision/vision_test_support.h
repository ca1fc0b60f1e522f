#pragma once
// Helpers shared by the vision tests: fixture paths, scratch files, pixel statistics.
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "core/patch_grid.h"
#include "vision/page_image.h"

namespace patchwise::vision::testing {

// tests/data/vision/<name>
std::filesystem::path data_file(const std::string& name);

// Real PDFs from Debian packages that .ci/install-deps installs.
std::filesystem::path libtasn1_pdf();     // 36 letter pages, pdfTeX, embedded fonts
std::filesystem::path mime_spec_pdf();    // 17 pages of 609.714 x 789.041 pt

// A fresh folder for this test (removed when the object dies).
class ScratchDir {
 public:
  ScratchDir();
  ~ScratchDir();
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;
  std::filesystem::path file(const std::string& name) const { return dir_ / name; }
  // Writes `bytes` to `name` in this folder and returns its path.
  std::filesystem::path write(const std::string& name, const std::vector<std::uint8_t>& bytes) const;

 private:
  std::filesystem::path dir_;
};

std::vector<std::uint8_t> read_bytes(const std::filesystem::path& path);

// The message of the patchwise::Error that Document::open(path) throws; a test failure (and
// "") if it opens.
std::string open_error(const std::filesystem::path& path);

// Mean of (R+G+B)/3 over the pixels a normalised rectangle covers.
double mean_brightness(const PageImage& image, const core::NormRect& box);
// Darkest (R+G+B)/3 inside a normalised rectangle.
int min_brightness(const PageImage& image, const core::NormRect& box);

// A solid-colour page.
PageImage solid_page(int width, int height, std::uint8_t r, std::uint8_t g, std::uint8_t b);

}  // namespace patchwise::vision::testing
