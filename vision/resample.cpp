#include "vision/resample.h"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <string>

#include "core/error.h"

namespace patchwise::vision {
namespace {

// Pillow's 8-bit path: 32-bit accumulators, 8 bits of pixel, 2 bits of headroom.
constexpr int kPrecisionBits = 32 - 8 - 2;

double bilinear(double x) {
  x = std::fabs(x);
  return x < 1.0 ? 1.0 - x : 0.0;
}

double bicubic(double x) {
  constexpr double a = -0.5;
  x = std::fabs(x);
  if (x < 1.0) return ((a + 2.0) * x - (a + 3.0)) * x * x + 1;
  if (x < 2.0) return (((x - 5) * x + 8) * x - 4) * a;
  return 0.0;
}

double sinc(double x) {
  if (x == 0.0) return 1.0;
  x = x * std::numbers::pi;
  return std::sin(x) / x;
}

double lanczos(double x) {
  if (-3.0 <= x && x < 3.0) return sinc(x) * sinc(x / 3);
  return 0.0;
}

struct Filter {
  double (*weight)(double);
  double support;
};

Filter filter_of(ResampleFilter f) {
  switch (f) {
    case ResampleFilter::bilinear: return {bilinear, 1.0};
    case ResampleFilter::bicubic: return {bicubic, 2.0};
    case ResampleFilter::lanczos: return {lanczos, 3.0};
  }
  throw Error("resample: unknown filter " + std::to_string(static_cast<int>(f)));
}

// For each output index along one axis: the first input index, how many inputs it reads,
// and their fixed-point weights (ksize per output, unused tail zero).
struct Coefficients {
  int ksize = 0;
  std::vector<int> first;
  std::vector<int> count;
  std::vector<std::int32_t> weights;
};

std::int32_t to_fixed(double w) {
  const double scaled = w * (1 << kPrecisionBits);
  return static_cast<std::int32_t>(w < 0 ? -0.5 + scaled : 0.5 + scaled);
}

// Pillow's precompute_coeffs + normalize_coeffs_8bpc, in the same order of operations.
Coefficients coefficients(int in_size, int out_size, const Filter& filter) {
  const double scale = static_cast<double>(in_size) / out_size;
  const double filterscale = std::max(scale, 1.0);
  const double support = filter.support * filterscale;
  Coefficients c;
  c.ksize = static_cast<int>(std::ceil(support)) * 2 + 1;
  c.first.resize(out_size);
  c.count.resize(out_size);
  c.weights.assign(static_cast<std::size_t>(out_size) * c.ksize, 0);
  std::vector<double> k(c.ksize);
  const double ss = 1.0 / filterscale;
  for (int o = 0; o < out_size; ++o) {
    const double center = (o + 0.5) * scale;
    const int xmin = std::max(static_cast<int>(center - support + 0.5), 0);
    const int xmax = std::min(static_cast<int>(center + support + 0.5), in_size) - xmin;
    double sum = 0.0;
    for (int x = 0; x < xmax; ++x) {
      k[x] = filter.weight((x + xmin - center + 0.5) * ss);
      sum += k[x];
    }
    std::int32_t* out = c.weights.data() + static_cast<std::size_t>(o) * c.ksize;
    for (int x = 0; x < xmax; ++x) out[x] = to_fixed(sum != 0.0 ? k[x] / sum : k[x]);
    c.first[o] = xmin;
    c.count[o] = std::max(xmax, 0);
  }
  return c;
}

std::uint8_t clip8(std::int64_t acc) {
  if (acc >= (std::int64_t{1} << kPrecisionBits << 8)) return 255;
  if (acc <= 0) return 0;
  return static_cast<std::uint8_t>(acc >> kPrecisionBits);
}

// Horizontal pass over source rows [row0, row0 + out.height).
void resample_horizontal(const Image8& in, int row0, const Coefficients& c, Image8& out) {
  const int ch = in.channels;
  std::int64_t acc[4];
  for (int y = 0; y < out.height; ++y) {
    const std::uint8_t* src = in.pixels.data() + static_cast<std::size_t>(y + row0) * in.width * ch;
    std::uint8_t* dst = out.pixels.data() + static_cast<std::size_t>(y) * out.width * ch;
    for (int x = 0; x < out.width; ++x) {
      const std::int32_t* k = c.weights.data() + static_cast<std::size_t>(x) * c.ksize;
      std::fill(acc, acc + ch, std::int64_t{1} << (kPrecisionBits - 1));
      const std::uint8_t* p = src + static_cast<std::size_t>(c.first[x]) * ch;
      for (int i = 0; i < c.count[x]; ++i, p += ch) {
        for (int s = 0; s < ch; ++s) acc[s] += p[s] * static_cast<std::int64_t>(k[i]);
      }
      for (int s = 0; s < ch; ++s) dst[x * ch + s] = clip8(acc[s]);
    }
  }
}

// Vertical pass; coefficient bounds are relative to the first row present in `in`.
void resample_vertical(const Image8& in, int row_shift, const Coefficients& c, Image8& out) {
  const std::size_t stride = static_cast<std::size_t>(in.width) * in.channels;
  std::vector<std::int64_t> acc(stride);
  for (int y = 0; y < out.height; ++y) {
    const std::int32_t* k = c.weights.data() + static_cast<std::size_t>(y) * c.ksize;
    std::fill(acc.begin(), acc.end(), std::int64_t{1} << (kPrecisionBits - 1));
    const std::uint8_t* src = in.pixels.data() + static_cast<std::size_t>(c.first[y] - row_shift) * stride;
    for (int i = 0; i < c.count[y]; ++i, src += stride) {
      const std::int64_t w = k[i];
      for (std::size_t s = 0; s < stride; ++s) acc[s] += src[s] * w;
    }
    std::uint8_t* dst = out.pixels.data() + static_cast<std::size_t>(y) * stride;
    for (std::size_t s = 0; s < stride; ++s) dst[s] = clip8(acc[s]);
  }
}

Image8 blank(int width, int height, int channels) {
  Image8 img;
  img.width = width;
  img.height = height;
  img.channels = channels;
  img.pixels.resize(static_cast<std::size_t>(width) * height * channels);
  return img;
}

void check(const Image8& src, int width, int height) {
  if (src.channels < 1 || src.channels > 4) {
    throw Error("resize: images must have 1 to 4 channels, got " + std::to_string(src.channels));
  }
  if (src.empty() || src.width < 0 || src.height < 0) throw Error("resize: the source image is empty");
  if (width <= 0 || height <= 0) {
    throw Error("resize: target size must be positive, got " + std::to_string(width) + "x" +
                std::to_string(height));
  }
  const auto expected = static_cast<std::size_t>(src.width) * src.height * src.channels;
  if (src.pixels.size() != expected) {
    throw Error("resize: a " + std::to_string(src.width) + "x" + std::to_string(src.height) + "x" +
                std::to_string(src.channels) + " image needs " + std::to_string(expected) +
                " bytes, found " + std::to_string(src.pixels.size()));
  }
}

}  // namespace

ResampleFilter resample_filter_from_pillow(int pillow_code) {
  switch (pillow_code) {
    case 1: return ResampleFilter::lanczos;
    case 2: return ResampleFilter::bilinear;
    case 3: return ResampleFilter::bicubic;
    default:
      throw Error("resample filter " + std::to_string(pillow_code) +
                  " is not supported (supported: 1 = LANCZOS, 2 = BILINEAR, 3 = BICUBIC)");
  }
}

Image8 resize_like_pillow(const Image8& src, int width, int height, ResampleFilter filter) {
  check(src, width, height);
  if (width == src.width && height == src.height) return src;
  const Filter f = filter_of(filter);
  const bool horizontal = width != src.width;
  const bool vertical = height != src.height;
  const Coefficients ch = coefficients(src.width, width, f);
  const Coefficients cv = coefficients(src.height, height, f);

  // Like Pillow, run the horizontal pass only over the rows the vertical pass reads.
  const int row_first = cv.first.front();
  const int row_last = cv.first.back() + cv.count.back();
  Image8 mid;
  int row_shift = 0;
  if (horizontal) {
    const int rows = vertical ? row_last - row_first : src.height;
    row_shift = vertical ? row_first : 0;
    mid = blank(width, rows, src.channels);
    resample_horizontal(src, row_shift, ch, mid);
    if (!vertical) return mid;
  }
  const Image8& in = horizontal ? mid : src;
  Image8 out = blank(width, height, src.channels);
  resample_vertical(in, row_shift, cv, out);
  return out;
}

}  // namespace patchwise::vision
