// The working-day calendar in the database: table calendar_days (the
// overrides of core::WorkCalendar — 放假 on any day, 调休上班 on a weekend
// day) and calendar_meta's version (migration 0006).
//
// Contract
// - Every function takes the caller's connection; writes belong in the
//   caller's transaction (db::InTx) so the change, the version bump and the
//   audit entry commit together. Input is assumed validated.
// - Each write that changes something bumps calendar_meta.version once per
//   call (SetCalendarDay, a ClearCalendarDay that removed a row, an
//   ImportCalendarDays that created or updated a day); a write that changes
//   nothing (same kind and name) does not.
// - CurrentCalendar(conn): the WorkCalendar of the committed overrides,
//   cached for the whole process and shared (the pointer stays valid however
//   long the caller keeps it). Each call reads calendar_meta (one row); the
//   calendar is rebuilt only when that database's (epoch, version) differs
//   from the cached one — so after a change by this or another process on
//   the same database the next call sees it. Thread-safe. Several databases
//   in one process (tests) each get their own entry.
// - Dates are stored as 'YYYY-MM-DD' text; times are epoch milliseconds from
//   the caller; updated_by is NULL for the shipped seed and the command line.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/date.h"
#include "core/status.h"
#include "core/work_calendar.h"
#include "storage/db.h"

namespace zb::storage {

struct CalendarDay {
  Date date;
  WorkCalendar::DayKind kind = WorkCalendar::DayKind::kHoliday;
  std::string name;
  int64_t updated_at = 0;
  std::optional<int64_t> updated_by;
};

// "holiday" / "workday", and back (nullopt for anything else).
std::string_view DayKindCode(WorkCalendar::DayKind kind);
std::optional<WorkCalendar::DayKind> ParseDayKindCode(std::string_view code);

// The overrides in [from, to], by date.
StatusOr<std::vector<CalendarDay>> ListCalendarDays(db::Connection& conn, Date from, Date to);

StatusOr<std::optional<CalendarDay>> GetCalendarDay(db::Connection& conn, Date date);

// Creates or replaces the override of day.date (updated_at/updated_by are
// taken from now_ms and user_id; 0 = no user). Returns the stored day.
StatusOr<CalendarDay> SetCalendarDay(db::Connection& conn, const CalendarDay& day, int64_t now_ms,
                                     int64_t user_id);

// Drops the override of `date`; false when there was none.
StatusOr<bool> ClearCalendarDay(db::Connection& conn, Date date);

struct CalendarImportCounts {
  int64_t created = 0;    // days without an override before
  int64_t updated = 0;    // days whose kind or name changes
  int64_t unchanged = 0;  // days already so
};

// What importing `days` (distinct dates) would do, without writing.
StatusOr<CalendarImportCounts> CountCalendarImport(db::Connection& conn, const std::vector<CalendarDay>& days);

// Sets every day of `days` (distinct dates) that differs; days not in the
// list keep their overrides (a year's notice lists only its own days).
StatusOr<CalendarImportCounts> ImportCalendarDays(db::Connection& conn, const std::vector<CalendarDay>& days,
                                                  int64_t now_ms, int64_t user_id);

// calendar_meta.version: grows with every change.
StatusOr<int64_t> CalendarVersion(db::Connection& conn);

// See the contract.
StatusOr<std::shared_ptr<const WorkCalendar>> CurrentCalendar(db::Connection& conn);

}  // namespace zb::storage
