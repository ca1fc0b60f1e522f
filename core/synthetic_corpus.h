#pragma once
// Synthetic ColPali-like pages and queries for benchmarks and tests.
//
// The generator: `centres` random unit vectors stand for the visual/semantic "topics" of a
// collection. Each page draws `centres_per_page` of them (uniformly, without structure
// across pages) and each of its rows is one of those centres plus isotropic Gaussian noise
// of norm ~`noise`, normalised to unit length (cosine to its centre ~ 1/sqrt(1+noise^2)).
// A query picks a target page and draws each token from that page's centres with
// probability `on_target`, otherwise from any centre, with the same noise. So pages share
// topics with varying overlap, exact MaxSim has a clear winner plus a graded tail, and
// pooled or quantised stand-ins face a realistic ranking problem.
//
// Everything is a pure function of (seed, page index) or (seed, query index): pages can be
// generated in any order, on any thread, straight into any storage form.
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "core/corpus.h"
#include "core/multi_vector.h"

namespace patchwise::core {

struct SyntheticSpec {
  std::size_t pages = 1000;            // Default: 1000.
  std::size_t rows = 1030;             // Default: 1030 rows per page (ColPali).
  std::size_t dim = 128;               // Default: 128 (ColPali).
  std::size_t centres = 4096;          // Default: 4096 topic centres.
  std::size_t centres_per_page = 24;   // Default: 24 topics per page.
  float noise = 1.0f;                  // Default: 1.0 (row-to-centre cosine ~0.7).
  std::size_t query_tokens = 32;       // Default: 32 tokens per query.
  float on_target = 0.75f;             // Default: 3 in 4 query tokens from the target page.
  std::uint64_t seed = 42;             // Default: 42.
};

class SyntheticCorpus {
 public:
  explicit SyntheticCorpus(SyntheticSpec spec);

  const SyntheticSpec& spec() const { return spec_; }
  // Page `index`'s rows x dim unit vectors, written to `out` (rows * dim floats).
  void page(std::size_t index, std::span<float> out) const;
  // Query `index` (its target page is query_target(index)).
  MultiVector query(std::size_t index) const;
  std::size_t query_target(std::size_t index) const;

  // All pages in one Corpus of the given form, generated on `threads` threads.
  Corpus build(VectorForm form, int threads = 0) const;

 private:
  void page_centres(std::size_t index, std::vector<std::uint32_t>& out) const;
  void noisy_unit(std::uint32_t centre, std::uint64_t& state, std::span<float> out) const;

  SyntheticSpec spec_;
  std::vector<float> centres_;  // centres x dim unit vectors
};

}  // namespace patchwise::core
