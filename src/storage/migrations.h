// Schema migrations, one ordered list per dialect, embedded at build time from
// src/storage/migrations/{sqlite,postgres}/NNNN_name.sql.
#pragma once

#include <string>
#include <vector>

#include "core/status.h"
#include "storage/db.h"

namespace zb::db {

struct Migration {
  int version;
  const char* name;
  const char* sql;
};

const std::vector<Migration>& EmbeddedMigrations_sqlite();
const std::vector<Migration>& EmbeddedMigrations_postgres();
const std::vector<Migration>& MigrationsFor(Dialect d);

// The newest version this binary knows for the dialect.
int LatestVersion(Dialect d);

struct MigrateReport {
  int from_version = 0;
  int to_version = 0;
  std::vector<std::string> applied;  // names
};

// Brings the database up to LatestVersion(): each pending migration runs in
// its own transaction with its row in schema_version. A database whose
// version is newer than the binary's is refused with kFailedPrecondition-like
// kConflict and a message naming both versions.
StatusOr<MigrateReport> Migrate(Pool& pool);

// The database's current schema version (0 when empty).
StatusOr<int> CurrentVersion(Pool& pool);

}  // namespace zb::db
