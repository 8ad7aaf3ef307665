// The login log: table login_log (migration 0002). Every sign-in attempt,
// successful or not, with time, login as typed (lower-cased by the caller),
// the user when known, IP, user agent, result and reason.
//
// Append with a Tx (one statement), read with pool.Read(). Times are epoch
// milliseconds supplied by the caller. The SQL is the same on SQLite and
// PostgreSQL. The log is not edited; pruning old entries is a separate,
// audited operation and not provided here.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/status.h"
#include "storage/db.h"
#include "storage/scope_sql.h"

namespace zb::storage {

struct LoginLogEntry {
  int64_t id = 0;  // assigned on append
  int64_t at = 0;  // epoch ms
  std::string login;
  std::optional<int64_t> user_id;  // none for an unknown login
  std::string ip;
  std::string user_agent;
  std::string result;  // success | failure
  std::string reason;  // e.g. "bad_password", "locked"; '' on success
};

struct LoginLogFilter {
  std::optional<std::string> login;   // exact match
  std::optional<std::string> result;  // success | failure
  std::optional<int64_t> from_ms;     // at >= from_ms
  std::optional<int64_t> to_ms;       // at < to_ms
  int64_t page = 1;                   // 1-based
  int64_t page_size = kDefaultPageSize;
};

struct LoginLogPage {
  std::vector<LoginLogEntry> items;  // newest first
  int64_t total = 0;                 // entries matching the filter, all pages
};

// Appends `e` (its id is ignored) and returns the new id.
StatusOr<int64_t> AppendLoginLog(db::Connection& conn, const LoginLogEntry& e);

StatusOr<LoginLogPage> ListLoginLog(db::Connection& conn, const LoginLogFilter& filter);

}  // namespace zb::storage
