#include "core/corpus.h"

#include <cstring>
#include <string>
#include <utility>

#include "core/error.h"
#include "core/quantize.h"

namespace patchwise::core {

Corpus::Corpus(std::size_t dim, VectorForm form)
    : dim_(dim), form_(form), row_bytes_(core::row_bytes(form, dim)) {
  owned_offsets_.push_back(0);
  refresh_views();
}

Corpus::Corpus(const Corpus& other)
    : dim_(other.dim_),
      form_(other.form_),
      row_bytes_(other.row_bytes_),
      owned_ids_(other.owned_ids_),
      owned_offsets_(other.owned_offsets_),
      owned_scales_(other.owned_scales_),
      owned_arena_(other.owned_arena_),
      ids_(other.ids_),
      offsets_(other.offsets_),
      scales_(other.scales_),
      arena_(other.arena_),
      keep_alive_(other.keep_alive_) {
  if (!is_view()) refresh_views();
}

Corpus& Corpus::operator=(const Corpus& other) {
  if (this != &other) {
    Corpus copy(other);
    *this = std::move(copy);
  }
  return *this;
}

Corpus Corpus::view(std::size_t dim, VectorForm form, External external) {
  Corpus c(dim, form);
  const std::size_t pages = external.ids.size();
  if (external.offsets.size() != pages + 1 || external.offsets.front() != 0) {
    throw Error("Corpus view: " + std::to_string(pages) + " page ids need " +
                std::to_string(pages + 1) + " offsets starting at 0, found " +
                std::to_string(external.offsets.size()));
  }
  const std::uint64_t rows = external.offsets.back();
  for (std::size_t i = 0; i < pages; ++i) {
    if (external.offsets[i + 1] < external.offsets[i]) {
      throw Error("Corpus view: offsets decrease at page " + std::to_string(i));
    }
  }
  if (external.arena.size() != rows * c.row_bytes_) {
    throw Error("Corpus view: " + std::to_string(rows) + " rows need " +
                std::to_string(rows * c.row_bytes_) + " arena bytes, found " +
                std::to_string(external.arena.size()));
  }
  if (external.scales.size() != (form == VectorForm::int8 ? rows : 0)) {
    throw Error("Corpus view: wrong number of int8 scales (" +
                std::to_string(external.scales.size()) + ")");
  }
  c.ids_ = external.ids;
  c.offsets_ = external.offsets;
  c.scales_ = external.scales;
  c.arena_ = external.arena;
  c.keep_alive_ = external.keep_alive ? external.keep_alive : std::make_shared<int>(0);
  return c;
}

void Corpus::refresh_views() {
  ids_ = owned_ids_;
  offsets_ = owned_offsets_;
  scales_ = owned_scales_;
  arena_ = owned_arena_;
}

void Corpus::require_owned(std::int64_t page_id) const {
  if (is_view()) {
    throw Error("Corpus: cannot add page " + std::to_string(page_id) +
                " to a read-only (mapped) corpus");
  }
}

std::size_t Corpus::add_page(std::int64_t page_id, std::span<const float> values) {
  require_owned(page_id);
  if (dim_ == 0 || values.size() % dim_ != 0) {
    throw Error("Corpus: page " + std::to_string(page_id) + " has " +
                std::to_string(values.size()) + " values, not a multiple of dim " +
                std::to_string(dim_));
  }
  const std::size_t rows = values.size() / dim_;
  const std::size_t start = owned_arena_.size();
  owned_arena_.resize(start + rows * row_bytes_);
  for (std::size_t r = 0; r < rows; ++r) {
    const float scale =
        encode_row(form_, values.subspan(r * dim_, dim_), owned_arena_.data() + start + r * row_bytes_);
    if (form_ == VectorForm::int8) owned_scales_.push_back(scale);
  }
  owned_ids_.push_back(page_id);
  owned_offsets_.push_back(owned_offsets_.back() + rows);
  refresh_views();
  return owned_ids_.size() - 1;
}

std::size_t Corpus::add_encoded_page(std::int64_t page_id, std::size_t rows,
                                     std::span<const std::byte> encoded,
                                     std::span<const float> scales) {
  require_owned(page_id);
  const std::size_t want_scales = form_ == VectorForm::int8 ? rows : 0;
  if (encoded.size() != rows * row_bytes_ || scales.size() != want_scales) {
    throw Error("Corpus: encoded page " + std::to_string(page_id) + " has " +
                std::to_string(encoded.size()) + " bytes and " + std::to_string(scales.size()) +
                " scales; " + std::to_string(rows) + " " + std::string(form_name(form_)) +
                " rows need " + std::to_string(rows * row_bytes_) + " bytes and " +
                std::to_string(want_scales) + " scales");
  }
  owned_arena_.insert(owned_arena_.end(), encoded.begin(), encoded.end());
  owned_scales_.insert(owned_scales_.end(), scales.begin(), scales.end());
  owned_ids_.push_back(page_id);
  owned_offsets_.push_back(owned_offsets_.back() + rows);
  refresh_views();
  return owned_ids_.size() - 1;
}

void Corpus::reserve(std::size_t pages, std::size_t total_rows) {
  owned_ids_.reserve(pages);
  owned_offsets_.reserve(pages + 1);
  owned_arena_.reserve(total_rows * row_bytes_);
  if (form_ == VectorForm::int8) owned_scales_.reserve(total_rows);
  refresh_views();
}

std::span<const float> Corpus::page_values(std::size_t i) const {
  if (form_ != VectorForm::f32) {
    throw Error("Corpus: page_values needs f32 storage but this corpus is " +
                std::string(form_name(form_)) + "; use decode_page");
  }
  const auto bytes = page_bytes(i);
  return {reinterpret_cast<const float*>(bytes.data()), bytes.size() / 4};
}

std::vector<float> Corpus::decode_page(std::size_t i) const {
  const std::size_t n = rows(i);
  std::vector<float> out(n * dim_);
  const auto bytes = page_bytes(i);
  const auto scales = page_scales(i);
  for (std::size_t r = 0; r < n; ++r) {
    decode_row(form_, bytes.data() + r * row_bytes_, scales.empty() ? 1.0f : scales[r],
               std::span<float>(out).subspan(r * dim_, dim_));
  }
  return out;
}

Corpus Corpus::converted(VectorForm form) const {
  Corpus out(dim_, form);
  out.reserve(page_count(), total_rows());
  for (std::size_t i = 0; i < page_count(); ++i) {
    if (form_ == VectorForm::f32) {
      out.add_page(page_id(i), page_values(i));
    } else {
      out.add_page(page_id(i), decode_page(i));
    }
  }
  return out;
}

std::size_t Corpus::memory_bytes() const {
  return arena_.size() + scales_.size() * sizeof(float) + ids_.size() * sizeof(std::int64_t) +
         offsets_.size() * sizeof(std::uint64_t);
}

}  // namespace patchwise::core
