#pragma once
// Creates and migrates the library schema (see storage/SCHEMA.md). The schema version is
// SQLite's user_version; application_id marks the file as a Patchwise library.
#include "storage/sqlite.h"

namespace patchwise::storage {

inline constexpr int kApplicationId = 0x50574C42;  // "PWLB"

// Brings the file to kSchemaVersion inside one transaction. Throws patchwise::Error for a
// file that belongs to another application or to a newer Patchwise.
void migrate(sql::Database& db);

int read_user_version(sql::Database& db);

}  // namespace patchwise::storage
