#pragma once
// Random unit-length multi-vectors for the core tests (seeded, so failures reproduce).
#include <cstddef>
#include <random>

#include "core/multi_vector.h"

namespace patchwise::core::test {

inline MultiVector random_unit_rows(std::size_t rows, std::size_t dim, std::mt19937& rng) {
  std::normal_distribution<float> n;
  MultiVector m(rows, dim);
  for (float& x : m.values()) x = n(rng);
  m.normalize_rows();
  return m;
}

}  // namespace patchwise::core::test
