#pragma once
// All pages' vectors for one model, packed in one contiguous arena (faiss-style row-major
// contract): page i owns rows [offset(i), offset(i) + rows(i)) of a rows x dim matrix.
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "core/multi_vector.h"

namespace patchwise::core {

class Corpus {
 public:
  explicit Corpus(std::size_t dim) : dim_(dim) { offsets_.push_back(0); }

  // Appends one page; `values` is rows x dim, row-major. Returns the page's index.
  std::size_t add_page(std::int64_t page_id, std::span<const float> values);
  void reserve(std::size_t pages, std::size_t total_rows);

  std::size_t dim() const { return dim_; }
  std::size_t page_count() const { return ids_.size(); }
  std::size_t total_rows() const { return offsets_.back(); }
  std::int64_t page_id(std::size_t i) const { return ids_[i]; }
  std::size_t rows(std::size_t i) const { return offsets_[i + 1] - offsets_[i]; }
  std::size_t offset(std::size_t i) const { return offsets_[i]; }
  std::span<const float> page_values(std::size_t i) const {
    return {arena_.data() + offsets_[i] * dim_, rows(i) * dim_};
  }
  std::span<const float> arena() const { return arena_; }

 private:
  std::size_t dim_;
  std::vector<std::int64_t> ids_;
  std::vector<std::size_t> offsets_;  // page_count + 1 entries, in rows
  std::vector<float> arena_;
};

}  // namespace patchwise::core
