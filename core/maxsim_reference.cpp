#include "core/maxsim_reference.h"

#include <algorithm>
#include <limits>

#include "core/error.h"

namespace patchwise::core {

double maxsim_reference(const MultiVector& query, std::span<const float> page_rows,
                        std::size_t page_row_count) {
  const std::size_t dim = query.dim();
  if (page_rows.size() != page_row_count * dim) throw Error("maxsim_reference: page size mismatch");
  if (page_row_count == 0) return 0.0;
  double total = 0;
  for (std::size_t t = 0; t < query.rows(); ++t) {
    const auto q = query.row(t);
    double best = -std::numeric_limits<double>::infinity();
    for (std::size_t p = 0; p < page_row_count; ++p) {
      double dot = 0;
      for (std::size_t d = 0; d < dim; ++d) dot += double(q[d]) * page_rows[p * dim + d];
      best = std::max(best, dot);
    }
    total += best;
  }
  return total;
}

}  // namespace patchwise::core
