#pragma once
// Why a page matched: the query-token x patch similarity matrix, each token's best patch
// and its contribution to the score (the contributions sum to the MaxSim score).
#include <cstddef>
#include <vector>

#include "core/multi_vector.h"

namespace patchwise::core {

struct Explanation {
  std::size_t tokens = 0;
  std::size_t patches = 0;
  std::vector<float> similarity;        // tokens x patches, row-major
  std::vector<std::size_t> best_patch;  // per token
  std::vector<float> contribution;      // per token: similarity at best_patch
  float score = 0;

  float at(std::size_t token, std::size_t patch) const { return similarity[token * patches + patch]; }
};

Explanation explain(const MultiVector& query, std::span<const float> page_values, std::size_t dim);

// One value per patch for a heatmap: token `token`'s similarities (throws Error if out of
// range), or the whole query's: per patch, the best similarity of any token.
std::vector<float> token_heat(const Explanation& explanation, std::size_t token);
std::vector<float> query_heat(const Explanation& explanation);

}  // namespace patchwise::core
