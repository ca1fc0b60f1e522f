#include "storage/library.h"

#include <chrono>
#include <cstdlib>
#include <system_error>

#include "core/error.h"
#include "storage/schema.h"
#include "storage/sqlite.h"

namespace patchwise::storage {
namespace {

std::int64_t now_seconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

void configure(sql::Database& db, const LibraryOptions& options) {
  // busy_timeout first: switching to WAL itself may wait for another process.
  db.exec("PRAGMA busy_timeout = " + std::to_string(options.busy_timeout_ms));
  db.exec("PRAGMA foreign_keys = ON");
  sql::Statement wal(db, "PRAGMA journal_mode = WAL");
  if (!wal.step() || wal.text(0) != "wal") {
    throw Error("library " + db.path().string() + ": cannot switch to WAL mode (is the folder read-only?)");
  }
  // In WAL mode NORMAL is durable against process crashes (kill -9); only a power loss may
  // drop the last commits, and never corrupts.
  db.exec("PRAGMA synchronous = NORMAL");
}

std::unique_ptr<sql::Database> open_database(const std::filesystem::path& path, const LibraryOptions& options) {
  std::error_code ec;
  const bool exists = std::filesystem::exists(path, ec);
  if (!exists && !options.create) {
    throw Error("no library at " + path.string() + "; run `patchwise ingest PATH...` first or pass --library");
  }
  if (!exists && path.has_parent_path()) {
    std::filesystem::create_directories(path.parent_path(), ec);
    if (ec) throw Error("cannot create the folder for library " + path.string() + ": " + ec.message());
  }
  auto db = std::make_unique<sql::Database>(
      path, options.create ? sql::Database::Mode::kReadWriteCreate : sql::Database::Mode::kReadWrite);
  configure(*db, options);
  migrate(*db);
  return db;
}

DocumentStatus parse_status(const std::string& s) {
  return s == "failed" ? DocumentStatus::kFailed : DocumentStatus::kReady;
}

RunState parse_run_state(const std::string& s) {
  if (s == "finished") return RunState::kFinished;
  if (s == "cancelled") return RunState::kCancelled;
  return RunState::kRunning;
}

constexpr const char* kDocumentColumns =
    "SELECT d.id, d.path, d.content_hash, d.size, d.mtime_ns, d.status, d.error, d.page_count, d.ingested_at, "
    "(SELECT count(*) FROM pages p JOIN embeddings e ON e.page_id = p.id "
    "  WHERE p.document_id = d.id AND e.model_id = (SELECT id FROM models WHERE fingerprint = ?1)) "
    "FROM documents d ";

DocumentRecord read_document(const sql::Statement& st) {
  DocumentRecord r;
  r.id = st.int64(0);
  r.file = {st.text(1), st.text(2), st.int64(3), st.int64(4)};
  r.status = parse_status(st.text(5));
  r.error = st.text(6);
  r.page_count = int(st.int64(7));
  r.ingested_at = st.int64(8);
  r.encoded_pages = int(st.int64(9));
  return r;
}

// A read transaction, so multi-statement reads see one snapshot while another process writes.
class ReadSnapshot {
 public:
  explicit ReadSnapshot(sql::Database& db) : db_(db) { db_.exec("BEGIN"); }
  ~ReadSnapshot() {
    try {
      db_.exec("COMMIT");
    } catch (const Error&) {  // a read transaction has nothing to lose; never throw from here
    }
  }
  ReadSnapshot(const ReadSnapshot&) = delete;
  ReadSnapshot& operator=(const ReadSnapshot&) = delete;

 private:
  sql::Database& db_;
};

std::string describe_model(const ModelKey& m) { return m.name + " (" + m.fingerprint + ")"; }

}  // namespace

PackedEmbedding PackedEmbedding::pack(const core::PageEmbedding& embedding, VectorFormat format) {
  const auto& v = embedding.vectors;
  if (v.rows() != embedding.grid.size()) {
    throw Error("page embedding has " + std::to_string(v.rows()) + " vectors but a grid of " +
                std::to_string(embedding.grid.size()) + " cells");
  }
  return {v.rows(), v.dim(), format, encode_vectors(v.values(), format), encode_grid(embedding.grid)};
}

Library::Library(const std::filesystem::path& path, LibraryOptions options)
    : path_(path), options_(options), db_(open_database(path, options)) {}

Library::~Library() = default;
Library::Library(Library&&) noexcept = default;
Library& Library::operator=(Library&&) noexcept = default;

int Library::schema_version() const { return read_user_version(*db_); }

std::optional<std::int64_t> Library::model_id(std::string_view fingerprint) const {
  sql::Statement st(*db_, "SELECT id FROM models WHERE fingerprint = ?1");
  st.bind(1, fingerprint);
  if (!st.step()) return std::nullopt;
  return st.int64(0);
}

VectorFormat Library::format_for(const ModelKey& model) {
  sql::Statement st(*db_, "SELECT format FROM models WHERE fingerprint = ?1");
  st.bind(1, std::string_view(model.fingerprint));
  return st.step() ? parse_format(st.text(0)) : options_.vector_format;
}

std::int64_t Library::ensure_model(const ModelKey& model) {
  if (model.fingerprint.empty() || model.dim == 0) {
    throw Error("model " + model.name + " has no fingerprint or dimension; its vectors cannot be stored");
  }
  sql::Statement find(*db_, "SELECT id, dim FROM models WHERE fingerprint = ?1");
  find.bind(1, std::string_view(model.fingerprint));
  if (find.step()) {
    if (std::size_t(find.int64(1)) != model.dim) {
      throw Error("library " + path_.string() + " stores model " + describe_model(model) + " with dimension " +
                  std::to_string(find.int64(1)) + ", but the encoder now says " + std::to_string(model.dim) +
                  "; refusing to mix them");
    }
    return find.int64(0);
  }
  sql::Statement insert(*db_, "INSERT INTO models (fingerprint, name, family, dim, format) VALUES (?1, ?2, ?3, ?4, ?5)");
  insert.bind(1, std::string_view(model.fingerprint))
      .bind(2, std::string_view(model.name))
      .bind(3, std::string_view(model.family))
      .bind(4, std::int64_t(model.dim))
      .bind(5, format_name(options_.vector_format));
  insert.run();
  return db_->last_insert_rowid();
}

std::int64_t Library::write_document(const FileSignature& file, const ModelKey& model,
                                     std::span<const PageWrite> pages) {
  sql::Transaction tx(*db_);
  const std::int64_t mid = ensure_model(model);
  const VectorFormat format = format_for(model);
  for (const PageWrite& p : pages) {
    if (p.embedding.dim != model.dim && p.embedding.rows > 0) {
      throw Error(file.path + " page " + std::to_string(p.number) + ": vectors have dimension " +
                  std::to_string(p.embedding.dim) + ", model " + describe_model(model) + " has " +
                  std::to_string(model.dim));
    }
    if (p.embedding.format != format) {
      throw Error(file.path + " page " + std::to_string(p.number) + ": vectors packed as " +
                  std::string(format_name(p.embedding.format)) + " but the library stores this model as " +
                  std::string(format_name(format)));
    }
  }

  std::optional<std::int64_t> doc_id;
  bool keep_pages = false;
  {
    sql::Statement find(*db_, "SELECT id, content_hash, status, page_count FROM documents WHERE path = ?1");
    find.bind(1, std::string_view(file.path));
    if (find.step()) {
      doc_id = find.int64(0);
      keep_pages = find.text(1) == file.content_hash && find.text(2) == "ready" &&
                   find.int64(3) == std::int64_t(pages.size());
    }
  }
  if (doc_id) {
    sql::Statement update(*db_,
                          "UPDATE documents SET content_hash = ?2, size = ?3, mtime_ns = ?4, status = 'ready', "
                          "error = '', page_count = ?5, ingested_at = ?6 WHERE id = ?1");
    update.bind(1, *doc_id)
        .bind(2, std::string_view(file.content_hash))
        .bind(3, file.size)
        .bind(4, file.mtime_ns)
        .bind(5, std::int64_t(pages.size()))
        .bind(6, now_seconds());
    update.run();
    if (!keep_pages) {
      sql::Statement del(*db_, "DELETE FROM pages WHERE document_id = ?1");
      del.bind(1, *doc_id);
      del.run();
    }
  } else {
    sql::Statement insert(*db_,
                          "INSERT INTO documents (path, content_hash, size, mtime_ns, status, page_count, ingested_at) "
                          "VALUES (?1, ?2, ?3, ?4, 'ready', ?5, ?6)");
    insert.bind(1, std::string_view(file.path))
        .bind(2, std::string_view(file.content_hash))
        .bind(3, file.size)
        .bind(4, file.mtime_ns)
        .bind(5, std::int64_t(pages.size()))
        .bind(6, now_seconds());
    insert.run();
    doc_id = db_->last_insert_rowid();
  }

  sql::Statement find_page(*db_, "SELECT id FROM pages WHERE document_id = ?1 AND number = ?2");
  sql::Statement insert_page(*db_,
                             "INSERT INTO pages (document_id, number, width_pt, height_pt, render_dpi, "
                             "render_max_pixels, render_width, render_height) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)");
  sql::Statement insert_thumb(*db_, "INSERT OR REPLACE INTO thumbnails (page_id, jpeg) VALUES (?1, ?2)");
  sql::Statement insert_text(*db_, "INSERT INTO page_text (rowid, text) VALUES (?1, ?2)");
  sql::Statement insert_vec(*db_,
                            "INSERT OR REPLACE INTO embeddings (model_id, page_id, rows, vectors, grid) "
                            "VALUES (?1, ?2, ?3, ?4, ?5)");
  for (const PageWrite& p : pages) {
    std::int64_t page_id = 0;
    if (keep_pages) {
      find_page.bind(1, *doc_id).bind(2, std::int64_t(p.number));
      if (!find_page.step()) {
        throw Error("library " + path_.string() + ": " + file.path + " page " + std::to_string(p.number) +
                    " is missing although the document is marked ready; the library is damaged");
      }
      page_id = find_page.int64(0);
      find_page.reset();
    } else {
      insert_page.bind(1, *doc_id)
          .bind(2, std::int64_t(p.number))
          .bind(3, p.width_pt)
          .bind(4, p.height_pt)
          .bind(5, p.render.dpi)
          .bind(6, p.render.max_pixels)
          .bind(7, std::int64_t(p.render.width_px))
          .bind(8, std::int64_t(p.render.height_px));
      insert_page.run();
      page_id = db_->last_insert_rowid();
      if (!p.thumbnail_jpeg.empty()) {
        insert_thumb.bind(1, page_id).bind_blob(2, p.thumbnail_jpeg);
        insert_thumb.run();
      }
      if (!p.text.empty()) {
        insert_text.bind(1, page_id).bind(2, std::string_view(p.text));
        insert_text.run();
      }
    }
    insert_vec.bind(1, mid)
        .bind(2, page_id)
        .bind(3, std::int64_t(p.embedding.rows))
        .bind_blob(4, p.embedding.vectors)
        .bind_blob(5, p.embedding.grid);
    insert_vec.run();
  }
  tx.commit();
  return *doc_id;
}

void Library::record_failure(const FileSignature& file, std::string_view error) {
  sql::Transaction tx(*db_);
  sql::Statement upsert(*db_,
                        "INSERT INTO documents (path, content_hash, size, mtime_ns, status, error, page_count, "
                        "ingested_at) VALUES (?1, ?2, ?3, ?4, 'failed', ?5, 0, ?6) "
                        "ON CONFLICT (path) DO UPDATE SET content_hash = excluded.content_hash, size = excluded.size, "
                        "mtime_ns = excluded.mtime_ns, status = 'failed', error = excluded.error, page_count = 0, "
                        "ingested_at = excluded.ingested_at");
  upsert.bind(1, std::string_view(file.path))
      .bind(2, std::string_view(file.content_hash))
      .bind(3, file.size)
      .bind(4, file.mtime_ns)
      .bind(5, error)
      .bind(6, now_seconds());
  upsert.run();
  sql::Statement del(*db_, "DELETE FROM pages WHERE document_id = (SELECT id FROM documents WHERE path = ?1)");
  del.bind(1, std::string_view(file.path));
  del.run();
  tx.commit();
}

void Library::update_signature(const FileSignature& file) {
  sql::Statement st(*db_, "UPDATE documents SET size = ?2, mtime_ns = ?3 WHERE path = ?1 AND content_hash = ?4");
  st.bind(1, std::string_view(file.path))
      .bind(2, file.size)
      .bind(3, file.mtime_ns)
      .bind(4, std::string_view(file.content_hash));
  st.run();
}

bool Library::remove_document(std::string_view path) {
  sql::Transaction tx(*db_);
  sql::Statement del(*db_, "DELETE FROM documents WHERE path = ?1");
  del.bind(1, path);
  del.run();
  const bool removed = db_->changes() > 0;
  tx.commit();
  return removed;
}

std::vector<DocumentRecord> Library::documents(std::string_view fingerprint) const {
  sql::Statement st(*db_, std::string(kDocumentColumns) + "ORDER BY d.path");
  st.bind(1, fingerprint);
  std::vector<DocumentRecord> out;
  while (st.step()) out.push_back(read_document(st));
  return out;
}

std::optional<DocumentRecord> Library::document(std::string_view path, std::string_view fingerprint) const {
  sql::Statement st(*db_, std::string(kDocumentColumns) + "WHERE d.path = ?2");
  st.bind(1, fingerprint).bind(2, path);
  if (!st.step()) return std::nullopt;
  return read_document(st);
}

std::vector<ModelRecord> Library::models() const {
  sql::Statement st(*db_,
                    "SELECT m.fingerprint, m.name, m.family, m.dim, m.format, count(e.page_id), total(e.rows), "
                    "total(length(e.vectors) + length(e.grid)) FROM models m LEFT JOIN embeddings e "
                    "ON e.model_id = m.id GROUP BY m.id ORDER BY m.id");
  std::vector<ModelRecord> out;
  while (st.step()) {
    ModelRecord m;
    m.key = {st.text(0), st.text(1), st.text(2), std::size_t(st.int64(3))};
    m.format = parse_format(st.text(4));
    m.pages = st.int64(5);
    m.rows = std::int64_t(st.real(6));
    m.vector_bytes = std::int64_t(st.real(7));
    out.push_back(std::move(m));
  }
  return out;
}

LibraryStats Library::stats() const {
  ReadSnapshot snapshot(*db_);
  LibraryStats s;
  {
    sql::Statement st(*db_,
                      "SELECT (SELECT count(*) FROM documents WHERE status = 'ready'), "
                      "(SELECT count(*) FROM documents WHERE status = 'failed'), (SELECT count(*) FROM pages), "
                      "(SELECT total(length(jpeg)) FROM thumbnails)");
    if (st.step()) {
      s.documents_ready = st.int64(0);
      s.documents_failed = st.int64(1);
      s.pages = st.int64(2);
      s.thumbnail_bytes = std::int64_t(st.real(3));
    }
  }
  s.models = models();
  std::error_code ec;
  for (const char* suffix : {"", "-wal"}) {
    const auto size = std::filesystem::file_size(path_.string() + suffix, ec);
    if (!ec) s.file_bytes += std::int64_t(size);
  }
  return s;
}

namespace {

core::VectorForm core_form(VectorFormat format) {
  switch (format) {
    case VectorFormat::kF16: return core::VectorForm::f16;
    case VectorFormat::kBF16: return core::VectorForm::bf16;
    case VectorFormat::kF32: break;
  }
  return core::VectorForm::f32;
}

// Appends one embeddings row (page_id, rows, vectors) to `corpus`.
void add_stored_page(core::Corpus& corpus, const sql::Statement& row, VectorFormat format, bool as_stored,
                     std::vector<float>& scratch) {
  const std::int64_t page_id = row.int64(0);
  const auto page_rows = std::size_t(row.int64(1));
  const std::string what = "page " + std::to_string(page_id);
  if (!as_stored) {
    scratch.resize(page_rows * corpus.dim());
    decode_vectors(row.blob(2), format, scratch, what);
    corpus.add_page(page_id, scratch);
    return;
  }
  const auto blob = row.blob(2);
  if (blob.size() != page_rows * corpus.row_bytes()) {
    throw Error(what + ": vector blob has " + std::to_string(blob.size()) + " bytes, expected " +
                std::to_string(page_rows * corpus.row_bytes()) + "; the library is damaged");
  }
  corpus.add_encoded_page(page_id, page_rows, blob, {});
}

}  // namespace

core::Corpus Library::load_corpus(std::string_view fingerprint, LoadForm form) const {
  ReadSnapshot snapshot(*db_);
  const auto mid = model_id(fingerprint);
  if (!mid) {
    std::string known;
    for (const auto& m : models()) known += (known.empty() ? "" : ", ") + describe_model(m.key);
    throw Error("library " + path_.string() + " has no pages encoded with model " + std::string(fingerprint) +
                (known.empty() ? std::string(" (it is empty)") : " (it holds: " + known + ")") +
                "; run `patchwise ingest` with this model, or pass the --model the library was built with");
  }
  sql::Statement info(*db_,
                      "SELECT m.dim, m.format, count(e.page_id), total(e.rows) FROM models m "
                      "LEFT JOIN embeddings e ON e.model_id = m.id WHERE m.id = ?1");
  info.bind(1, *mid);
  info.step();
  const auto dim = std::size_t(info.int64(0));
  const VectorFormat format = parse_format(info.text(1));
  // Stored f16/bf16/f32 rows have exactly core's layout for that form, so they are copied as they are.
  const bool as_stored = form == LoadForm::kStored;
  core::Corpus corpus(dim, as_stored ? core_form(format) : core::VectorForm::f32);
  corpus.reserve(std::size_t(info.int64(2)), std::size_t(info.real(3)));

  sql::Statement rows(*db_, "SELECT page_id, rows, vectors FROM embeddings WHERE model_id = ?1 ORDER BY page_id");
  rows.bind(1, *mid);
  std::vector<float> scratch;  // grows to the largest page once, then is reused
  while (rows.step()) add_stored_page(corpus, rows, format, as_stored, scratch);
  return corpus;
}

std::vector<std::int64_t> Library::page_ids(std::string_view fingerprint) const {
  std::vector<std::int64_t> ids;
  const auto mid = model_id(fingerprint);
  if (!mid) return ids;
  sql::Statement st(*db_, "SELECT page_id FROM embeddings WHERE model_id = ?1 ORDER BY page_id");
  st.bind(1, *mid);
  while (st.step()) ids.push_back(st.int64(0));
  return ids;
}

core::Corpus Library::load_pages(std::string_view fingerprint, std::span<const std::int64_t> ids,
                                 LoadForm form) const {
  ReadSnapshot snapshot(*db_);
  const auto mid = model_id(fingerprint);
  if (!mid) throw Error("library " + path_.string() + " has no pages encoded with model " + std::string(fingerprint));
  sql::Statement info(*db_, "SELECT dim, format FROM models WHERE id = ?1");
  info.bind(1, *mid);
  info.step();
  const auto dim = std::size_t(info.int64(0));
  const VectorFormat format = parse_format(info.text(1));
  const bool as_stored = form == LoadForm::kStored;
  core::Corpus corpus(dim, as_stored ? core_form(format) : core::VectorForm::f32);
  sql::Statement row(*db_, "SELECT page_id, rows, vectors FROM embeddings WHERE model_id = ?1 AND page_id = ?2");
  std::vector<float> scratch;
  for (const std::int64_t id : ids) {
    row.reset();
    row.bind(1, *mid).bind(2, id);
    if (row.step()) add_stored_page(corpus, row, format, as_stored, scratch);
  }
  return corpus;
}

namespace {

constexpr std::string_view kPageColumns =
    "SELECT p.id, p.document_id, d.path, p.number, p.width_pt, p.height_pt, p.render_dpi, "
    "p.render_max_pixels, p.render_width, p.render_height FROM pages p "
    "JOIN documents d ON d.id = p.document_id ";

PageRef read_page(const sql::Statement& st) {
  PageRef r;
  r.page_id = st.int64(0);
  r.document_id = st.int64(1);
  r.path = st.text(2);
  r.number = int(st.int64(3));
  r.width_pt = st.real(4);
  r.height_pt = st.real(5);
  r.render = {st.real(6), st.int64(7), int(st.int64(8)), int(st.int64(9))};
  return r;
}

}  // namespace

std::optional<PageRef> Library::page(std::int64_t page_id) const {
  sql::Statement st(*db_, std::string(kPageColumns) + "WHERE p.id = ?1");
  st.bind(1, page_id);
  if (!st.step()) return std::nullopt;
  return read_page(st);
}

std::optional<PageRef> Library::page_at(std::string_view path, int number) const {
  sql::Statement st(*db_, std::string(kPageColumns) + "WHERE d.path = ?1 AND p.number = ?2");
  st.bind(1, path).bind(2, std::int64_t(number));
  if (!st.step()) return std::nullopt;
  return read_page(st);
}

std::int64_t Library::data_version() const {
  sql::Statement st(*db_, "PRAGMA data_version");
  st.step();
  return st.int64(0);
}

std::optional<core::PageEmbedding> Library::embedding(std::int64_t page_id, std::string_view fingerprint) const {
  sql::Statement st(*db_,
                    "SELECT e.rows, e.vectors, e.grid, m.dim, m.format FROM embeddings e "
                    "JOIN models m ON m.id = e.model_id WHERE e.page_id = ?1 AND m.fingerprint = ?2");
  st.bind(1, page_id).bind(2, fingerprint);
  if (!st.step()) return std::nullopt;
  const auto rows = std::size_t(st.int64(0));
  const auto dim = std::size_t(st.int64(3));
  const std::string what = "page " + std::to_string(page_id);
  core::PageEmbedding e;
  e.vectors = core::MultiVector(rows, dim);
  decode_vectors(st.blob(1), parse_format(st.text(4)), e.vectors.values(), what);
  e.grid = decode_grid(st.blob(2), rows, what);
  return e;
}

std::vector<std::byte> Library::thumbnail(std::int64_t page_id) const {
  sql::Statement st(*db_, "SELECT jpeg FROM thumbnails WHERE page_id = ?1");
  st.bind(1, page_id);
  if (!st.step()) return {};
  const auto b = st.blob(0);
  return {b.begin(), b.end()};
}

std::string Library::page_text(std::int64_t page_id) const {
  sql::Statement st(*db_, "SELECT text FROM page_text WHERE rowid = ?1");
  st.bind(1, page_id);
  return st.step() ? st.text(0) : std::string();
}

std::vector<std::int64_t> Library::text_search(std::string_view fts_query, std::size_t limit) const {
  sql::Statement st(*db_, "SELECT rowid FROM page_text WHERE page_text MATCH ?1 ORDER BY rank LIMIT ?2");
  st.bind(1, fts_query).bind(2, std::int64_t(limit));
  std::vector<std::int64_t> out;
  while (st.step()) out.push_back(st.int64(0));
  return out;
}

std::int64_t Library::begin_run(const ModelKey& model) {
  sql::Transaction tx(*db_);
  const std::int64_t mid = ensure_model(model);
  sql::Statement st(*db_, "INSERT INTO ingest_runs (model_id, state, started_at) VALUES (?1, 'running', ?2)");
  st.bind(1, mid).bind(2, now_seconds());
  st.run();
  const std::int64_t id = db_->last_insert_rowid();
  tx.commit();
  return id;
}

void Library::finish_run(std::int64_t run_id, RunState state, const RunCounts& c) {
  sql::Statement st(*db_,
                    "UPDATE ingest_runs SET state = ?2, finished_at = ?3, files_seen = ?4, files_skipped = ?5, "
                    "files_ingested = ?6, files_failed = ?7, files_removed = ?8, pages_encoded = ?9 WHERE id = ?1");
  st.bind(1, run_id)
      .bind(2, run_state_name(state))
      .bind(3, now_seconds())
      .bind(4, c.files_seen)
      .bind(5, c.files_skipped)
      .bind(6, c.files_ingested)
      .bind(7, c.files_failed)
      .bind(8, c.files_removed)
      .bind(9, c.pages_encoded);
  st.run();
}

std::vector<RunRecord> Library::runs() const {
  sql::Statement st(*db_,
                    "SELECT r.id, coalesce(m.fingerprint, ''), r.state, r.started_at, r.finished_at, r.files_seen, "
                    "r.files_skipped, r.files_ingested, r.files_failed, r.files_removed, r.pages_encoded "
                    "FROM ingest_runs r LEFT JOIN models m ON m.id = r.model_id ORDER BY r.id");
  std::vector<RunRecord> out;
  while (st.step()) {
    RunRecord r;
    r.id = st.int64(0);
    r.fingerprint = st.text(1);
    r.state = parse_run_state(st.text(2));
    r.started_at = st.int64(3);
    r.finished_at = st.int64(4);
    r.counts = {st.int64(5), st.int64(6), st.int64(7), st.int64(8), st.int64(9), st.int64(10)};
    out.push_back(r);
  }
  return out;
}

std::vector<std::string> Library::check() const {
  ReadSnapshot snapshot(*db_);
  std::vector<std::string> problems;
  {
    sql::Statement st(*db_, "PRAGMA integrity_check");
    while (st.step()) {
      if (st.text(0) != "ok") problems.push_back("integrity_check: " + st.text(0));
    }
  }
  {
    sql::Statement st(*db_, "PRAGMA foreign_key_check");
    while (st.step()) problems.push_back("foreign key broken in table " + st.text(0));
  }
  {
    sql::Statement st(*db_,
                      "SELECT d.path, d.page_count, count(p.id), coalesce(min(p.number), 1), "
                      "coalesce(max(p.number), 0) FROM documents d LEFT JOIN pages p ON p.document_id = d.id "
                      "WHERE d.status = 'ready' GROUP BY d.id");
    while (st.step()) {
      const auto expected = st.int64(1);
      if (st.int64(2) != expected || st.int64(3) != 1 || st.int64(4) != expected) {
        problems.push_back(st.text(0) + ": expected pages 1.." + std::to_string(expected) + ", found " +
                           std::to_string(st.int64(2)) + " pages numbered " + std::to_string(st.int64(3)) +
                           ".." + std::to_string(st.int64(4)));
      }
    }
  }
  {
    sql::Statement st(*db_,
                      "SELECT e.page_id, m.fingerprint FROM embeddings e JOIN models m ON m.id = e.model_id "
                      "WHERE length(e.vectors) != e.rows * m.dim * (CASE m.format WHEN 'f32' THEN 4 ELSE 2 END) "
                      "OR length(e.grid) != e.rows * 18");
    while (st.step()) {
      problems.push_back("page " + std::to_string(st.int64(0)) + ": vectors for " + st.text(1) +
                         " do not match their row count");
    }
  }
  return problems;
}

std::filesystem::path default_library_path() {
  if (const char* xdg = std::getenv("XDG_DATA_HOME"); xdg && *xdg) {
    return std::filesystem::path(xdg) / "patchwise" / "library.db";
  }
  const char* home = std::getenv("HOME");
  if (!home || !*home) throw Error("neither XDG_DATA_HOME nor HOME is set; pass --library PATH");
  return std::filesystem::path(home) / ".local" / "share" / "patchwise" / "library.db";
}

std::string_view run_state_name(RunState state) {
  switch (state) {
    case RunState::kRunning: return "running";
    case RunState::kFinished: return "finished";
    case RunState::kCancelled: return "cancelled";
  }
  return "running";
}

}  // namespace patchwise::storage
