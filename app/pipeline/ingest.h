#pragma once
// Ingestion: files and folders in, pages with vectors in the library out. A plain object with
// progress, per-file and cancel hooks, shared by the CLI and the GUI (Recoll-style pipeline):
//
//   discover (calling thread) -> [render workers: stat, hash, skip check, open, render,
//   thumbnail] -> bounded queue -> [one encoder thread: batches, packs f16] -> bounded queue
//   -> [calling thread: the one SQLite writer, one transaction per document]
//
// Memory is bounded by the queue capacities (rendered pages in flight) plus the packed
// vectors of the documents being assembled (at most render_threads + queued ones), whatever
// the number of files.
#include <atomic>
#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <vector>

#include "models/encoder.h"
#include "storage/library.h"
#include "vision/document.h"

namespace patchwise::app {

struct IngestProgress {
  std::int64_t files_total = 0;
  std::int64_t files_done = 0;  // ingested + skipped + failed
  std::int64_t files_failed = 0;
  std::int64_t pages_done = 0;      // encoded this run, of documents not failed (written when the document completes)
  std::int64_t pages_expected = 0;  // pages to encode: known page counts plus an estimate for unopened files
  double elapsed_s = 0;
  double pages_per_second = 0;
  double eta_s = -1;  // -1 while unknown
  std::string current;  // the file last finished
};

struct FileOutcome {
  enum class Kind { kIngested, kSkipped, kFailed, kRemoved };
  Kind kind = Kind::kIngested;
  std::string path;
  int pages = 0;
  std::string error;  // for kFailed
};

struct IngestOptions {
  // Render resolution and pixel budget. Default: 150 dpi, at most 4 megapixels (an A4 page at
  // 150 dpi is 1240x1754 px, 6.5 MB of RGB while it waits for the encoder).
  vision::RenderTarget render;
  // Render workers (each opens its own documents). Default: 0 = cores - 1, at least 1.
  int render_threads = 0;
  // Rendered pages that may wait for the encoder. Default: 0 = 2 x the encoder's batch size.
  std::size_t queued_pages = 0;
  // Threads for the encoder's runtime (libtorch/BLAS), set on the encoder thread. Default: 0 =
  // one per core; negative = leave the runtime alone (tests with fake encoders).
  int encoder_threads = 0;
  // Remove library documents under the given folders (or named files) that no longer exist,
  // after a complete scan. Default: false.
  bool remove_missing = false;
  // Longest side of stored thumbnails in pixels; 0 stores none. Default: 256.
  int thumbnail_side = 256;
  // Called on the calling thread; throttled to a few times a second plus once per file.
  std::function<void(const IngestProgress&)> on_progress;
  std::function<void(const FileOutcome&)> on_file;
  // Set (e.g. from a SIGINT handler) to stop: the document being written is finished or
  // rolled back as a whole, nothing half-written stays. Default: none.
  const std::atomic<bool>* cancel = nullptr;
};

struct IngestSummary {
  storage::RunCounts counts;  // counts.pages_encoded: pages that went through the encoder
  std::vector<FileOutcome> failures;
  bool cancelled = false;
  double seconds = 0;
  std::int64_t stored_bytes = 0;  // vectors + grids + thumbnails written this run
  std::int64_t pages_written = 0;
};

// Runs one ingestion over `inputs` into `library` with `encoder`. Returns when every file
// has been ingested, skipped or failed, or when cancelled. Per-file errors are recorded in
// the library and the summary; only library-wide problems (e.g. the file cannot be written)
// throw patchwise::Error.
IngestSummary ingest(storage::Library& library, models::Encoder& encoder, std::span<const std::string> inputs,
                     const IngestOptions& options = {});

storage::ModelKey model_key(const models::EncoderInfo& info);

}  // namespace patchwise::app
