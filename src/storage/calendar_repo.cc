#include "storage/calendar_repo.h"

#include <map>
#include <mutex>
#include <string>
#include <utility>

namespace zb::storage {

namespace {

using Kind = WorkCalendar::DayKind;

#define ZB_CALENDAR_COLUMNS "day, kind, name, updated_at, updated_by"

StatusOr<CalendarDay> FromRow(const db::Row& r) {
  ZB_ASSIGN_OR_RETURN(Date date, Date::Parse(r.Text("day"), "day"));
  auto kind = ParseDayKindCode(r.Text("kind"));
  if (!kind) return Internal("calendar_days.kind 取值未知 (unknown kind): " + r.Text("kind"));
  return CalendarDay{.date = date,
                     .kind = *kind,
                     .name = r.Text("name"),
                     .updated_at = r.Int("updated_at"),
                     .updated_by = r.OptInt("updated_by")};
}

Status BumpVersion(db::Connection& conn) {
  return conn.Exec("UPDATE calendar_meta SET version = version + 1 WHERE id = 1");
}

db::Value UserOrNull(int64_t user_id) { return user_id > 0 ? db::Value(user_id) : db::Null(); }

// Every override, by date (the table holds a few hundred rows per decade).
StatusOr<std::map<Date, CalendarDay>> AllDays(db::Connection& conn) {
  ZB_ASSIGN_OR_RETURN(db::Result r, conn.Query("SELECT " ZB_CALENDAR_COLUMNS " FROM calendar_days"));
  std::map<Date, CalendarDay> out;
  for (const db::Row& row : r.rows) {
    ZB_ASSIGN_OR_RETURN(CalendarDay d, FromRow(row));
    out.emplace(d.date, std::move(d));
  }
  return out;
}

// Counts what `days` would do against `existing`; `changed` (if given)
// receives the days to write.
CalendarImportCounts Compare(const std::map<Date, CalendarDay>& existing, const std::vector<CalendarDay>& days,
                             std::vector<const CalendarDay*>* changed) {
  CalendarImportCounts counts;
  for (const CalendarDay& d : days) {
    auto it = existing.find(d.date);
    if (it == existing.end()) {
      ++counts.created;
    } else if (it->second.kind != d.kind || it->second.name != d.name) {
      ++counts.updated;
    } else {
      ++counts.unchanged;
      continue;
    }
    if (changed) changed->push_back(&d);
  }
  return counts;
}

Status Upsert(db::Connection& conn, const CalendarDay& day, int64_t now_ms, int64_t user_id) {
  return conn.Exec(
      "INSERT INTO calendar_days (day, kind, name, updated_at, updated_by) VALUES ($1, $2, $3, $4, $5) "
      "ON CONFLICT (day) DO UPDATE SET kind = excluded.kind, name = excluded.name, "
      "updated_at = excluded.updated_at, updated_by = excluded.updated_by",
      {day.date.ToString(), std::string(DayKindCode(day.kind)), day.name, now_ms, UserOrNull(user_id)});
}

// The process-wide cache of CurrentCalendar: a few databases at most (one in
// production, a handful alive at once in a test process), most recent first.
struct CachedCalendar {
  std::string epoch;
  int64_t version = 0;
  std::shared_ptr<const WorkCalendar> calendar;
};
constexpr size_t kCachedDatabases = 4;
std::mutex cache_mu;
std::vector<CachedCalendar>& Cache() {
  static auto* cache = new std::vector<CachedCalendar>();
  return *cache;
}

}  // namespace

std::string_view DayKindCode(Kind kind) { return kind == Kind::kHoliday ? "holiday" : "workday"; }

std::optional<Kind> ParseDayKindCode(std::string_view code) {
  if (code == "holiday") return Kind::kHoliday;
  if (code == "workday") return Kind::kWorkday;
  return std::nullopt;
}

StatusOr<std::vector<CalendarDay>> ListCalendarDays(db::Connection& conn, Date from, Date to) {
  ZB_ASSIGN_OR_RETURN(db::Result r, conn.Query("SELECT " ZB_CALENDAR_COLUMNS " FROM calendar_days "
                                               "WHERE day >= $1 AND day <= $2 ORDER BY day",
                                               {from.ToString(), to.ToString()}));
  std::vector<CalendarDay> out;
  out.reserve(r.rows.size());
  for (const db::Row& row : r.rows) {
    ZB_ASSIGN_OR_RETURN(CalendarDay d, FromRow(row));
    out.push_back(std::move(d));
  }
  return out;
}

StatusOr<std::optional<CalendarDay>> GetCalendarDay(db::Connection& conn, Date date) {
  ZB_ASSIGN_OR_RETURN(auto row, conn.QueryOne("SELECT " ZB_CALENDAR_COLUMNS " FROM calendar_days WHERE day = $1",
                                              {date.ToString()}));
  if (!row) return std::optional<CalendarDay>();
  ZB_ASSIGN_OR_RETURN(CalendarDay d, FromRow(*row));
  return std::optional<CalendarDay>(std::move(d));
}

StatusOr<CalendarDay> SetCalendarDay(db::Connection& conn, const CalendarDay& day, int64_t now_ms,
                                     int64_t user_id) {
  ZB_ASSIGN_OR_RETURN(auto before, GetCalendarDay(conn, day.date));
  if (!before || before->kind != day.kind || before->name != day.name) {
    ZB_RETURN_IF_ERROR(Upsert(conn, day, now_ms, user_id));
    ZB_RETURN_IF_ERROR(BumpVersion(conn));
  }
  ZB_ASSIGN_OR_RETURN(auto after, GetCalendarDay(conn, day.date));
  if (!after) return Internal("写入后读不到工作日历的这一天 (day vanished after write)");
  return *after;
}

StatusOr<bool> ClearCalendarDay(db::Connection& conn, Date date) {
  ZB_ASSIGN_OR_RETURN(db::Result r, conn.Query("DELETE FROM calendar_days WHERE day = $1", {date.ToString()}));
  if (r.affected == 0) return false;
  ZB_RETURN_IF_ERROR(BumpVersion(conn));
  return true;
}

StatusOr<CalendarImportCounts> CountCalendarImport(db::Connection& conn, const std::vector<CalendarDay>& days) {
  ZB_ASSIGN_OR_RETURN(auto existing, AllDays(conn));
  return Compare(existing, days, nullptr);
}

StatusOr<CalendarImportCounts> ImportCalendarDays(db::Connection& conn, const std::vector<CalendarDay>& days,
                                                  int64_t now_ms, int64_t user_id) {
  ZB_ASSIGN_OR_RETURN(auto existing, AllDays(conn));
  std::vector<const CalendarDay*> changed;
  CalendarImportCounts counts = Compare(existing, days, &changed);
  for (const CalendarDay* d : changed) ZB_RETURN_IF_ERROR(Upsert(conn, *d, now_ms, user_id));
  if (!changed.empty()) ZB_RETURN_IF_ERROR(BumpVersion(conn));
  return counts;
}

StatusOr<int64_t> CalendarVersion(db::Connection& conn) {
  ZB_ASSIGN_OR_RETURN(auto row, conn.QueryOne("SELECT version FROM calendar_meta WHERE id = 1"));
  if (!row) return Internal("calendar_meta 缺少版本行 (calendar_meta has no row)");
  return row->Int(0);
}

StatusOr<std::shared_ptr<const WorkCalendar>> CurrentCalendar(db::Connection& conn) {
  // The version first, then the days: a change committed in between gives
  // newer days under the older version, which the next call replaces. The
  // other order could cache older days under the newer version for good.
  ZB_ASSIGN_OR_RETURN(auto meta, conn.QueryOne("SELECT epoch, version FROM calendar_meta WHERE id = 1"));
  if (!meta) return Internal("calendar_meta 缺少版本行 (calendar_meta has no row)");
  std::string epoch = meta->Text(0);
  const int64_t version = meta->Int(1);
  {
    std::lock_guard lock(cache_mu);
    for (const CachedCalendar& c : Cache()) {
      if (c.epoch == epoch && c.version == version) return c.calendar;
    }
  }
  // Built outside the lock: two threads may both build; both results are right.
  ZB_ASSIGN_OR_RETURN(auto days, AllDays(conn));
  std::map<Date, Kind> overrides;
  for (const auto& [date, d] : days) overrides.emplace(date, d.kind);
  auto calendar = std::make_shared<const WorkCalendar>(std::move(overrides));

  std::lock_guard lock(cache_mu);
  auto& cache = Cache();
  std::erase_if(cache, [&](const CachedCalendar& c) { return c.epoch == epoch; });
  cache.insert(cache.begin(), CachedCalendar{std::move(epoch), version, calendar});
  if (cache.size() > kCachedDatabases) cache.pop_back();
  return calendar;
}

}  // namespace zb::storage
