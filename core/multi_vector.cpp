#include "core/multi_vector.h"

#include <cmath>
#include <string>

#include "core/error.h"

namespace patchwise::core {

MultiVector::MultiVector(std::size_t rows, std::size_t dim, std::vector<float> data)
    : rows_(rows), dim_(dim), data_(std::move(data)) {
  if (data_.size() != rows * dim) {
    throw Error("MultiVector: " + std::to_string(data_.size()) + " values given for " +
                std::to_string(rows) + " x " + std::to_string(dim));
  }
}

void MultiVector::normalize_rows() {
  for (std::size_t r = 0; r < rows_; ++r) {
    auto v = row(r);
    double sum = 0;
    for (float x : v) sum += double(x) * x;
    if (sum == 0) continue;
    const float inv = float(1.0 / std::sqrt(sum));
    for (float& x : v) x *= inv;
  }
}

}  // namespace patchwise::core
