#include "storage/scope_sql.h"
#include "storage/audit_repo.h"

#include <string>
#include <utility>

namespace zb::storage {

namespace {

#define ZB_AUDIT_COLUMNS \
  "seq, at, user_id, login, ip, request_id, action, entity_type, entity_id, changes, prev_hash, hash"

AuditRow FromRow(const db::Row& r) {
  AuditRow a;
  a.seq = r.Int("seq");
  a.at = r.Int("at");
  a.user_id = r.OptInt("user_id");
  a.login = r.Text("login");
  a.ip = r.Text("ip");
  a.request_id = r.Text("request_id");
  a.action = r.Text("action");
  a.entity_type = r.Text("entity_type");
  a.entity_id = r.Text("entity_id");
  a.changes = r.Text("changes");
  a.prev_hash = r.Text("prev_hash");
  a.hash = r.Text("hash");
  return a;
}

}  // namespace

StatusOr<AuditRow> AppendAudit(db::Connection& conn, const NewAuditEntry& entry, const AuditHasher& hasher) {
  if (!hasher) return Internal("审计哈希函数未设置 (no audit hasher)");
  // Takes the head's row lock (PostgreSQL; under READ COMMITTED a waiting
  // appender re-reads the head its predecessor committed) or runs on the one
  // writer (SQLite): either way appends are serialised from here to commit.
  ZB_ASSIGN_OR_RETURN(auto head,
                      conn.QueryOne("UPDATE audit_head SET seq = seq + 1 WHERE id = 1 RETURNING seq, last_hash"));
  if (!head) return Internal("审计链头不存在 (audit_head row missing)");
  AuditRow row;
  row.seq = head->Int("seq");
  row.at = entry.at;
  row.user_id = entry.user_id;
  row.login = entry.login;
  row.ip = entry.ip;
  row.request_id = entry.request_id;
  row.action = entry.action;
  row.entity_type = entry.entity_type;
  row.entity_id = entry.entity_id;
  row.changes = entry.changes;
  row.prev_hash = head->Text("last_hash");
  row.hash = hasher(row);
  ZB_RETURN_IF_ERROR(conn.Exec("INSERT INTO audit_log (" ZB_AUDIT_COLUMNS ") "
                               "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
                               {row.seq, row.at, db::Opt(row.user_id), row.login, row.ip, row.request_id, row.action,
                                row.entity_type, row.entity_id, row.changes, row.prev_hash, row.hash}));
  ZB_RETURN_IF_ERROR(conn.Exec("UPDATE audit_head SET last_hash = $1 WHERE id = 1", {row.hash}));
  return row;
}

Status AppendAuditBatch(db::Connection& conn, const std::vector<NewAuditEntry>& entries, const AuditHasher& hasher) {
  if (entries.empty()) return Status();
  if (!hasher) return Internal("审计哈希函数未设置 (no audit hasher)");
  const auto n = static_cast<int64_t>(entries.size());
  ZB_ASSIGN_OR_RETURN(
      auto head, conn.QueryOne("UPDATE audit_head SET seq = seq + $1 WHERE id = 1 RETURNING seq, last_hash", {n}));
  if (!head) return Internal("审计链头不存在 (audit_head row missing)");
  AuditRow row;
  row.seq = head->Int("seq") - n;
  row.hash = head->Text("last_hash");
  std::vector<db::Params> rows;
  rows.reserve(entries.size());
  for (const NewAuditEntry& e : entries) {
    ++row.seq;
    row.at = e.at;
    row.user_id = e.user_id;
    row.login = e.login;
    row.ip = e.ip;
    row.request_id = e.request_id;
    row.action = e.action;
    row.entity_type = e.entity_type;
    row.entity_id = e.entity_id;
    row.changes = e.changes;
    row.prev_hash = std::move(row.hash);
    row.hash = hasher(row);
    rows.push_back({row.seq, row.at, db::Opt(row.user_id), row.login, row.ip, row.request_id, row.action,
                    row.entity_type, row.entity_id, row.changes, row.prev_hash, row.hash});
  }
  const std::string last_hash = row.hash;
  ZB_RETURN_IF_ERROR(ExecValues(conn, rows,
                                {"BIGINT", "BIGINT", "BIGINT", "TEXT", "TEXT", "TEXT", "TEXT", "TEXT", "TEXT", "TEXT",
                                 "TEXT", "TEXT"},
                                "INSERT INTO audit_log (" ZB_AUDIT_COLUMNS ") VALUES "));
  return conn.Exec("UPDATE audit_head SET last_hash = $1 WHERE id = 1", {last_hash});
}

StatusOr<AuditPage> ListAudit(db::Connection& conn, const AuditFilter& filter) {
  db::Params params;
  std::string where = " WHERE 1=1";
  if (filter.user_id) AndWhere(where, params, "user_id = ?", *filter.user_id);
  if (filter.login) AndWhere(where, params, "login = ?", *filter.login);
  if (filter.entity_type) AndWhere(where, params, "entity_type = ?", *filter.entity_type);
  if (filter.entity_id) AndWhere(where, params, "entity_id = ?", *filter.entity_id);
  if (filter.action) AndWhere(where, params, "action = ?", *filter.action);
  if (filter.from_ms) AndWhere(where, params, "at >= ?", *filter.from_ms);
  if (filter.to_ms) AndWhere(where, params, "at < ?", *filter.to_ms);
  AuditPage page;
  ZB_ASSIGN_OR_RETURN(auto count, conn.QueryOne("SELECT COUNT(*) AS n FROM audit_log" + where, params));
  page.total = count ? count->Int("n") : 0;
  const std::string limit = LimitOffset(filter.page, filter.page_size, &params);
  ZB_ASSIGN_OR_RETURN(db::Result r,
                      conn.Query("SELECT " ZB_AUDIT_COLUMNS " FROM audit_log" + where + " ORDER BY seq DESC" + limit,
                                 params));
  page.items.reserve(r.rows.size());
  for (const db::Row& row : r.rows) page.items.push_back(FromRow(row));
  return page;
}

StatusOr<std::vector<AuditRow>> ScanAudit(db::Connection& conn, int64_t after_seq, int64_t limit) {
  std::vector<AuditRow> out;
  if (limit <= 0) return out;
  ZB_ASSIGN_OR_RETURN(db::Result r, conn.Query("SELECT " ZB_AUDIT_COLUMNS " FROM audit_log WHERE seq > $1 "
                                               "ORDER BY seq LIMIT $2",
                                               {after_seq, limit}));
  out.reserve(r.rows.size());
  for (const db::Row& row : r.rows) out.push_back(FromRow(row));
  return out;
}

StatusOr<AuditHead> ReadAuditHead(db::Connection& conn) {
  ZB_ASSIGN_OR_RETURN(auto row, conn.QueryOne("SELECT seq, last_hash FROM audit_head WHERE id = 1"));
  if (!row) return Internal("审计链头不存在 (audit_head row missing)");
  return AuditHead{row->Int("seq"), row->Text("last_hash")};
}

#undef ZB_AUDIT_COLUMNS

}  // namespace zb::storage
