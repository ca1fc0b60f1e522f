#include "core/synthetic_corpus.h"

#include <algorithm>
#include <cmath>
#include <memory>
#include <string>

#include "core/error.h"
#include "core/parallel.h"
#include "core/quantize.h"

namespace patchwise::core {
namespace {

std::uint64_t splitmix(std::uint64_t& state) {
  std::uint64_t z = (state += 0x9e3779b97f4a7c15ull);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

// Approximately standard normal: the sum of four 16-bit uniforms (Irwin-Hall), rescaled.
// Cheap enough to generate 100M rows; the tails do not matter here.
float approx_normal(std::uint64_t& state) {
  const std::uint64_t r = splitmix(state);
  const float sum = float(r & 0xffff) + float((r >> 16) & 0xffff) + float((r >> 32) & 0xffff) +
                    float(r >> 48);
  // mean 2 * 65535, variance 4 * 65536^2 / 12
  return (sum - 131070.0f) * (1.7320508f / 65536.0f);
}

void normalize(std::span<float> v) {
  double n = 0;
  for (const float x : v) n += double(x) * x;
  const float inv = n > 0 ? float(1.0 / std::sqrt(n)) : 0.0f;
  for (float& x : v) x *= inv;
}

std::uint64_t stream_seed(std::uint64_t seed, std::uint64_t kind, std::uint64_t index) {
  std::uint64_t s = seed ^ (kind * 0x632be59bd9b4e019ull) ^ (index * 0x8cb92ba72f3d8dd7ull);
  return splitmix(s);
}

}  // namespace

SyntheticCorpus::SyntheticCorpus(SyntheticSpec spec) : spec_(spec) {
  if (spec_.dim == 0 || spec_.centres == 0 || spec_.centres_per_page == 0) {
    throw Error("synthetic corpus: dim, centres and centres_per_page must be positive");
  }
  centres_.resize(spec_.centres * spec_.dim);
  std::uint64_t state = stream_seed(spec_.seed, 1, 0);
  for (std::size_t c = 0; c < spec_.centres; ++c) {
    auto v = std::span<float>(centres_).subspan(c * spec_.dim, spec_.dim);
    for (float& x : v) x = approx_normal(state);
    normalize(v);
  }
}

void SyntheticCorpus::page_centres(std::size_t index, std::vector<std::uint32_t>& out) const {
  std::uint64_t state = stream_seed(spec_.seed, 2, index);
  out.resize(spec_.centres_per_page);
  for (auto& c : out) c = std::uint32_t(splitmix(state) % spec_.centres);
}

void SyntheticCorpus::noisy_unit(std::uint32_t centre, std::uint64_t& state, std::span<float> out) const {
  const float* c = centres_.data() + std::size_t(centre) * spec_.dim;
  const float sigma = spec_.noise / std::sqrt(float(spec_.dim));
  for (std::size_t d = 0; d < spec_.dim; ++d) out[d] = c[d] + sigma * approx_normal(state);
  normalize(out);
}

void SyntheticCorpus::page(std::size_t index, std::span<float> out) const {
  if (out.size() != spec_.rows * spec_.dim) {
    throw Error("synthetic corpus: page buffer holds " + std::to_string(out.size()) +
                " floats, expected " + std::to_string(spec_.rows * spec_.dim));
  }
  std::vector<std::uint32_t> centres;
  page_centres(index, centres);
  std::uint64_t state = stream_seed(spec_.seed, 3, index);
  for (std::size_t r = 0; r < spec_.rows; ++r) {
    const auto centre = centres[splitmix(state) % centres.size()];
    noisy_unit(centre, state, out.subspan(r * spec_.dim, spec_.dim));
  }
}

std::size_t SyntheticCorpus::query_target(std::size_t index) const {
  std::uint64_t state = stream_seed(spec_.seed, 4, index);
  return spec_.pages ? splitmix(state) % spec_.pages : 0;
}

MultiVector SyntheticCorpus::query(std::size_t index) const {
  std::vector<std::uint32_t> centres;
  page_centres(query_target(index), centres);
  std::uint64_t state = stream_seed(spec_.seed, 5, index);
  MultiVector q(spec_.query_tokens, spec_.dim);
  for (std::size_t t = 0; t < spec_.query_tokens; ++t) {
    const double u = double(splitmix(state) >> 11) * 0x1.0p-53;
    const auto centre = u < spec_.on_target ? centres[splitmix(state) % centres.size()]
                                            : std::uint32_t(splitmix(state) % spec_.centres);
    noisy_unit(centre, state, q.row(t));
  }
  return q;
}

Corpus SyntheticCorpus::build(VectorForm form, int threads) const {
  // Threads encode disjoint slices of one preallocated arena; the Corpus is a view over it
  // (no second copy, which matters at 10k+ pages).
  struct Storage {
    std::vector<std::int64_t> ids;
    std::vector<std::uint64_t> offsets;
    std::vector<float> scales;
    std::vector<std::byte> arena;
  };
  const std::size_t pages = spec_.pages;
  const std::size_t rows = spec_.rows;
  const std::size_t bytes_per_row = row_bytes(form, spec_.dim);
  auto storage = std::make_shared<Storage>();
  storage->ids.resize(pages);
  storage->offsets.resize(pages + 1);
  for (std::size_t i = 0; i <= pages; ++i) storage->offsets[i] = i * rows;
  if (form == VectorForm::int8) storage->scales.resize(pages * rows);
  storage->arena.resize(pages * rows * bytes_per_row);
  const int parts = std::max(1, std::min<int>(resolve_threads(threads), int(std::max<std::size_t>(pages, 1))));
  run_parts(parts, split_evenly(pages, parts), [&](int, std::size_t begin, std::size_t end) {
    std::vector<float> values(rows * spec_.dim);
    for (std::size_t i = begin; i < end; ++i) {
      page(i, values);
      storage->ids[i] = std::int64_t(i);
      for (std::size_t r = 0; r < rows; ++r) {
        const float scale = encode_row(form, std::span<const float>(values).subspan(r * spec_.dim, spec_.dim),
                                       storage->arena.data() + (i * rows + r) * bytes_per_row);
        if (form == VectorForm::int8) storage->scales[i * rows + r] = scale;
      }
    }
  });
  Corpus::External external{storage->ids, storage->offsets, storage->scales, storage->arena, storage};
  return Corpus::view(spec_.dim, form, std::move(external));
}

}  // namespace patchwise::core
