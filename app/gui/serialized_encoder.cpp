#include "app/gui/serialized_encoder.h"

namespace patchwise::gui {

SerializedEncoder::SerializedEncoder(std::unique_ptr<models::Encoder> inner)
    : inner_(std::move(inner)), info_(inner_->info()), batch_(inner_->preferred_batch_size()) {}

std::vector<core::PageEmbedding> SerializedEncoder::encode_pages(std::span<const vision::PageImage> pages) {
  const std::lock_guard lock(mutex_);
  return inner_->encode_pages(pages);
}

std::vector<core::MultiVector> SerializedEncoder::encode_queries(std::span<const std::string> queries) {
  const std::lock_guard lock(mutex_);
  return inner_->encode_queries(queries);
}

std::vector<std::string> SerializedEncoder::query_token_labels(const std::string& query, std::size_t rows) {
  const std::lock_guard lock(mutex_);
  return inner_->query_token_labels(query, rows);
}

}  // namespace patchwise::gui
