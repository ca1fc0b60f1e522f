#include "app/pipeline/ingest.h"

#include <algorithm>
#include <chrono>
#include <exception>
#include <filesystem>
#include <set>
#include <thread>
#include <unordered_map>
#include <variant>

#include "app/pipeline/bounded_queue.h"
#include "app/pipeline/discover.h"
#include "core/sha256.h"
#include "core/error.h"
#include "models/runtime.h"
#include "vision/thumbnail.h"

namespace patchwise::app {
namespace {

using Clock = std::chrono::steady_clock;

// Messages between the stages. Everything about one document travels in order through the
// same queues, so the writer sees DocBegin, its pages, then DocEnd (or DocFailed).
struct DocBegin {
  std::size_t slot;
  storage::FileSignature file;
  int page_count;
};
struct RenderedPage {
  std::size_t slot;
  int number;  // 1-based
  vision::PageImage image;
  std::vector<std::byte> thumbnail;
  std::string text;
};
struct DocEnd {
  std::size_t slot;
};
struct DocFailed {
  std::size_t slot;
  storage::FileSignature file;
  std::string error;
};
struct DocSkipped {
  storage::FileSignature file;
  bool signature_changed;  // same content, new size/mtime: refresh the stored signature
};
struct EncodedPage {
  std::size_t slot;
  storage::PageWrite page;
  std::string error;  // the encoder failed on this page
};

using RenderItem = std::variant<DocBegin, RenderedPage, DocEnd, DocFailed, DocSkipped>;
using WriteItem = std::variant<DocBegin, EncodedPage, DocEnd, DocFailed, DocSkipped>;

std::int64_t mtime_ns(const std::filesystem::path& path) {
  const auto t = std::filesystem::last_write_time(path);
  return std::chrono::duration_cast<std::chrono::nanoseconds>(t.time_since_epoch()).count();
}

std::string page_text(const vision::PageImage& image) {
  std::string text;
  for (const auto& w : image.words) {
    if (!text.empty()) text += ' ';
    text += w.text;
  }
  return text;
}

std::vector<std::byte> thumbnail_bytes(const vision::PageImage& image, int side) {
  if (side <= 0) return {};
  const auto bytes = vision::encode_thumbnail(image, {.longest_side = side});
  const auto view = std::as_bytes(std::span(bytes));
  return {view.begin(), view.end()};
}

bool is_current(const storage::DocumentRecord& known) {
  return known.status == storage::DocumentStatus::kReady && known.encoded_pages == known.page_count;
}

// State shared by the stage threads; the pipeline owns it and joins every thread before it goes.
struct Stages {
  const IngestOptions& options;
  models::Encoder& encoder;
  const storage::VectorFormat format;
  const std::vector<std::filesystem::path>& files;
  const std::unordered_map<std::string, storage::DocumentRecord>& known;

  BoundedQueue<RenderItem> rendered;
  BoundedQueue<WriteItem> encoded;
  std::atomic<bool> stop{false};
  std::atomic<std::size_t> next_file{0};
  std::atomic<int> active_renderers{0};
  std::atomic<std::int64_t> pages_encoded{0};
  std::exception_ptr encoder_failure;
  std::vector<std::thread> threads;

  Stages(const IngestOptions& o, models::Encoder& e, storage::VectorFormat f,
         const std::vector<std::filesystem::path>& fs,
         const std::unordered_map<std::string, storage::DocumentRecord>& k, std::size_t queued)
      : options(o), encoder(e), format(f), files(fs), known(k), rendered(queued), encoded(queued + 16) {}

  ~Stages() { shut_down(); }

  void shut_down() {
    stop = true;
    rendered.abandon();
    encoded.abandon();
    for (auto& t : threads) {
      if (t.joinable()) t.join();
    }
  }

  bool stopping() const { return stop || (options.cancel && options.cancel->load()); }

  void start(int render_threads) {
    active_renderers = render_threads;
    for (int i = 0; i < render_threads; ++i) threads.emplace_back([this] { render_loop(); });
    threads.emplace_back([this] { encode_loop(); });
  }

  void render_loop() {
    for (std::size_t i = next_file++; i < files.size() && !stopping(); i = next_file++) {
      if (!render_file(i, files[i])) break;
    }
    if (--active_renderers == 0) rendered.close();
  }

  // False when the pipeline is shutting down.
  bool render_file(std::size_t slot, const std::filesystem::path& path) {
    storage::FileSignature file{path.string(), "", 0, 0};
    try {
      file.size = std::int64_t(std::filesystem::file_size(path));
      file.mtime_ns = mtime_ns(path);
      const auto it = known.find(file.path);
      const bool current = it != known.end() && is_current(it->second);
      if (current && it->second.file.size == file.size && it->second.file.mtime_ns == file.mtime_ns) {
        file.content_hash = it->second.file.content_hash;
        return rendered.push(DocSkipped{file, false});
      }
      file.content_hash = core::sha256_file(path);
      if (current && it->second.file.content_hash == file.content_hash) {
        return rendered.push(DocSkipped{file, true});
      }
      const auto doc = vision::Document::open(path);
      const int pages = doc->page_count();
      if (!rendered.push(DocBegin{slot, file, pages})) return false;
      for (int i = 0; i < pages; ++i) {
        if (stopping()) return false;
        RenderedPage page{slot, i + 1, doc->render(i, options.render), {}, {}};
        page.thumbnail = thumbnail_bytes(page.image, options.thumbnail_side);
        page.text = page_text(page.image);
        if (!rendered.push(std::move(page))) return false;
      }
      return rendered.push(DocEnd{slot});
    } catch (const std::exception& e) {  // patchwise::Error, filesystem errors, bad_alloc of one page
      return rendered.push(DocFailed{slot, file, e.what()});
    }
  }

  void encode_loop() {
    try {
      if (options.encoder_threads >= 0) models::configure_runtime({options.encoder_threads});
      const std::size_t batch = std::max<std::size_t>(1, encoder.preferred_batch_size());
      while (auto first = rendered.pop()) {
        std::vector<RenderItem> items;
        items.push_back(std::move(*first));
        std::size_t pages = std::holds_alternative<RenderedPage>(items.back()) ? 1 : 0;
        while (pages < batch) {
          auto more = rendered.try_pop();
          if (!more) break;
          pages += std::holds_alternative<RenderedPage>(*more) ? 1 : 0;
          items.push_back(std::move(*more));
        }
        if (stopping() || !forward(encode_batch(std::move(items)))) break;
      }
      encoded.close();
    } catch (...) {
      encoder_failure = std::current_exception();
      stop = true;
      rendered.abandon();
      encoded.close();
    }
  }

  // Encodes the pages among `items`; other items pass through in order.
  std::vector<WriteItem> encode_batch(std::vector<RenderItem> items) {
    std::vector<vision::PageImage> images;
    for (auto& item : items) {
      if (auto* p = std::get_if<RenderedPage>(&item)) images.push_back(std::move(p->image));
    }
    std::vector<std::string> errors(images.size());
    std::vector<core::PageEmbedding> embeddings = encode_pages(images, errors);

    std::vector<WriteItem> out;
    std::size_t k = 0;
    for (auto& item : items) {
      auto* p = std::get_if<RenderedPage>(&item);
      if (!p) {
        std::visit([&out](auto& v) {
          if constexpr (!std::is_same_v<std::decay_t<decltype(v)>, RenderedPage>) out.emplace_back(std::move(v));
        }, item);
        continue;
      }
      std::string error = errors[k];
      out.emplace_back(EncodedPage{p->slot, page_write(*p, images[k], embeddings[k], error), error});
      ++k;
    }
    return out;
  }

  storage::PageWrite page_write(RenderedPage& p, const vision::PageImage& image, const core::PageEmbedding& embedding,
                                std::string& error) const {
    storage::PageWrite page;
    page.number = p.number;
    page.width_pt = image.width_pt;
    page.height_pt = image.height_pt;
    page.render = {options.render.dpi, options.render.max_pixels, image.width, image.height};
    page.thumbnail_jpeg = std::move(p.thumbnail);
    page.text = std::move(p.text);
    if (error.empty()) {
      try {
        page.embedding = storage::PackedEmbedding::pack(embedding, format);
      } catch (const Error& err) {
        error = err.what();
      }
    }
    return page;
  }

  // The whole batch at once; if that fails, page by page so one bad page fails only its file.
  std::vector<core::PageEmbedding> encode_pages(const std::vector<vision::PageImage>& images,
                                                std::vector<std::string>& errors) {
    if (images.empty()) return {};
    pages_encoded += std::int64_t(images.size());
    try {
      auto all = encoder.encode_pages(images);
      if (all.size() == images.size()) return all;
    } catch (const std::exception&) {
      if (images.size() == 1) throw;
    }
    std::vector<core::PageEmbedding> out(images.size());
    for (std::size_t i = 0; i < images.size(); ++i) {
      try {
        auto one = encoder.encode_pages(std::span(&images[i], 1));
        if (one.size() != 1) throw Error("the encoder returned " + std::to_string(one.size()) + " embeddings for 1 page");
        out[i] = std::move(one[0]);
      } catch (const std::exception& e) {
        errors[i] = std::string("encoding failed: ") + e.what();
      }
    }
    return out;
  }

  bool forward(std::vector<WriteItem> items) {
    for (auto& item : items) {
      if (!encoded.push(std::move(item))) return false;
    }
    return true;
  }
};

// The writer's view of the run: documents being assembled, counts, progress.
class Writer {
 public:
  Writer(storage::Library& library, const storage::ModelKey& model, const IngestOptions& options,
         std::int64_t files_total)
      : library_(library), model_(model), options_(options), start_(Clock::now()) {
    progress_.files_total = files_total;
  }

  void handle(WriteItem item) {
    std::visit([this](auto& v) { on(v); }, item);
  }

  void fail(const storage::FileSignature& file, const std::string& error) {
    try {
      library_.record_failure(file, error);
    } catch (const Error&) {  // still reported below; the library keeps the file's previous state
    }
    ++summary_.counts.files_failed;
    ++progress_.files_failed;
    outcome({FileOutcome::Kind::kFailed, file.path, 0, error});
  }

  void outcome(const FileOutcome& o) {
    if (o.kind == FileOutcome::Kind::kFailed) summary_.failures.push_back(o);
    if (o.kind != FileOutcome::Kind::kRemoved) ++progress_.files_done;
    progress_.current = o.path;
    if (options_.on_file) options_.on_file(o);
    report(true);
  }

  void report(bool force) {
    const auto now = Clock::now();
    if (!options_.on_progress || (!force && now - last_report_ < std::chrono::milliseconds(250))) return;
    last_report_ = now;
    progress_.elapsed_s = std::chrono::duration<double>(now - start_).count();
    progress_.pages_per_second = progress_.elapsed_s > 0 ? double(progress_.pages_done) / progress_.elapsed_s : 0;
    const std::int64_t unopened = progress_.files_total - opened_ - skipped_or_failed_early_;
    const double per_file = opened_ > 0 ? double(known_pages_) / double(opened_) : 0;
    progress_.pages_expected = known_pages_ + std::int64_t(per_file * double(std::max<std::int64_t>(unopened, 0)));
    progress_.eta_s = progress_.pages_per_second > 0
                          ? double(progress_.pages_expected - progress_.pages_done) / progress_.pages_per_second
                          : -1;
    options_.on_progress(progress_);
  }

  IngestSummary& summary() { return summary_; }
  double elapsed() const { return std::chrono::duration<double>(Clock::now() - start_).count(); }

 private:
  struct Pending {
    storage::FileSignature file;
    int page_count = 0;
    std::vector<storage::PageWrite> pages;
    std::string error;
  };

  void on(DocBegin& b) {
    ++opened_;
    known_pages_ += b.page_count;
    pending_[b.slot] = Pending{std::move(b.file), b.page_count, {}, {}};
  }

  void on(EncodedPage& e) {
    auto it = pending_.find(e.slot);
    if (it == pending_.end()) return;
    if (!e.error.empty()) {
      if (it->second.error.empty()) it->second.error = "page " + std::to_string(e.page.number) + ": " + e.error;
      return;
    }
    it->second.pages.push_back(std::move(e.page));
    ++progress_.pages_done;  // counted as they arrive, so a long document moves the bar
  }

  void on(DocEnd& d) {
    auto it = pending_.find(d.slot);
    if (it == pending_.end()) return;
    Pending doc = std::move(it->second);
    pending_.erase(it);
    if (!doc.error.empty()) {
      known_pages_ -= doc.page_count;
      progress_.pages_done -= std::int64_t(doc.pages.size());
      fail(doc.file, doc.file.path + ": " + doc.error);
      return;
    }
    try {
      library_.write_document(doc.file, model_, doc.pages);
    } catch (const Error& e) {
      known_pages_ -= doc.page_count;
      progress_.pages_done -= std::int64_t(doc.pages.size());
      fail(doc.file, e.what());
      return;
    }
    ++summary_.counts.files_ingested;
    summary_.pages_written += std::int64_t(doc.pages.size());
    for (const auto& p : doc.pages) summary_.stored_bytes += std::int64_t(p.embedding.bytes() + p.thumbnail_jpeg.size());
    outcome({FileOutcome::Kind::kIngested, doc.file.path, int(doc.pages.size()), {}});
  }

  void on(DocFailed& f) {
    if (auto it = pending_.find(f.slot); it != pending_.end()) {
      known_pages_ -= it->second.page_count;
      progress_.pages_done -= std::int64_t(it->second.pages.size());
      pending_.erase(it);
    } else {
      ++skipped_or_failed_early_;
    }
    fail(f.file, f.error);
  }

  void on(DocSkipped& s) {
    ++skipped_or_failed_early_;
    if (s.signature_changed) {
      try {
        library_.update_signature(s.file);
      } catch (const Error&) {  // only a cache of the file's size and mtime; the next run re-hashes
      }
    }
    ++summary_.counts.files_skipped;
    outcome({FileOutcome::Kind::kSkipped, s.file.path, 0, {}});
  }

  storage::Library& library_;
  const storage::ModelKey& model_;
  const IngestOptions& options_;
  const Clock::time_point start_;
  Clock::time_point last_report_{};
  std::unordered_map<std::size_t, Pending> pending_;
  IngestProgress progress_;
  IngestSummary summary_;
  std::int64_t opened_ = 0;
  std::int64_t known_pages_ = 0;
  std::int64_t skipped_or_failed_early_ = 0;
};

int default_render_threads() {
  const int cores = int(std::thread::hardware_concurrency());
  return std::max(1, cores - 1);
}

bool under(const std::string& path, const std::filesystem::path& folder) {
  const std::string prefix = folder.string() + "/";
  return path.rfind(prefix, 0) == 0;
}

void remove_missing(storage::Library& library, const Discovery& found, Writer& writer) {
  const std::set<std::string> seen = [&] {
    std::set<std::string> s;
    for (const auto& f : found.files) s.insert(f.string());
    return s;
  }();
  for (const auto& doc : library.documents()) {
    const std::string& path = doc.file.path;
    const bool in_scope = std::any_of(found.folders.begin(), found.folders.end(),
                                      [&](const auto& folder) { return under(path, folder); });
    std::error_code ec;
    if (!in_scope || seen.count(path) || std::filesystem::exists(path, ec)) continue;
    if (library.remove_document(path)) {
      ++writer.summary().counts.files_removed;
      writer.outcome({FileOutcome::Kind::kRemoved, path, doc.page_count, {}});
    }
  }
}

}  // namespace

storage::ModelKey model_key(const models::EncoderInfo& info) {
  return {info.fingerprint, info.name, info.family, info.dim};
}

IngestSummary ingest(storage::Library& library, models::Encoder& encoder, std::span<const std::string> inputs,
                     const IngestOptions& options) {
  const storage::ModelKey model = model_key(encoder.info());
  const Discovery found = discover(inputs);

  std::unordered_map<std::string, storage::DocumentRecord> known;
  for (auto& d : library.documents(model.fingerprint)) known.emplace(d.file.path, std::move(d));
  const storage::VectorFormat format = library.format_for(model);
  const std::int64_t run = library.begin_run(model);

  Writer writer(library, model, options, std::int64_t(found.files.size()));
  for (const auto& e : found.errors) writer.outcome({FileOutcome::Kind::kFailed, e.substr(0, e.find(':')), 0, e});
  writer.summary().counts.files_failed += std::int64_t(found.errors.size());
  writer.summary().counts.files_seen = std::int64_t(found.files.size());

  const std::size_t batch = std::max<std::size_t>(1, encoder.preferred_batch_size());
  const int render_threads = options.render_threads > 0 ? options.render_threads : default_render_threads();
  Stages stages(options, encoder, format, found.files, known,
                options.queued_pages > 0 ? options.queued_pages : 2 * batch);
  stages.start(std::min<int>(render_threads, std::max<int>(1, int(found.files.size()))));

  bool cancelled = false;
  for (;;) {
    if (options.cancel && options.cancel->load()) {
      cancelled = true;
      break;
    }
    auto item = stages.encoded.pop_for(std::chrono::milliseconds(100));
    if (!item) {
      if (stages.encoded.drained()) break;
      writer.report(false);
      continue;
    }
    writer.handle(std::move(*item));
    writer.report(false);
  }
  stages.shut_down();
  if (stages.encoder_failure) {
    library.finish_run(run, storage::RunState::kCancelled, writer.summary().counts);
    std::rethrow_exception(stages.encoder_failure);
  }
  if (!cancelled && options.remove_missing) remove_missing(library, found, writer);

  IngestSummary& summary = writer.summary();
  summary.counts.pages_encoded = stages.pages_encoded;
  summary.cancelled = cancelled;
  summary.seconds = writer.elapsed();
  library.finish_run(run, cancelled ? storage::RunState::kCancelled : storage::RunState::kFinished, summary.counts);
  writer.report(true);
  return summary;
}

}  // namespace patchwise::app
