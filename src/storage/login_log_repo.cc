#include "storage/scope_sql.h"
#include "storage/login_log_repo.h"

#include <string>
#include <utility>

namespace zb::storage {

namespace {

#define ZB_LOGIN_LOG_COLUMNS "id, at, login, user_id, ip, user_agent, result, reason"

LoginLogEntry FromRow(const db::Row& r) {
  LoginLogEntry e;
  e.id = r.Int("id");
  e.at = r.Int("at");
  e.login = r.Text("login");
  e.user_id = r.OptInt("user_id");
  e.ip = r.Text("ip");
  e.user_agent = r.Text("user_agent");
  e.result = r.Text("result");
  e.reason = r.Text("reason");
  return e;
}

}  // namespace

StatusOr<int64_t> AppendLoginLog(db::Connection& conn, const LoginLogEntry& e) {
  ZB_ASSIGN_OR_RETURN(auto row, conn.QueryOne("INSERT INTO login_log (at, login, user_id, ip, user_agent, result, "
                                              "reason) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
                                              {e.at, e.login, db::Opt(e.user_id), e.ip, e.user_agent, e.result,
                                               e.reason}));
  if (!row) return Internal("INSERT … RETURNING 未返回行 (no row returned)");
  return row->Int("id");
}

StatusOr<LoginLogPage> ListLoginLog(db::Connection& conn, const LoginLogFilter& filter) {
  db::Params params;
  std::string where = " WHERE 1=1";
  if (filter.login) AndWhere(where, params, "login = ?", *filter.login);
  if (filter.result) AndWhere(where, params, "result = ?", *filter.result);
  if (filter.from_ms) AndWhere(where, params, "at >= ?", *filter.from_ms);
  if (filter.to_ms) AndWhere(where, params, "at < ?", *filter.to_ms);
  LoginLogPage page;
  ZB_ASSIGN_OR_RETURN(auto count, conn.QueryOne("SELECT COUNT(*) AS n FROM login_log" + where, params));
  page.total = count ? count->Int("n") : 0;
  const std::string limit = LimitOffset(filter.page, filter.page_size, &params);
  ZB_ASSIGN_OR_RETURN(db::Result r, conn.Query("SELECT " ZB_LOGIN_LOG_COLUMNS " FROM login_log" + where +
                                                   " ORDER BY at DESC, id DESC" + limit,
                                               params));
  page.items.reserve(r.rows.size());
  for (const db::Row& row : r.rows) page.items.push_back(FromRow(row));
  return page;
}

#undef ZB_LOGIN_LOG_COLUMNS

}  // namespace zb::storage
