#include "core/corpus.h"

#include <string>

#include "core/error.h"

namespace patchwise::core {

std::size_t Corpus::add_page(std::int64_t page_id, std::span<const float> values) {
  if (dim_ == 0 || values.size() % dim_ != 0) {
    throw Error("Corpus: page " + std::to_string(page_id) + " has " +
                std::to_string(values.size()) + " values, not a multiple of dim " +
                std::to_string(dim_));
  }
  ids_.push_back(page_id);
  arena_.insert(arena_.end(), values.begin(), values.end());
  offsets_.push_back(offsets_.back() + values.size() / dim_);
  return ids_.size() - 1;
}

void Corpus::reserve(std::size_t pages, std::size_t total_rows) {
  ids_.reserve(pages);
  offsets_.reserve(pages + 1);
  arena_.reserve(total_rows * dim_);
}

}  // namespace patchwise::core
