// The SQLite adapter behind db::Pool.
//
// One writer connection and `options.readers` read-only connections on the
// same file:
//   * Begin() waits (up to busy_timeout_ms, then kUnavailable) for the single
//     writer, then runs BEGIN IMMEDIATE, so writers queue here and never on
//     SQLITE_BUSY. The writer is held until the Tx is destroyed.
//   * Read() leases one of the readers (opened SQLITE_OPEN_READONLY after the
//     writer has created the file); WAL lets them read beside the writer.
//   * "sqlite::memory:" (path ":memory:") is a single-connection pool: Read()
//     and Begin() share the one connection, one lease at a time — so never
//     call Read() while holding a Tx on the same thread there.
// Every connection: journal_mode=WAL (writer), synchronous from the options,
// foreign_keys=ON, busy_timeout, extended result codes. Statements are
// prepared once per connection and cached by SQL text; $N placeholders are
// rewritten to ?N. Errors: unique/primary-key violation → kAlreadyExists,
// foreign key → kConflict, SQLITE_BUSY/LOCKED → kUnavailable, the rest
// kInternal with SQLite's message. Like PostgreSQL, a failed statement
// inside a transaction aborts it: later statements and COMMIT fail.
// Creating the file's directory is the caller's job.
#pragma once

#include <memory>
#include <string>

#include "core/status.h"
#include "storage/db.h"

namespace zb::db {

// path: a file path or ":memory:".
StatusOr<std::unique_ptr<Pool>> OpenSqlitePool(const std::string& path, const PoolOptions& options);

}  // namespace zb::db
