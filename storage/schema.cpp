#include "storage/schema.h"

#include <array>
#include <string>

#include "core/error.h"
#include "storage/library.h"

namespace patchwise::storage {
namespace {

// Version 1: documents, pages, thumbnails, page text (FTS5), models, embeddings, ingest runs.
constexpr const char* kVersion1 = R"sql(
CREATE TABLE documents (
  id           INTEGER PRIMARY KEY AUTOINCREMENT,
  path         TEXT    NOT NULL UNIQUE,
  content_hash TEXT    NOT NULL,
  size         INTEGER NOT NULL,
  mtime_ns     INTEGER NOT NULL,
  status       TEXT    NOT NULL CHECK (status IN ('ready', 'failed')),
  error        TEXT    NOT NULL DEFAULT '',
  page_count   INTEGER NOT NULL DEFAULT 0,
  ingested_at  INTEGER NOT NULL
);
CREATE TABLE pages (
  id                INTEGER PRIMARY KEY AUTOINCREMENT,
  document_id       INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
  number            INTEGER NOT NULL CHECK (number >= 1),
  width_pt          REAL    NOT NULL,
  height_pt         REAL    NOT NULL,
  render_dpi        REAL    NOT NULL,
  render_max_pixels INTEGER NOT NULL,
  render_width      INTEGER NOT NULL,
  render_height     INTEGER NOT NULL,
  UNIQUE (document_id, number)
);
CREATE TABLE thumbnails (
  page_id INTEGER PRIMARY KEY REFERENCES pages(id) ON DELETE CASCADE,
  jpeg    BLOB NOT NULL
);
CREATE VIRTUAL TABLE page_text USING fts5(text);
CREATE TRIGGER pages_delete_text AFTER DELETE ON pages BEGIN
  DELETE FROM page_text WHERE rowid = old.id;
END;
CREATE TABLE models (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  fingerprint TEXT    NOT NULL UNIQUE,
  name        TEXT    NOT NULL,
  family      TEXT    NOT NULL,
  dim         INTEGER NOT NULL CHECK (dim > 0),
  format      TEXT    NOT NULL CHECK (format IN ('f32', 'f16', 'bf16'))
);
CREATE TABLE embeddings (
  model_id INTEGER NOT NULL REFERENCES models(id) ON DELETE CASCADE,
  page_id  INTEGER NOT NULL REFERENCES pages(id) ON DELETE CASCADE,
  rows     INTEGER NOT NULL CHECK (rows >= 0),
  vectors  BLOB    NOT NULL,
  grid     BLOB    NOT NULL,
  PRIMARY KEY (model_id, page_id)
);
CREATE INDEX embeddings_by_page ON embeddings(page_id);
CREATE TABLE ingest_runs (
  id             INTEGER PRIMARY KEY AUTOINCREMENT,
  model_id       INTEGER REFERENCES models(id) ON DELETE SET NULL,
  state          TEXT    NOT NULL CHECK (state IN ('running', 'finished', 'cancelled')),
  started_at     INTEGER NOT NULL,
  finished_at    INTEGER NOT NULL DEFAULT 0,
  files_seen     INTEGER NOT NULL DEFAULT 0,
  files_skipped  INTEGER NOT NULL DEFAULT 0,
  files_ingested INTEGER NOT NULL DEFAULT 0,
  files_failed   INTEGER NOT NULL DEFAULT 0,
  files_removed  INTEGER NOT NULL DEFAULT 0,
  pages_encoded  INTEGER NOT NULL DEFAULT 0
);
)sql";

// Migration i takes the schema from version i to i + 1. Append, never edit.
constexpr std::array<const char*, 1> kMigrations = {kVersion1};
static_assert(kMigrations.size() == kSchemaVersion);

int read_int_pragma(sql::Database& db, const char* pragma) {
  sql::Statement st(db, pragma);
  return st.step() ? int(st.int64(0)) : 0;
}

bool has_tables(sql::Database& db) {
  sql::Statement st(db, "SELECT count(*) FROM sqlite_schema");
  return st.step() && st.int64(0) > 0;
}

}  // namespace

int read_user_version(sql::Database& db) { return read_int_pragma(db, "PRAGMA user_version"); }

void migrate(sql::Database& db) {
  const auto check = [&db] {
    const int app = read_int_pragma(db, "PRAGMA application_id");
    const int version = read_user_version(db);
    if ((app != kApplicationId && app != 0) || (app == 0 && has_tables(db))) {
      throw Error(db.path().string() + " is not a Patchwise library (it is another SQLite database); "
                  "choose another file with --library");
    }
    if (version > kSchemaVersion) {
      throw Error(db.path().string() + " was written by a newer Patchwise (schema " + std::to_string(version) +
                  ", this build knows up to " + std::to_string(kSchemaVersion) + "); upgrade Patchwise");
    }
    return version;
  };
  if (check() == kSchemaVersion) return;  // the common case takes no write lock
  sql::Transaction tx(db);
  const int version = check();  // another process may have migrated meanwhile
  for (int v = version; v < kSchemaVersion; ++v) db.exec(kMigrations[std::size_t(v)]);
  // PRAGMA takes no bound parameters; both values are compile-time constants.
  db.exec("PRAGMA application_id = " + std::to_string(kApplicationId));
  db.exec("PRAGMA user_version = " + std::to_string(kSchemaVersion));
  tx.commit();
}

}  // namespace patchwise::storage
