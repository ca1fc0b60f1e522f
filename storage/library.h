#pragma once
// The Patchwise library: one SQLite file holding documents, their pages (size, render
// settings, thumbnail, text layer), and each page's multi-vector per model. The schema is
// documented in storage/SCHEMA.md.
//
// Promises (LevelDB-style contract):
//   - Every change to a document is one transaction: after a crash or kill -9 at any moment
//     the library holds either the document's previous state or its new one, never a mix.
//   - Page ids are stable and never reused (AUTOINCREMENT): removing a document does not
//     renumber anything else.
//   - Embeddings of different models (fingerprints) are stored apart and never loaded into
//     one Corpus; storing a fingerprint with a different dimension than before is refused.
//   - Readers in other processes keep working while one process writes (WAL).
// A Library object is not thread-safe: use one per thread (the ingestion pipeline has one
// writer thread that owns it).
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/corpus.h"
#include "core/page_embedding.h"
#include "storage/embedding_codec.h"

namespace patchwise::storage {

namespace sql {
class Database;
}

inline constexpr int kSchemaVersion = 1;

struct LibraryOptions {
  // Format of the stored vectors for a model seen for the first time. Default: f16 (half the
  // bytes of f32; MaxSim rankings are unaffected in practice). A model keeps the format it was
  // first stored with.
  VectorFormat vector_format = VectorFormat::kF16;
  // How long to wait for another process's write lock before failing. Default: 10 s.
  int busy_timeout_ms = 10'000;
  // Create the file (and its folder) if missing. Default: true. When false, a missing
  // library is an error that says to run `patchwise ingest` first.
  bool create = true;
};

// The identity of a model whose vectors are stored (a copy of models::EncoderInfo's fields,
// since storage/ does not depend on models/).
struct ModelKey {
  std::string fingerprint;
  std::string name;
  std::string family;
  std::size_t dim = 0;
};

// A file as found on disk.
struct FileSignature {
  std::string path;          // as stored: absolute, normalised
  std::string content_hash;  // lowercase hex SHA-256 of the file's bytes
  std::int64_t size = 0;
  std::int64_t mtime_ns = 0;
};

// A page's vectors already packed in the storage format (packing happens as soon as a page is
// encoded, so pages waiting to be written cost the compact size, not f32).
struct PackedEmbedding {
  std::size_t rows = 0;
  std::size_t dim = 0;
  VectorFormat format = VectorFormat::kF16;
  std::vector<std::byte> vectors;
  std::vector<std::byte> grid;

  static PackedEmbedding pack(const core::PageEmbedding& embedding, VectorFormat format);
  std::size_t bytes() const { return vectors.size() + grid.size(); }
};

struct RenderSettings {
  double dpi = 0;
  std::int64_t max_pixels = 0;
  int width_px = 0;  // the rendered image the encoder saw
  int height_px = 0;
};

struct PageWrite {
  int number = 0;  // 1-based
  double width_pt = 0;
  double height_pt = 0;
  RenderSettings render;
  std::vector<std::byte> thumbnail_jpeg;  // may be empty
  std::string text;                       // the text layer (searchable with FTS5); empty for scans
  PackedEmbedding embedding;
};

enum class DocumentStatus { kReady, kFailed };

struct DocumentRecord {
  std::int64_t id = 0;
  FileSignature file;
  DocumentStatus status = DocumentStatus::kReady;
  std::string error;        // why it failed; empty when ready
  int page_count = 0;       // pages stored
  int encoded_pages = 0;    // pages that have vectors for the model asked about (0 if none asked)
  std::int64_t ingested_at = 0;  // unix seconds
};

struct ModelRecord {
  ModelKey key;
  VectorFormat format = VectorFormat::kF16;
  std::int64_t pages = 0;
  std::int64_t rows = 0;
  std::int64_t vector_bytes = 0;  // vectors + grids
};

struct PageRef {
  std::int64_t page_id = 0;
  std::int64_t document_id = 0;
  std::string path;
  int number = 0;  // 1-based
  double width_pt = 0;
  double height_pt = 0;
  RenderSettings render;
};

struct LibraryStats {
  std::int64_t documents_ready = 0;
  std::int64_t documents_failed = 0;
  std::int64_t pages = 0;
  std::int64_t thumbnail_bytes = 0;
  std::int64_t file_bytes = 0;  // the database file plus its WAL
  std::vector<ModelRecord> models;
};

struct RunCounts {
  std::int64_t files_seen = 0;
  std::int64_t files_skipped = 0;
  std::int64_t files_ingested = 0;
  std::int64_t files_failed = 0;
  std::int64_t files_removed = 0;
  std::int64_t pages_encoded = 0;
};

enum class RunState { kRunning, kFinished, kCancelled };

struct RunRecord {
  std::int64_t id = 0;
  std::string fingerprint;
  RunState state = RunState::kRunning;  // kRunning for a run still going or one that was killed
  std::int64_t started_at = 0;
  std::int64_t finished_at = 0;
  RunCounts counts;
};

class Library {
 public:
  // Opens (and creates, unless options say not to) the library at `path`, migrating an older
  // schema. Throws patchwise::Error for a file that is not a Patchwise library, one written
  // by a newer Patchwise, or a database that cannot be opened.
  explicit Library(const std::filesystem::path& path, LibraryOptions options = {});
  ~Library();
  Library(const Library&) = delete;
  Library& operator=(const Library&) = delete;
  Library(Library&&) noexcept;
  Library& operator=(Library&&) noexcept;

  const std::filesystem::path& path() const { return path_; }
  int schema_version() const;

  // The format vectors of `model` are (or will be) stored in.
  VectorFormat format_for(const ModelKey& model);

  // Stores a document's pages and their vectors for `model` in one transaction. If the
  // library already holds this path with the same content hash and page count, the pages are
  // kept and only `model`'s vectors are (re)written; otherwise the document's old pages (and
  // every model's vectors for them) are replaced. Returns the document id.
  std::int64_t write_document(const FileSignature& file, const ModelKey& model, std::span<const PageWrite> pages);
  // Records that a file could not be ingested. Pages stored for an earlier version of it are
  // removed, so a search never shows a page of a file that now fails.
  void record_failure(const FileSignature& file, std::string_view error);
  // Updates size and mtime of a document whose content hash did not change.
  void update_signature(const FileSignature& file);
  // Removes a document with its pages and vectors; false if the path is not in the library.
  bool remove_document(std::string_view path);

  // All documents, ordered by path. `fingerprint` (optional) fills encoded_pages.
  std::vector<DocumentRecord> documents(std::string_view fingerprint = {}) const;
  std::optional<DocumentRecord> document(std::string_view path, std::string_view fingerprint = {}) const;

  std::vector<ModelRecord> models() const;
  LibraryStats stats() const;

  // How load_corpus holds the vectors: decoded to f32, or as stored (f16 unless the library
  // was made with another format): half the memory of f32, the same scores (the stored values
  // are the values), and no conversion while loading.
  enum class LoadForm { kF32, kStored };
  // Every page that has vectors for `fingerprint`, in page-id order, in one arena (one
  // allocation for the arena, one scratch row buffer). Throws if the fingerprint is unknown.
  core::Corpus load_corpus(std::string_view fingerprint, LoadForm form = LoadForm::kF32) const;
  // The ids of the pages that have vectors for `fingerprint`, ascending (empty if none).
  std::vector<std::int64_t> page_ids(std::string_view fingerprint) const;
  // Like load_corpus, for the pages with these ids only (ascending; ids without vectors for
  // the model, e.g. removed meanwhile, are left out): what a reader that loaded earlier lacks.
  core::Corpus load_pages(std::string_view fingerprint, std::span<const std::int64_t> ids,
                          LoadForm form = LoadForm::kF32) const;
  // nullopt if the page was removed meanwhile (e.g. by a concurrent ingest).
  std::optional<PageRef> page(std::int64_t page_id) const;
  // Page `number` (1-based) of the document stored at `path`; nullopt if there is none.
  std::optional<PageRef> page_at(std::string_view path, int number) const;
  std::optional<core::PageEmbedding> embedding(std::int64_t page_id, std::string_view fingerprint) const;
  std::vector<std::byte> thumbnail(std::int64_t page_id) const;
  std::string page_text(std::int64_t page_id) const;
  // Full-text search over text layers (FTS5 query syntax); page ids, best first.
  std::vector<std::int64_t> text_search(std::string_view fts_query, std::size_t limit) const;

  std::int64_t begin_run(const ModelKey& model);
  void finish_run(std::int64_t run_id, RunState state, const RunCounts& counts);
  std::vector<RunRecord> runs() const;

  // SQLite's own check of the file ("ok" when sound) plus Patchwise's invariants (every
  // ready document has exactly page_count pages numbered 1..n, every vector blob has the
  // size its row count says). Returns the problems found, one per line; empty when sound.
  std::vector<std::string> check() const;

  // A number that changes whenever another connection (thread or process) commits a change
  // to the library (SQLite's PRAGMA data_version): cheap, for readers that cache what they
  // loaded and want to know when to reload.
  std::int64_t data_version() const;

 private:
  std::int64_t ensure_model(const ModelKey& model);
  std::optional<std::int64_t> model_id(std::string_view fingerprint) const;

  std::filesystem::path path_;
  LibraryOptions options_;
  std::unique_ptr<sql::Database> db_;
};

// $XDG_DATA_HOME/patchwise/library.db, else ~/.local/share/patchwise/library.db.
std::filesystem::path default_library_path();

std::string_view run_state_name(RunState state);

}  // namespace patchwise::storage
