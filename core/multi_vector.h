#pragma once
// A bag of D-dimensional vectors: one per query token or per page patch.
// Contract (stated once, used everywhere): row-major, rows x dim floats.
#include <cstddef>
#include <span>
#include <vector>

namespace patchwise::core {

class MultiVector {
 public:
  MultiVector() = default;
  MultiVector(std::size_t rows, std::size_t dim) : rows_(rows), dim_(dim), data_(rows * dim) {}
  MultiVector(std::size_t rows, std::size_t dim, std::vector<float> data);

  std::size_t rows() const { return rows_; }
  std::size_t dim() const { return dim_; }
  bool empty() const { return rows_ == 0; }

  std::span<const float> row(std::size_t r) const { return {data_.data() + r * dim_, dim_}; }
  std::span<float> row(std::size_t r) { return {data_.data() + r * dim_, dim_}; }
  std::span<const float> values() const { return data_; }
  std::span<float> values() { return data_; }

  // Scales every non-zero row to unit length; zero rows (padding) stay zero.
  void normalize_rows();

 private:
  std::size_t rows_ = 0;
  std::size_t dim_ = 0;
  std::vector<float> data_;
};

}  // namespace patchwise::core
