#pragma once
// A thin RAII layer over the SQLite C API, private to storage/: a connection, prepared
// statements with typed binds and reads, and a transaction guard that rolls back unless
// committed. Every SQLite error becomes a patchwise::Error naming the database file and the
// statement, so callers above storage/ never see SQLite codes.
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>

struct sqlite3;
struct sqlite3_stmt;

namespace patchwise::storage::sql {

class Database;

class Statement {
 public:
  Statement(Database& db, std::string_view sql);
  Statement(Statement&&) noexcept;
  Statement& operator=(Statement&&) noexcept;
  ~Statement();

  // Binds are 1-based, like SQLite's. Blobs and text are copied by SQLite (SQLITE_TRANSIENT)
  // unless `static_data` says the caller keeps them alive until the step.
  Statement& bind(int index, std::int64_t value);
  Statement& bind(int index, double value);
  Statement& bind(int index, std::string_view text);
  Statement& bind_blob(int index, std::span<const std::byte> blob);
  Statement& bind_null(int index);

  // Advances; true while a row is available.
  bool step();
  // Runs to completion (for statements that return no rows).
  void run();
  // Resets for reuse and clears the binds.
  void reset();

  std::int64_t int64(int column) const;
  double real(int column) const;
  std::string text(int column) const;
  bool is_null(int column) const;
  // Valid until the next step/reset: points into SQLite's row buffer, no copy.
  std::span<const std::byte> blob(int column) const;

 private:
  [[noreturn]] void fail(int rc) const;
  Database* db_;
  sqlite3_stmt* stmt_ = nullptr;
};

class Database {
 public:
  enum class Mode { kReadWriteCreate, kReadWrite, kReadOnly };
  Database(const std::filesystem::path& path, Mode mode);
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;
  ~Database();

  // Runs one or more statements without results (schema scripts, pragmas).
  void exec(std::string_view sql);
  std::int64_t last_insert_rowid() const;
  int changes() const;
  sqlite3* handle() const { return db_; }
  const std::filesystem::path& path() const { return path_; }

  [[noreturn]] void fail(int rc, std::string_view what) const;

 private:
  std::filesystem::path path_;
  sqlite3* db_ = nullptr;
};

// BEGIN IMMEDIATE on construction (takes the write lock up front, so a busy database is
// reported at once instead of at the first write); ROLLBACK in the destructor unless
// commit() was called.
class Transaction {
 public:
  explicit Transaction(Database& db);
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  ~Transaction();
  void commit();

 private:
  Database& db_;
  bool done_ = false;
};

}  // namespace patchwise::storage::sql
