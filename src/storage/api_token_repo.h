// API tokens for integrations in the database: table api_tokens (migration
// 0002). A token is shown once at creation; only its hash (hex SHA-256) is
// stored and passed here. permissions is a subset of the creator's, kept as
// one space-separated text column.
//
// Reads take pool.Read(), writes a Tx (each write is one statement). Times
// are epoch milliseconds supplied by the caller; expiry and revocation are
// judged by the caller from the row. The SQL is the same on SQLite and
// PostgreSQL.
//
// Errors: NotFound("API 令牌不存在", "id") for an unknown token, or one that
// is not the given user's; AlreadyExists (field "token_hash") for a duplicate
// hash; anything else from the adapter.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/status.h"
#include "storage/db.h"

namespace zb::storage {

struct ApiToken {
  int64_t id = 0;
  int64_t user_id = 0;
  std::string name;
  std::string token_hash;
  std::vector<std::string> permissions;
  std::optional<int64_t> expires_at;  // none = never
  int64_t created_at = 0;
  std::optional<int64_t> last_used_at;
  std::optional<int64_t> revoked_at;
};

struct NewApiToken {
  int64_t user_id = 0;
  std::string name;
  std::string token_hash;
  std::vector<std::string> permissions;  // no spaces inside a permission
  std::optional<int64_t> expires_at;
};

StatusOr<ApiToken> CreateApiToken(db::Connection& conn, const NewApiToken& in, int64_t now_ms);

// The token with this hash, revoked or expired included.
StatusOr<std::optional<ApiToken>> FindApiTokenByHash(db::Connection& conn, const std::string& token_hash);

// The user's tokens, newest first, revoked ones included.
StatusOr<std::vector<ApiToken>> ListApiTokens(db::Connection& conn, int64_t user_id);

// Revokes token `id` if it belongs to `user_id` (NotFound otherwise, so one
// user cannot learn of another's tokens). Revoking again keeps the first time.
Status RevokeApiToken(db::Connection& conn, int64_t id, int64_t user_id, int64_t now_ms);

// Sets last_used_at = now. NotFound for an unknown id.
Status TouchApiToken(db::Connection& conn, int64_t id, int64_t now_ms);

}  // namespace zb::storage
