// 站内消息: the in-app inbox (migration 0009: notifications). See
// docs/api-problems.md § Notifications for who is told what, and when.
//
// Contract
// - Notify* insert one row per recipient in the caller's transaction, so a
//   notice exists exactly when what caused it was committed. Recipients are
//   active users: NotifyUnits → users whose org_unit_id is one of the units
//   (that unit only, not its subtree); NotifyEnterprise → users bound to the
//   enterprise (users.enterprise_id). A user reached twice (two of the units,
//   or a unit and the list) gets one row. `exclude_user` (the actor) is not
//   told about their own action. Returns how many rows were written.
// - ListNotifications: the user's own, newest first (created_at, then id);
//   `unread_only` keeps read_at IS NULL. `total` counts what the filter
//   matches, `unread` all their unread.
// - MarkRead: NotFound ("id") unless the notification is the user's; marking
//   a read one again is a no-op. MarkAllRead returns how many it changed.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "storage/db.h"

namespace zb::storage {

struct NotificationInput {
  std::string kind;         // "problem.assigned", … (docs/api-problems.md)
  std::string title;        // one line, zh-CN: "问题「…」已交办给贵单位"
  std::string body;         // may be empty
  std::string entity_type;  // "problem"
  int64_t entity_id = 0;
};

struct Notification {
  int64_t id = 0;
  int64_t user_id = 0;
  std::string kind;
  std::string title;
  std::string body;
  std::string entity_type;
  int64_t entity_id = 0;
  int64_t created_at = 0;  // epoch ms, like every time in the database (the `now` passed in)
  std::optional<int64_t> read_at;
};

StatusOr<int64_t> NotifyUnits(db::Connection& conn, const std::vector<int64_t>& unit_ids,
                              const NotificationInput& n, int64_t now, std::optional<int64_t> exclude_user = {});
StatusOr<int64_t> NotifyEnterprise(db::Connection& conn, int64_t enterprise_id, const NotificationInput& n,
                                   int64_t now, std::optional<int64_t> exclude_user = {});
StatusOr<int64_t> NotifyUsers(db::Connection& conn, const std::vector<int64_t>& user_ids,
                              const NotificationInput& n, int64_t now, std::optional<int64_t> exclude_user = {});

struct NotificationPage {
  std::vector<Notification> items;
  int64_t total = 0;
  int64_t unread = 0;
};

StatusOr<NotificationPage> ListNotifications(db::Connection& conn, int64_t user_id, bool unread_only,
                                             int64_t offset, int64_t limit);
StatusOr<int64_t> CountUnread(db::Connection& conn, int64_t user_id);
Status MarkRead(db::Connection& conn, int64_t user_id, int64_t id, int64_t now);
StatusOr<int64_t> MarkAllRead(db::Connection& conn, int64_t user_id, int64_t now);

}  // namespace zb::storage
