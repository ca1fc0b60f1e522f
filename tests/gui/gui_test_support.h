#pragma once
// Shared by the GUI tests: a folder of small real documents, a slow fake encoder (so
// ingestion and searches take long enough to watch the GUI thread meanwhile), and where
// screenshots go.
#include <QDir>
#include <QString>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <memory>
#include <thread>

#include "tests/support/pixel_encoder.h"
#include "tests/support/temp_dir.h"

namespace patchwise::gui_test {

namespace fs = std::filesystem;

inline fs::path app_data() { return fs::path(PATCHWISE_SOURCE_DIR) / "tests" / "data" / "app"; }

inline fs::path lexical_model() { return fs::path(PATCHWISE_SOURCE_DIR) / "resources" / "models" / "lexical"; }

// `names` from tests/data/app copied into `folder` (created), `copies` times each (name-N.ext
// for the extra copies, so each is a document of its own).
inline void make_documents(const fs::path& folder, std::initializer_list<const char*> names, int copies = 1) {
  fs::create_directories(folder);
  for (const char* name : names) {
    for (int i = 0; i < copies; ++i) {
      const fs::path source = app_data() / name;
      const std::string target = i == 0 ? std::string(name)
                                        : source.stem().string() + "-" + std::to_string(i) + source.extension().string();
      fs::copy_file(source, folder / target);
    }
  }
}

inline QString screenshot_dir() {
  const QString dir = QString(PATCHWISE_BINARY_DIR) + "/tests/gui/screenshots";
  QDir().mkpath(dir);
  return dir;
}

// The pixel test encoder, `page_delay` slower per page and `query_delay` per query batch.
// `queries_started` (optional) counts the encode_queries calls begun.
class SlowEncoder final : public models::Encoder {
 public:
  SlowEncoder(std::chrono::milliseconds page_delay, std::chrono::milliseconds query_delay,
              std::shared_ptr<std::atomic<int>> queries_started = nullptr)
      : page_delay_(page_delay), query_delay_(query_delay), queries_started_(std::move(queries_started)) {}

  models::EncoderInfo info() const override { return inner_.info(); }
  std::vector<core::PageEmbedding> encode_pages(std::span<const vision::PageImage> pages) override {
    std::this_thread::sleep_for(page_delay_ * pages.size());
    return inner_.encode_pages(pages);
  }
  std::vector<core::MultiVector> encode_queries(std::span<const std::string> queries) override {
    if (queries_started_) ++*queries_started_;
    std::this_thread::sleep_for(query_delay_);
    return inner_.encode_queries(queries);
  }
  std::size_t preferred_batch_size() const override { return 1; }

 private:
  test::PixelEncoder inner_;
  std::chrono::milliseconds page_delay_;
  std::chrono::milliseconds query_delay_;
  std::shared_ptr<std::atomic<int>> queries_started_;
};

}  // namespace patchwise::gui_test
