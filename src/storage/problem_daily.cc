#include "storage/problem_daily.h"

#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include "domain/problem.h"
#include "storage/calendar_repo.h"
#include "storage/problem_repo.h"

namespace zb::storage {

namespace {

// Notices to every active user of the units `unit_join` names (a condition
// on u and p) about each item `where` selects (a condition on p over $1…),
// one per user and item — the set-based form of NotifyUnits, for thousands
// of items in one statement. `title_sql` is an SQL text expression over p.
// The items are chosen by id in a subquery of `where` alone, so SQLite reads
// them from the covering (status, deadline, overdue_notified_on) index
// rather than from another index on (status, deadline) and the rows (0.7 s
// for a day with nothing to tell at 500 000 items).
StatusOr<int64_t> NotifyItems(db::Connection& conn, const char* kind, const std::string& title_sql,
                              const std::string& unit_join, const std::string& where, db::Params params,
                              int64_t now) {
  params.push_back(now);
  std::string now_param = "$" + std::to_string(params.size());
  ZB_ASSIGN_OR_RETURN(
      db::Result r,
      conn.Query("INSERT INTO notifications (user_id, kind, title, body, entity_type, entity_id, created_at) "
                 "SELECT DISTINCT u.id, '" + std::string(kind) + "', " + title_sql + ", '', 'problem', p.id, "
                 "CAST(" + now_param + " AS BIGINT) "
                 "FROM problems p JOIN users u ON u.active = 1 AND (" + unit_join + ") "
                 "WHERE p.id IN (SELECT p.id FROM problems p WHERE " + where + ")",
                 params));
  return r.affected;
}

}  // namespace

StatusOr<ProblemDailyReport> RunProblemDaily(db::Connection& conn, const WorkCalendar& cal, Date today,
                                             int64_t now) {
  ProblemDailyReport report;
  const std::string open = OpenStatusSql("p.status");
  const std::string day = today.ToString();

  // Due soon: the deadline is the next working day (or a day before it, a
  // weekend's), not yet told for this deadline.
  {
    const std::string where = open + " AND p.deadline > $1 AND p.deadline <= $2 AND "
                                     "(p.due_soon_notified_on IS NULL OR p.due_soon_notified_on <> p.deadline)";
    db::Params params = {day, cal.AddWorkingDays(today, 1).ToString()};
    ZB_ASSIGN_OR_RETURN(int64_t n, NotifyItems(conn, "problem.due_soon",
                                               "'问题「' || p.title || '」将于 ' || p.deadline || ' 到期,请抓紧办理'",
                                               "u.org_unit_id = p.lead_unit_id", where, params, now));
    report.notices += n;
    ZB_ASSIGN_OR_RETURN(db::Result r, conn.Query("UPDATE problems SET due_soon_notified_on = deadline WHERE id IN "
                                                 "(SELECT p.id FROM problems p WHERE " + where + ")",
                                                 params));
    report.due_soon = r.affected;
  }

  // Overdue: past the deadline and not yet told for it (an index-only range
  // of (status, deadline, overdue_notified_on)). Told, the item's automatic
  // escalation is looked at below, today.
  {
    const std::string where = open + " AND p.deadline < $1 AND "
                                     "(p.overdue_notified_on IS NULL OR p.overdue_notified_on <> p.deadline)";
    db::Params params = {day};
    ZB_ASSIGN_OR_RETURN(int64_t n, NotifyItems(conn, "problem.overdue",
                                               "'问题「' || p.title || '」已逾期(办理期限 ' || p.deadline || ')'",
                                               "u.org_unit_id = p.lead_unit_id OR u.org_unit_id = p.coord_unit_id",
                                               where, params, now));
    report.notices += n;
    ZB_ASSIGN_OR_RETURN(db::Result r, conn.Query("UPDATE problems SET overdue_notified_on = deadline, "
                                                 "next_escalation_on = $1 WHERE id IN "
                                                 "(SELECT p.id FROM problems p WHERE " + where + ")",
                                                 params));
    report.overdue = r.affected;
  }

  // A new overdue spell (an extension moved the deadline, the item was
  // resolved) counts its automatic escalations afresh: the items with a
  // count that are not open and overdue (a partial index holds the former).
  ZB_RETURN_IF_ERROR(conn.Exec("UPDATE problems AS p SET auto_escalated_count = 0 WHERE p.auto_escalated_count > 0 "
                               "AND NOT (" + open + " AND p.deadline IS NOT NULL AND p.deadline < $1)",
                               {day}));

  ZB_ASSIGN_OR_RETURN(auto settings, conn.QueryOne("SELECT auto_escalate_days FROM problem_settings WHERE id = 1"));
  const int64_t every = settings ? settings->Int(0) : 0;
  if (every <= 0) return report;
  // The stored dates hold for one step size, one calendar and one unit tree
  // (an item at the top of its tree keeps none): with another, every item
  // told overdue is looked at again today.
  ZB_ASSIGN_OR_RETURN(int64_t calendar_version, CalendarVersion(conn));
  ZB_ASSIGN_OR_RETURN(auto tree, conn.QueryOne("SELECT COUNT(*) AS n, COALESCE(SUM(version), 0) AS v FROM org_units"));
  const std::string basis = std::to_string(every) + "/" + std::to_string(calendar_version) + "/" +
                            std::to_string(tree->Int("n")) + "/" + std::to_string(tree->Int("v"));
  ZB_ASSIGN_OR_RETURN(auto state, conn.QueryOne("SELECT escalation_basis FROM problem_daily_state WHERE id = 1"));
  if (!state || state->Text(0) != basis) {
    // Not those already at today (told today): on PostgreSQL every updated
    // row is a new version written into each of the table's indexes, and a
    // row updated twice in a transaction has its foreign keys checked again.
    ZB_RETURN_IF_ERROR(conn.Exec("UPDATE problems AS p SET next_escalation_on = $1 WHERE " + open +
                                     " AND p.deadline < $1 AND p.overdue_notified_on = p.deadline AND "
                                     "(p.next_escalation_on IS NULL OR p.next_escalation_on <> $1)",
                                 {day}));
    ZB_RETURN_IF_ERROR(conn.Exec("UPDATE problem_daily_state SET escalation_basis = $1 WHERE id = 1", {basis}));
  }
  // Candidates: the items whose next step falls due today or earlier (a
  // missed day catches up). One still open, overdue and told for its
  // deadline is escalated when overdue by k·N working days with k above its
  // count, and gets the day of step k + 1; any other (resolved, deadline
  // moved) drops its date, and so does one with no higher level, its count
  // brought up to date (the step counts as taken). Decided here, item by
  // item (the calendar's arithmetic); written for all at once below.
  ZB_ASSIGN_OR_RETURN(db::Result candidates,
                      conn.Query("SELECT p.id, p.status, p.deadline, p.overdue_notified_on, p.coord_unit_id, "
                                 "p.auto_escalated_count FROM problems p WHERE p.next_escalation_on <= $1 "
                                 "ORDER BY p.id",
                                 {day}));
  std::map<int64_t, bool> has_higher;  // coordinating unit → a higher level exists
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
    const int64_t coord = row.Int("coord_unit_id");
    if (!has_higher.contains(coord)) {
      ZB_ASSIGN_OR_RETURN(auto chain, UnitChain(conn, coord));
      has_higher[coord] = domain::EscalationTarget(chain).has_value();
    }
    if (!has_higher[coord]) {
      steps.push_back({id, std::max(count, due), db::Null()});
      continue;
    }
    if (due > count) {
      escalations.push_back({id, "逾期 " + std::to_string(overdue_days) + " 个工作日,自动提级"});
      count = due;
    }
    // Step count + 1 falls due on the (count + 1)·N-th working day after the deadline.
    steps.push_back({id, count, cal.AddWorkingDays(*deadline, (count + 1) * every).ToString()});
  }
  ZB_ASSIGN_OR_RETURN(report.escalated, EscalateAsSystem(conn, escalations, today, now));
  constexpr size_t kChunk = 500;
  for (size_t from = 0; from < steps.size(); from += kChunk) {
    const std::vector<db::Params> chunk(steps.begin() + static_cast<std::ptrdiff_t>(from),
                                        steps.begin() + static_cast<std::ptrdiff_t>(std::min(steps.size(), from + kChunk)));
    db::Params params;
    ZB_RETURN_IF_ERROR(conn.Exec("UPDATE problems SET auto_escalated_count = v.column2, next_escalation_on = "
                                 "v.column3 FROM (VALUES " + ValuesList(chunk, {"BIGINT", "BIGINT", "TEXT"}, &params) +
                                     ") AS v WHERE problems.id = v.column1",
                                 params));
  }
  return report;
}

}  // namespace zb::storage
