#include "core/explanation.h"

#include <algorithm>
#include <limits>
#include <string>

#include "core/error.h"

namespace patchwise::core {

Explanation explain(const MultiVector& query, std::span<const float> page_values, std::size_t dim) {
  if (dim != query.dim() || page_values.size() % dim != 0) {
    throw Error("explain: page vectors do not match the query dimension");
  }
  Explanation e;
  e.tokens = query.rows();
  e.patches = page_values.size() / dim;
  e.similarity.assign(e.tokens * e.patches, 0.0f);
  e.best_patch.assign(e.tokens, 0);
  e.contribution.assign(e.tokens, 0.0f);
  for (std::size_t t = 0; t < e.tokens; ++t) {
    const auto q = query.row(t);
    float best = -std::numeric_limits<float>::infinity();
    for (std::size_t p = 0; p < e.patches; ++p) {
      float dot = 0;
      for (std::size_t d = 0; d < dim; ++d) dot += q[d] * page_values[p * dim + d];
      e.similarity[t * e.patches + p] = dot;
      if (dot > best) {
        best = dot;
        e.best_patch[t] = p;
      }
    }
    e.contribution[t] = e.patches ? best : 0.0f;
    e.score += e.contribution[t];
  }
  return e;
}

std::vector<float> token_heat(const Explanation& explanation, std::size_t token) {
  if (token >= explanation.tokens) {
    throw Error("explain: query token " + std::to_string(token) + " is out of range (the query has " +
                std::to_string(explanation.tokens) + " tokens, numbered from 0)");
  }
  const auto row = explanation.similarity.begin() + std::ptrdiff_t(token * explanation.patches);
  return {row, row + std::ptrdiff_t(explanation.patches)};
}

std::vector<float> query_heat(const Explanation& explanation) {
  std::vector<float> heat(explanation.patches, -std::numeric_limits<float>::infinity());
  for (std::size_t t = 0; t < explanation.tokens; ++t) {
    for (std::size_t p = 0; p < explanation.patches; ++p) heat[p] = std::max(heat[p], explanation.at(t, p));
  }
  return heat;
}

}  // namespace patchwise::core
