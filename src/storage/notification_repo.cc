#include "storage/notification_repo.h"

#include <string>

#include "storage/scope_sql.h"

namespace zb::storage {

namespace {

#define ZB_NOTIFICATION_COLUMNS "id, user_id, kind, title, body, entity_type, entity_id, created_at, read_at"

Notification FromRow(const db::Row& r) {
  Notification n;
  n.id = r.Int("id");
  n.user_id = r.Int("user_id");
  n.kind = r.Text("kind");
  n.title = r.Text("title");
  n.body = r.Text("body");
  n.entity_type = r.Text("entity_type");
  n.entity_id = r.Int("entity_id");  // NULL reads as 0, as the struct says "none"
  n.created_at = r.Int("created_at");
  n.read_at = r.OptInt("read_at");
  return n;
}

// One row per active user the `recipients` condition (over users u, its
// placeholders already in *params) selects, the actor excepted. Set-based:
// a user matched twice is still one row of users, so one notice.
StatusOr<int64_t> InsertFor(db::Connection& conn, const std::string& recipients, db::Params params,
                            const NotificationInput& n, int64_t now, std::optional<int64_t> exclude_user) {
  std::string sql = "INSERT INTO notifications (user_id, kind, title, body, entity_type, entity_id, created_at) "
                    "SELECT u.id, ";
  // The casts tell PostgreSQL the types of parameters that appear only in a
  // select list (it would take them for text).
  sql += "CAST($" + std::to_string(params.size() + 1) + " AS TEXT), ";
  sql += "CAST($" + std::to_string(params.size() + 2) + " AS TEXT), ";
  sql += "CAST($" + std::to_string(params.size() + 3) + " AS TEXT), ";
  sql += "CAST($" + std::to_string(params.size() + 4) + " AS TEXT), ";
  sql += "CAST($" + std::to_string(params.size() + 5) + " AS BIGINT), ";
  sql += "CAST($" + std::to_string(params.size() + 6) + " AS BIGINT) ";
  params.insert(params.end(), {n.kind, n.title, n.body, n.entity_type,
                               n.entity_id > 0 ? db::Value(n.entity_id) : db::Null(), now});
  sql += "FROM users u WHERE u.active = 1 AND (" + recipients + ")";
  if (exclude_user) AndWhere(sql, params, "u.id <> ?", *exclude_user);
  ZB_ASSIGN_OR_RETURN(db::Result r, conn.Query(sql, params));
  return r.affected;
}

}  // namespace

StatusOr<int64_t> NotifyUnits(db::Connection& conn, const std::vector<int64_t>& unit_ids,
                              const NotificationInput& n, int64_t now, std::optional<int64_t> exclude_user) {
  if (unit_ids.empty()) return int64_t{0};
  db::Params params;
  std::string in = InList(unit_ids, &params);
  return InsertFor(conn, "u.org_unit_id IN (" + in + ")", std::move(params), n, now, exclude_user);
}

StatusOr<int64_t> NotifyEnterprise(db::Connection& conn, int64_t enterprise_id, const NotificationInput& n,
                                   int64_t now, std::optional<int64_t> exclude_user) {
  return InsertFor(conn, "u.enterprise_id = $1", {enterprise_id}, n, now, exclude_user);
}

StatusOr<int64_t> NotifyUsers(db::Connection& conn, const std::vector<int64_t>& user_ids,
                              const NotificationInput& n, int64_t now, std::optional<int64_t> exclude_user) {
  if (user_ids.empty()) return int64_t{0};
  db::Params params;
  std::string in = InList(user_ids, &params);
  return InsertFor(conn, "u.id IN (" + in + ")", std::move(params), n, now, exclude_user);
}

StatusOr<NotificationPage> ListNotifications(db::Connection& conn, int64_t user_id, bool unread_only,
                                             int64_t offset, int64_t limit) {
  const char* where = unread_only ? " WHERE user_id = $1 AND read_at IS NULL" : " WHERE user_id = $1";
  NotificationPage page;
  ZB_ASSIGN_OR_RETURN(db::Result rows,
                      conn.Query(std::string("SELECT " ZB_NOTIFICATION_COLUMNS " FROM notifications") + where +
                                     " ORDER BY created_at DESC, id DESC LIMIT $2 OFFSET $3",
                                 {user_id, limit, offset}));
  page.items.reserve(rows.rows.size());
  for (const db::Row& row : rows.rows) page.items.push_back(FromRow(row));
  ZB_ASSIGN_OR_RETURN(auto total, conn.QueryOne(std::string("SELECT COUNT(*) FROM notifications") + where, {user_id}));
  page.total = total ? total->Int(0) : 0;
  ZB_ASSIGN_OR_RETURN(page.unread, CountUnread(conn, user_id));
  return page;
}

StatusOr<int64_t> CountUnread(db::Connection& conn, int64_t user_id) {
  ZB_ASSIGN_OR_RETURN(auto row, conn.QueryOne("SELECT COUNT(*) FROM notifications WHERE user_id = $1 AND "
                                              "read_at IS NULL",
                                              {user_id}));
  return row ? row->Int(0) : 0;
}

Status MarkRead(db::Connection& conn, int64_t user_id, int64_t id, int64_t now) {
  // COALESCE keeps the first reading's time: marking again changes nothing.
  ZB_ASSIGN_OR_RETURN(db::Result r, conn.Query("UPDATE notifications SET read_at = COALESCE(read_at, $3) "
                                               "WHERE id = $1 AND user_id = $2",
                                               {id, user_id, now}));
  if (r.affected == 0) return NotFound("消息不存在 (notification not found)", "id");
  return Status();
}

StatusOr<int64_t> MarkAllRead(db::Connection& conn, int64_t user_id, int64_t now) {
  ZB_ASSIGN_OR_RETURN(db::Result r, conn.Query("UPDATE notifications SET read_at = $2 WHERE user_id = $1 AND "
                                               "read_at IS NULL",
                                               {user_id, now}));
  return r.affected;
}

#undef ZB_NOTIFICATION_COLUMNS

}  // namespace zb::storage
