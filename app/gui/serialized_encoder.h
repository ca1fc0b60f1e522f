#pragma once
// One encoder shared by the ingestion worker (pages) and the search worker (queries).
//
// Why one shared encoder behind a mutex rather than one encoder per worker: a real model's
// weights are the largest thing the app holds (hundreds of MB to GBs), and while ingestion
// runs the cores are busy encoding pages anyway, so a second copy would double memory without
// making queries much faster. models::Encoder calls must not be concurrent, so every call goes
// through one mutex: a query waits at most for the page batch being encoded (the pipeline
// takes the lock per batch, never while it waits on its queues, so a paused ingestion never
// holds it). app::SearchService asks that no one else call its encoder concurrently: handing
// it this wrapper, shared with the ingestion pipeline, keeps that promise.
#include <memory>
#include <mutex>

#include "models/encoder.h"

namespace patchwise::gui {

class SerializedEncoder final : public models::Encoder {
 public:
  explicit SerializedEncoder(std::unique_ptr<models::Encoder> inner);

  models::EncoderInfo info() const override { return info_; }
  std::vector<core::PageEmbedding> encode_pages(std::span<const vision::PageImage> pages) override;
  std::vector<core::MultiVector> encode_queries(std::span<const std::string> queries) override;
  std::vector<std::string> query_token_labels(const std::string& query, std::size_t rows) override;
  std::size_t preferred_batch_size() const override { return batch_; }

 private:
  std::unique_ptr<models::Encoder> inner_;
  const models::EncoderInfo info_;  // read once: info() needs no lock
  const std::size_t batch_;
  std::mutex mutex_;
};

}  // namespace patchwise::gui
