#include "storage/problem_daily.h"

#include <string>
#include <vector>

#include "domain/problem.h"
#include "storage/problem_repo.h"

namespace zb::storage {

namespace {

// "'pending','assigned',…": the open statuses, from the domain's list.
std::string OpenStatusList() {
  std::string out;
  for (const auto& s : domain::ProblemStatuses()) {
    if (!domain::IsOpen(s.value)) continue;
    if (!out.empty()) out += ",";
    out += "'" + std::string(s.code) + "'";
  }
  return out;
}

// Notices to every active user of the units `unit_join` names (a condition
// on u and p) about each item `where` selects (a condition on p over $1…),
// one per user and item — the set-based form of NotifyUnits, for thousands
// of items in one statement. `title_sql` is an SQL text expression over p.
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
                 "FROM problems p JOIN users u ON u.active = 1 AND (" + unit_join + ") WHERE " + where,
                 params));
  return r.affected;
}

}  // namespace

StatusOr<ProblemDailyReport> RunProblemDaily(db::Connection& conn, const WorkCalendar& cal, Date today,
                                             int64_t now) {
  ProblemDailyReport report;
  const std::string open = "p.status IN (" + OpenStatusList() + ")";
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

  // Overdue: past the deadline and not yet told for it.
  {
    const std::string where = open + " AND p.deadline < $1 AND "
                                     "(p.overdue_notified_on IS NULL OR p.overdue_notified_on <> p.deadline)";
    db::Params params = {day};
    ZB_ASSIGN_OR_RETURN(int64_t n, NotifyItems(conn, "problem.overdue",
                                               "'问题「' || p.title || '」已逾期(办理期限 ' || p.deadline || ')'",
                                               "u.org_unit_id = p.lead_unit_id OR u.org_unit_id = p.coord_unit_id",
                                               where, params, now));
    report.notices += n;
    ZB_ASSIGN_OR_RETURN(db::Result r, conn.Query("UPDATE problems SET overdue_notified_on = deadline WHERE id IN "
                                                 "(SELECT p.id FROM problems p WHERE " + where + ")",
                                                 params));
    report.overdue = r.affected;
  }

  // A new overdue spell (an extension moved the deadline, the item was
  // resolved) counts its automatic escalations afresh.
  ZB_RETURN_IF_ERROR(conn.Exec("UPDATE problems AS p SET auto_escalated_count = 0 WHERE p.auto_escalated_count > 0 "
                               "AND NOT (" + open + " AND p.deadline IS NOT NULL AND p.deadline < $1)",
                               {day}));

  ZB_ASSIGN_OR_RETURN(auto settings, conn.QueryOne("SELECT auto_escalate_days FROM problem_settings WHERE id = 1"));
  const int64_t every = settings ? settings->Int(0) : 0;
  if (every <= 0) return report;
  // Candidates: overdue by at least `every` calendar days (working days are
  // fewer), below the city level; the exact count is the domain's.
  ZB_ASSIGN_OR_RETURN(db::Result candidates,
                      conn.Query("SELECT p.id, p.status, p.deadline, p.auto_escalated_count FROM problems p WHERE " +
                                     open + " AND p.deadline <= $1 AND p.level <> 'city' ORDER BY p.id",
                                 {today.AddDays(-every).ToString()}));
  for (const db::Row& row : candidates.rows) {
    auto status = domain::ParseProblemStatus(row.Text("status"));
    auto deadline = Date::Parse(row.Text("deadline"));
    if (!status || !deadline.ok()) continue;
    const int64_t overdue_days = domain::OverdueDays(cal, *status, *deadline, today);
    const int64_t due = overdue_days / every;
    if (due <= row.Int("auto_escalated_count")) continue;
    const int64_t id = row.Int("id");
    Status s = EscalateAsSystem(conn, id, "逾期 " + std::to_string(overdue_days) + " 个工作日,自动提级", today, now);
    if (s.ok()) {
      ++report.escalated;
    } else if (s.code() != StatusCode::kConflict && s.code() != StatusCode::kInvalidTransition) {
      return s;  // no higher level is not an error: the step counts as taken
    }
    ZB_RETURN_IF_ERROR(conn.Exec("UPDATE problems SET auto_escalated_count = $2 WHERE id = $1", {id, due}));
  }
  return report;
}

}  // namespace zb::storage
