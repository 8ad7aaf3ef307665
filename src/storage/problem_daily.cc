#include "storage/problem_daily.h"

#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include "domain/problem.h"
#include "storage/calendar_repo.h"
#include "storage/problem_repo.h"
#include "storage/scope_sql.h"

namespace zb::storage {

namespace {

// Calls fn(piece) for each piece of `all` of at most 500 (rows per statement
// of the set-based writes) and adds up the rows it says it wrote.
template <typename T, typename Fn>
StatusOr<int64_t> ForChunks(const std::vector<T>& all, const Fn& fn) {
  constexpr size_t kChunk = 500;
  int64_t written = 0;
  for (size_t from = 0; from < all.size(); from += kChunk) {
    const std::vector<T> piece(all.begin() + static_cast<std::ptrdiff_t>(from),
                               all.begin() + static_cast<std::ptrdiff_t>(std::min(all.size(), from + kChunk)));
    ZB_ASSIGN_OR_RETURN(int64_t n, fn(piece));
    written += n;
  }
  return written;
}

// Runs one write and returns the rows it changed.
StatusOr<int64_t> Write(db::Connection& conn, const std::string& sql, const db::Params& params) {
  ZB_ASSIGN_OR_RETURN(db::Result r, conn.Query(sql, params));
  return r.affected;
}

// Notices to every active user of the units `unit_join` names (a condition
// on u and p) about each item of `ids`, one per user and item — the
// set-based form of NotifyUnits. `title_sql` is an SQL text expression over p.
StatusOr<int64_t> NotifyItems(db::Connection& conn, const char* kind, const std::string& title_sql,
                              const std::string& unit_join, const std::vector<int64_t>& ids, int64_t now) {
  return ForChunks(ids, [&](const std::vector<int64_t>& piece) {
    db::Params params = {now};
    const std::string in = InList(piece, &params);
    return Write(conn,
                 "INSERT INTO notifications (user_id, kind, title, body, entity_type, entity_id, created_at) "
                 "SELECT DISTINCT u.id, '" + std::string(kind) + "', " + title_sql + ", '', 'problem', p.id, "
                 "CAST($1 AS BIGINT) FROM problems p JOIN users u ON u.active = 1 AND (" + unit_join + ") "
                 "WHERE p.id IN (" + in + ")",
                 params);
  });
}

// Writes `rows` of (id, value, …) into problems: "SET <set>" over the
// VALUES list's columns v.column2, … of the given types.
StatusOr<int64_t> UpdateByValues(db::Connection& conn, const std::string& set, const std::vector<db::Params>& rows,
                                 const std::vector<std::string_view>& types) {
  return ForChunks(rows, [&](const std::vector<db::Params>& piece) {
    db::Params params;
    const std::string values = ValuesList(piece, types, &params);
    return Write(conn, "UPDATE problems SET " + set + " FROM (VALUES " + values + ") AS v WHERE problems.id = v.column1",
                 params);
  });
}

}  // namespace

// Set-based: the due-soon and overdue items are read by id in a statement
// of their own, then notified and marked by id. In one statement with the
// selection as a subquery, PostgreSQL (no statistics for "told ≠ deadline")
// estimated 64 876 overdue items where there were 406 and joined them by
// reading the whole table (~1 s a day at 500 000 items); given the ids it
// reads the rows by key. The overdue selection is a short range of
// migration 0015's partial index on PostgreSQL.
StatusOr<ProblemDailyReport> RunProblemDaily(db::Connection& conn, const WorkCalendar& cal, Date today,
                                             int64_t now) {
  ProblemDailyReport report;
  const std::string open = OpenStatusSql("p.status");
  const std::string day = today.ToString();

  ZB_ASSIGN_OR_RETURN(auto settings, conn.QueryOne("SELECT auto_escalate_days FROM problem_settings WHERE id = 1"));
  const int64_t every = settings ? settings->Int(0) : 0;  // N; 0 = no automatic escalation
  // Per coordinating unit: whether it has a level above, and whether that
  // level is the top (an item escalated there keeps no step date).
  struct Above {
    bool exists = false, top = false;
  };
  std::map<int64_t, Above> above;
  auto above_of = [&](int64_t unit) -> StatusOr<Above> {
    if (auto it = above.find(unit); it != above.end()) return it->second;
    ZB_ASSIGN_OR_RETURN(auto chain, UnitChain(conn, unit));
    Above a;
    if (auto target = domain::EscalationTarget(chain)) {
      ZB_ASSIGN_OR_RETURN(auto higher, UnitChain(conn, target->id));
      a = {true, !domain::EscalationTarget(higher).has_value()};
    }
    return above[unit] = a;
  };

  // Due soon: the deadline is the next working day (or a day before it, a
  // weekend's), not yet told for this deadline.
  {
    ZB_ASSIGN_OR_RETURN(
        db::Result due, conn.Query("SELECT p.id FROM problems p WHERE " + open + " AND p.deadline > $1 AND "
                                   "p.deadline <= $2 AND (p.due_soon_notified_on IS NULL OR "
                                   "p.due_soon_notified_on <> p.deadline)",
                                   {day, cal.AddWorkingDays(today, 1).ToString()}));
    std::vector<int64_t> ids;
    for (const db::Row& row : due.rows) ids.push_back(row.Int(0));
    ZB_ASSIGN_OR_RETURN(int64_t n, NotifyItems(conn, "problem.due_soon",
                                               "'问题「' || p.title || '」将于 ' || p.deadline || ' 到期,请抓紧办理'",
                                               "u.org_unit_id = p.lead_unit_id", ids, now));
    report.notices += n;
    ZB_ASSIGN_OR_RETURN(report.due_soon, ForChunks(ids, [&](const std::vector<int64_t>& piece) {
                          db::Params params;
                          const std::string in = InList(piece, &params);
                          return Write(conn, "UPDATE problems SET due_soon_notified_on = deadline WHERE id IN (" +
                                                 in + ")", params);
                        }));
  }

  // Overdue: past the deadline and not yet told for it. Told, an item gets
  // the day its automatic escalation is next looked at, in the same write:
  // today when its first step is already due (a run missed, an item told
  // late), else the day step 1 falls due — or none when it has no level
  // above (see the candidates below). Looked at today, each would be
  // written twice, which PostgreSQL makes a second new version of the row
  // in each of its ~22 indexes.
  {
    // The ids alone first: an index-only range on SQLite (the deadline and
    // the coordinating unit with them would read a row per overdue item).
    ZB_ASSIGN_OR_RETURN(db::Result told, conn.Query("SELECT p.id FROM problems p WHERE " + open +
                                                    " AND p.deadline < $1 AND (p.overdue_notified_on IS NULL OR "
                                                    "p.overdue_notified_on <> p.deadline)",
                                                    {day}));
    std::vector<int64_t> ids;
    for (const db::Row& row : told.rows) ids.push_back(row.Int(0));
    std::vector<db::Params> marks;  // (id, next_escalation_on)
    ZB_RETURN_IF_ERROR(ForChunks(ids, [&](const std::vector<int64_t>& piece) -> StatusOr<int64_t> {
      db::Params params;
      const std::string in = InList(piece, &params);
      ZB_ASSIGN_OR_RETURN(db::Result items, conn.Query("SELECT id, deadline, coord_unit_id FROM problems WHERE id IN (" +
                                                           in + ")", params));
      for (const db::Row& row : items.rows) {
        db::Value next = day;
        if (auto deadline = Date::Parse(row.Text("deadline")); every > 0 && deadline.ok()) {
          const Date step1 = cal.AddWorkingDays(*deadline, every);
          if (today < step1) {
            ZB_ASSIGN_OR_RETURN(Above a, above_of(row.Int("coord_unit_id")));
            next = a.exists ? db::Value(step1.ToString()) : db::Null();
          }
        }
        marks.push_back({row.Int("id"), next});
      }
      return int64_t{0};
    }).status());
    ZB_ASSIGN_OR_RETURN(int64_t n, NotifyItems(conn, "problem.overdue",
                                               "'问题「' || p.title || '」已逾期(办理期限 ' || p.deadline || ')'",
                                               "u.org_unit_id = p.lead_unit_id OR u.org_unit_id = p.coord_unit_id",
                                               ids, now));
    report.notices += n;
    ZB_ASSIGN_OR_RETURN(report.overdue,
                        UpdateByValues(conn, "overdue_notified_on = deadline, next_escalation_on = v.column2", marks,
                                       {"BIGINT", "TEXT"}));
  }

  // A new overdue spell (an extension moved the deadline, the item was
  // resolved) counts its automatic escalations afresh: the items with a
  // count that are not open and overdue (a partial index holds the former).
  ZB_RETURN_IF_ERROR(conn.Exec("UPDATE problems AS p SET auto_escalated_count = 0 WHERE p.auto_escalated_count > 0 "
                               "AND NOT (" + open + " AND p.deadline IS NOT NULL AND p.deadline < $1)",
                               {day}));

  if (every <= 0) return report;
  // The stored dates hold for one step size, one calendar and one unit tree:
  // with another, every item told overdue is looked at again today.
  ZB_ASSIGN_OR_RETURN(int64_t calendar_version, CalendarVersion(conn));
  ZB_ASSIGN_OR_RETURN(auto tree, conn.QueryOne("SELECT COUNT(*) AS n, COALESCE(SUM(version), 0) AS v FROM org_units"));
  const std::string basis = std::to_string(every) + "/" + std::to_string(calendar_version) + "/" +
                            std::to_string(tree->Int("n")) + "/" + std::to_string(tree->Int("v"));
  ZB_ASSIGN_OR_RETURN(auto state, conn.QueryOne("SELECT escalation_basis FROM problem_daily_state WHERE id = 1"));
  const bool new_basis = !state || state->Text(0) != basis;
  if (new_basis) {
    ZB_RETURN_IF_ERROR(conn.Exec("UPDATE problem_daily_state SET escalation_basis = $1 WHERE id = 1", {basis}));
  }
  // Candidates: the items whose next step falls due today or earlier (a
  // missed day catches up) and, on a new basis, every item told overdue.
  // One still open, overdue and told for its deadline is escalated when
  // overdue by k·N working days with k above its count, and gets the day of
  // step k + 1; any other (resolved, deadline moved) drops its date.
  // An item with no higher level — escalated to the top today, or found
  // there — keeps no date and its count is brought up to date (the step
  // counts as taken): most overdue items end at the top, and a date for
  // each step would be a write per item every N days. Should its tree gain
  // a level (a new basis), the steps that fell due before today count as
  // taken, so it escalates at its next step, not at once.
  // Decided here, item by item (the calendar's arithmetic); written for all
  // at once below.
  ZB_ASSIGN_OR_RETURN(
      db::Result candidates,
      conn.Query("SELECT p.id, p.status, p.deadline, p.overdue_notified_on, p.coord_unit_id, p.auto_escalated_count, "
                 "p.next_escalation_on FROM problems p WHERE p.next_escalation_on <= $1" +
                     (new_basis ? " OR (" + open + " AND p.deadline < $1 AND p.overdue_notified_on = p.deadline)"
                                : std::string()) +
                     " ORDER BY p.id",
                 {day}));
  std::vector<SystemEscalation> escalations;
  std::vector<db::Params> steps;  // (id, auto_escalated_count, next_escalation_on) of every candidate
  for (const db::Row& row : candidates.rows) {
    const int64_t id = row.Int("id");
    int64_t count = row.Int("auto_escalated_count");
    auto status = domain::ParseProblemStatus(row.Text("status"));
    auto deadline = Date::Parse(row.IsNull("deadline") ? "" : row.Text("deadline"));
    const bool told = !row.IsNull("overdue_notified_on") && !row.IsNull("deadline") &&
                      row.Text("overdue_notified_on") == row.Text("deadline");
    if (!status || !deadline.ok() || !told || domain::OverdueDays(cal, *status, *deadline, today) == 0) {
      steps.push_back({id, count, db::Null()});
      continue;
    }
    const int64_t overdue_days = domain::OverdueDays(cal, *status, *deadline, today);
    const int64_t due = overdue_days / every;
    if (row.IsNull("next_escalation_on")) {  // kept no date, at the top: looked at again on a new basis
      count = std::max(count, domain::OverdueDays(cal, *status, *deadline, today.AddDays(-1)) / every);
    }
    ZB_ASSIGN_OR_RETURN(Above a, above_of(row.Int("coord_unit_id")));
    if (!a.exists) {
      steps.push_back({id, std::max(count, due), db::Null()});
      continue;
    }
    if (due > count) {
      escalations.push_back({id, "逾期 " + std::to_string(overdue_days) + " 个工作日,自动提级"});
      count = due;
      if (a.top) {
        steps.push_back({id, count, db::Null()});
        continue;
      }
    }
    // Step count + 1 falls due on the (count + 1)·N-th working day after the deadline.
    steps.push_back({id, count, cal.AddWorkingDays(*deadline, (count + 1) * every).ToString()});
  }
  ZB_ASSIGN_OR_RETURN(report.escalated, EscalateAsSystem(conn, escalations, today, now));
  ZB_RETURN_IF_ERROR(UpdateByValues(conn, "auto_escalated_count = v.column2, next_escalation_on = v.column3", steps,
                                    {"BIGINT", "BIGINT", "TEXT"})
                         .status());
  return report;
}

}  // namespace zb::storage
