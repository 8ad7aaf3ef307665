// The PostgreSQL adapter behind db::Pool, on libpq. Built only with
// ZB_WITH_POSTGRES.
//
//   * A leased pool of up to `options.readers` connections, opened lazily
//     (one is opened by OpenPgPool to check the URL). Read() and Begin()
//     wait up to busy_timeout_ms for a free connection, then kUnavailable.
//   * A connection that lost its server (CONNECTION_BAD, a terminated
//     backend, a failed query on a broken socket) is reset when next leased;
//     if that fails the lease fails with kUnavailable and the next one tries
//     again.
//   * Statements are prepared once per connection and cached by SQL text;
//     parameters go as text ($N placeholders are native). Values come back
//     by column type: int2/int4/int8/oid → int64, float4/float8 → double,
//     numeric → int64 when integral and in range, else double, bool → 0/1,
//     everything else text.
//   * Errors by SQLSTATE: 23505 → kAlreadyExists (same message as SQLite),
//     23503 → kConflict, 40001/40P01 and 08xxx/57P0x → kUnavailable, the
//     rest kInternal with the server's message.
//   * A connection returned inside a transaction (open or aborted) is rolled
//     back before reuse; COMMIT of an aborted transaction is an error.
#pragma once

#include <memory>
#include <string>

#include "core/status.h"
#include "storage/db.h"

namespace zb::db {

// url: "postgresql://…" or "postgres://…" (any libpq connection URI).
StatusOr<std::unique_ptr<Pool>> OpenPgPool(const std::string& url, const PoolOptions& options);

}  // namespace zb::db
