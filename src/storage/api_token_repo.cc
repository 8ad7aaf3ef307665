#include "storage/api_token_repo.h"

#include <string>
#include <utility>

namespace zb::storage {

namespace {

#define ZB_TOKEN_COLUMNS \
  "id, user_id, name, token_hash, permissions, expires_at, created_at, last_used_at, revoked_at"

constexpr char kNotFound[] = "API 令牌不存在";

std::string JoinPermissions(const std::vector<std::string>& permissions) {
  std::string out;
  for (const std::string& p : permissions) {
    if (p.empty()) continue;
    if (!out.empty()) out += ' ';
    out += p;
  }
  return out;
}

std::vector<std::string> SplitPermissions(const std::string& text) {
  std::vector<std::string> out;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t space = text.find(' ', pos);
    if (space == std::string::npos) space = text.size();
    if (space > pos) out.push_back(text.substr(pos, space - pos));
    pos = space + 1;
  }
  return out;
}

ApiToken FromRow(const db::Row& r) {
  ApiToken t;
  t.id = r.Int("id");
  t.user_id = r.Int("user_id");
  t.name = r.Text("name");
  t.token_hash = r.Text("token_hash");
  t.permissions = SplitPermissions(r.Text("permissions"));
  t.expires_at = r.OptInt("expires_at");
  t.created_at = r.Int("created_at");
  t.last_used_at = r.OptInt("last_used_at");
  t.revoked_at = r.OptInt("revoked_at");
  return t;
}

}  // namespace

StatusOr<ApiToken> CreateApiToken(db::Connection& conn, const NewApiToken& in, int64_t now_ms) {
  ZB_ASSIGN_OR_RETURN(auto row, conn.QueryOne("INSERT INTO api_tokens (user_id, name, token_hash, permissions, "
                                              "expires_at, created_at) VALUES ($1, $2, $3, $4, $5, $6) "
                                              "RETURNING " ZB_TOKEN_COLUMNS,
                                              {in.user_id, in.name, in.token_hash, JoinPermissions(in.permissions),
                                               db::Opt(in.expires_at), now_ms}));
  if (!row) return Internal("INSERT … RETURNING 未返回行 (no row returned)");
  return FromRow(*row);
}

StatusOr<std::optional<ApiToken>> FindApiTokenByHash(db::Connection& conn, const std::string& token_hash) {
  ZB_ASSIGN_OR_RETURN(auto row, conn.QueryOne("SELECT " ZB_TOKEN_COLUMNS " FROM api_tokens WHERE token_hash = $1",
                                              {token_hash}));
  if (!row) return std::optional<ApiToken>();
  return std::optional<ApiToken>(FromRow(*row));
}

StatusOr<std::vector<ApiToken>> ListApiTokens(db::Connection& conn, int64_t user_id) {
  ZB_ASSIGN_OR_RETURN(db::Result r, conn.Query("SELECT " ZB_TOKEN_COLUMNS " FROM api_tokens WHERE user_id = $1 "
                                               "ORDER BY created_at DESC, id DESC",
                                               {user_id}));
  std::vector<ApiToken> out;
  out.reserve(r.rows.size());
  for (const db::Row& row : r.rows) out.push_back(FromRow(row));
  return out;
}

Status RevokeApiToken(db::Connection& conn, int64_t id, int64_t user_id, int64_t now_ms) {
  ZB_ASSIGN_OR_RETURN(db::Result r, conn.Query("UPDATE api_tokens SET revoked_at = COALESCE(revoked_at, $3) "
                                               "WHERE id = $1 AND user_id = $2",
                                               {id, user_id, now_ms}));
  if (r.affected == 0) return NotFound(kNotFound, "id");
  return Status();
}

Status TouchApiToken(db::Connection& conn, int64_t id, int64_t now_ms) {
  ZB_ASSIGN_OR_RETURN(db::Result r, conn.Query("UPDATE api_tokens SET last_used_at = $2 WHERE id = $1", {id, now_ms}));
  if (r.affected == 0) return NotFound(kNotFound, "id");
  return Status();
}

#undef ZB_TOKEN_COLUMNS

}  // namespace zb::storage
