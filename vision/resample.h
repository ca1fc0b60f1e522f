#pragma once
// Image resizing that reproduces Pillow's Image.resize (no box, no reducing_gap) bit for bit
// on 8-bit images, because model preprocessing was defined with Pillow and every pixel that
// differs changes every embedding. Separable: horizontal pass, then vertical pass, each with
// antialiasing (filter support scaled by the downscale factor), weights normalised in double
// precision, then 22-bit fixed point with rounding and clamping to uint8 after each pass.
#include <cstdint>
#include <span>
#include <vector>

namespace patchwise::vision {

// Pillow's resample filters (the numbers are Pillow's constants, kept for config files).
enum class ResampleFilter : int {
  lanczos = 1,   // Image.LANCZOS: windowed sinc, support 3
  bilinear = 2,  // Image.BILINEAR: triangle, support 1
  bicubic = 3,   // Image.BICUBIC: Keys cubic a = -0.5, support 2
};

// A packed, row-major 8-bit image with `channels` interleaved samples per pixel.
struct Image8 {
  int width = 0;
  int height = 0;
  int channels = 3;
  std::vector<std::uint8_t> pixels;  // width * height * channels bytes

  bool empty() const { return width == 0 || height == 0; }
};

// Maps a Pillow filter number (resample = 1/2/3 in preprocessor configs) to a filter;
// throws patchwise::Error for filters that are not implemented (NEAREST, BOX, HAMMING).
ResampleFilter resample_filter_from_pillow(int pillow_code);

// Resizes `src` to width x height like Pillow's `Image.resize((width, height), filter)`.
// Equal sizes return an unchanged copy. Throws patchwise::Error for empty images, bad sizes or
// a pixel buffer whose length does not match the dimensions.
Image8 resize_like_pillow(const Image8& src, int width, int height, ResampleFilter filter);

}  // namespace patchwise::vision
