#pragma once
// All pages' vectors for one model, packed in one contiguous arena (faiss-style row-major
// contract): page i owns rows [offset(i), offset(i) + rows(i)) of a rows x dim matrix,
// stored in one VectorForm. Pages have any number of rows; nothing is padded.
//
// A Corpus either owns its arena (built with add_page / add_encoded_page, after one
// reserve() so that loading a library allocates nothing per page) or is a read-only view
// over memory someone else keeps alive, typically a memory-mapped corpus file
// (core/corpus_file.h), so a corpus larger than RAM can be searched.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "core/multi_vector.h"
#include "core/vector_form.h"

namespace patchwise::core {

class Corpus {
 public:
  explicit Corpus(std::size_t dim, VectorForm form = VectorForm::f32);
  // Copies re-point their views at their own storage; moves keep the buffers (and views).
  Corpus(const Corpus& other);
  Corpus& operator=(const Corpus& other);
  Corpus(Corpus&&) noexcept = default;
  Corpus& operator=(Corpus&&) noexcept = default;

  // The arrays a view reads; `keep_alive` owns the memory they point into.
  struct External {
    std::span<const std::int64_t> ids;
    std::span<const std::uint64_t> offsets;  // page_count + 1 entries, in rows, first 0
    std::span<const float> scales;           // one per row for int8, else empty
    std::span<const std::byte> arena;        // total_rows * row_bytes(form, dim)
    std::shared_ptr<const void> keep_alive;
  };
  // A read-only corpus over external memory. Throws Error if the arrays disagree.
  static Corpus view(std::size_t dim, VectorForm form, External external);

  // Appends one page; `values` is rows x dim fp32, row-major, encoded into form().
  // Returns the page's index. Throws Error on a size mismatch or on a read-only view.
  std::size_t add_page(std::int64_t page_id, std::span<const float> values);
  // Appends a page already in form(): rows * row_bytes() bytes (and one scale per row for
  // int8), e.g. a blob read straight from the library.
  std::size_t add_encoded_page(std::int64_t page_id, std::size_t rows,
                               std::span<const std::byte> encoded, std::span<const float> scales);
  void reserve(std::size_t pages, std::size_t total_rows);

  std::size_t dim() const { return dim_; }
  VectorForm form() const { return form_; }
  std::size_t row_bytes() const { return row_bytes_; }
  std::size_t page_count() const { return ids_.size(); }
  std::size_t total_rows() const { return offsets_.back(); }
  std::int64_t page_id(std::size_t i) const { return ids_[i]; }
  std::size_t rows(std::size_t i) const { return offsets_[i + 1] - offsets_[i]; }
  std::size_t offset(std::size_t i) const { return offsets_[i]; }
  bool is_view() const { return keep_alive_ != nullptr; }

  // The page's rows in form(): rows(i) * row_bytes() bytes.
  std::span<const std::byte> page_bytes(std::size_t i) const {
    return arena_.subspan(offsets_[i] * row_bytes_, rows(i) * row_bytes_);
  }
  // Per-row scales of an int8 page (value = scale * code); empty for other forms.
  std::span<const float> page_scales(std::size_t i) const {
    return scales_.empty() ? std::span<const float>{} : scales_.subspan(offsets_[i], rows(i));
  }
  // The page's fp32 values without a copy; only for form() == f32 (throws Error otherwise:
  // use decode_page).
  std::span<const float> page_values(std::size_t i) const;
  // The page's values decoded to fp32 (rows x dim), whatever the form.
  std::vector<float> decode_page(std::size_t i) const;

  // The whole corpus re-encoded in another form (decodes to fp32 first).
  Corpus converted(VectorForm form) const;

  // Bytes held for vectors and their metadata (what a search reads).
  std::size_t memory_bytes() const;

  std::span<const std::int64_t> ids() const { return ids_; }
  std::span<const std::uint64_t> offsets() const { return offsets_; }
  std::span<const float> scales() const { return scales_; }
  std::span<const std::byte> arena() const { return arena_; }

 private:
  void refresh_views();
  void require_owned(std::int64_t page_id) const;

  std::size_t dim_;
  VectorForm form_;
  std::size_t row_bytes_;
  // Owned storage (empty for a view).
  std::vector<std::int64_t> owned_ids_;
  std::vector<std::uint64_t> owned_offsets_;
  std::vector<float> owned_scales_;
  std::vector<std::byte> owned_arena_;
  // What every accessor reads: the owned vectors or external memory.
  std::span<const std::int64_t> ids_;
  std::span<const std::uint64_t> offsets_;
  std::span<const float> scales_;
  std::span<const std::byte> arena_;
  std::shared_ptr<const void> keep_alive_;
};

}  // namespace patchwise::core
