#include "storage/problem_stats_repo.h"

#include <map>

#include "domain/problem.h"

namespace zb::storage {

namespace {

const char* KeySql(ProblemStatsGroup g) {
  switch (g) {
    case ProblemStatsGroup::kUnit: return "p.lead_unit_id";
    case ProblemStatsGroup::kCategory: return "p.category";
    case ProblemStatsGroup::kLevel: return "p.level";
    case ProblemStatsGroup::kMonth: return "SUBSTR(p.raised_on, 1, 7)";
  }
  return "''";
}

// "p.status IN ('pending',…)" for the open statuses (domain::IsOpen).
std::string OpenSql() {
  std::string out;
  for (const auto& s : domain::ProblemStatuses()) {
    if (!domain::IsOpen(s.value)) continue;
    out += (out.empty() ? "'" : ",'") + std::string(s.code) + "'";
  }
  return "p.status IN (" + out + ")";
}

std::string Count(const std::string& condition) { return "SUM(CASE WHEN " + condition + " THEN 1 ELSE 0 END)"; }

}  // namespace

StatusOr<std::vector<ProblemStatsRow>> ProblemStatsByGroup(db::Connection& conn, ProblemStatsGroup group,
                                                           const std::string& from_where, const db::Params& params,
                                                           Date today) {
  const std::string key = KeySql(group);
  const std::string open = OpenSql();
  const std::string done = "NOT " + open;
  db::Params p = params;
  p.push_back(today.ToString());
  const std::string today_param = "$" + std::to_string(p.size());
  // The rules of domain::ProblemTally::Add, column by column, in ONE pass
  // grouped by key and the resolved items' working days (d, NULL for the
  // rest): the counts add up over a key's rows, and a row with d counts d's
  // items for the histogram. Migration 0010's problems_stats_idx holds
  // every column read here, so the pass reads that index, not the table.
  const std::string sql =
      "SELECT " + key + " AS k, CASE WHEN " + done + " THEN p.resolve_days END AS d, COUNT(*) AS raised, " +
      Count(open) + " AS open_n, " + Count(open + " AND p.deadline < " + today_param) + " AS overdue, " +
      Count(done) + " AS resolved, " + Count("p.status = 'closed'") + " AS closed, " +
      Count(done + " AND (p.on_spot = 1 OR p.resolved_on <= p.original_deadline)") + " AS on_time, " +
      Count("p.satisfaction IS NOT NULL") + " AS rated, " + Count("p.satisfaction = 'satisfied'") +
      " AS satisfied, " + Count("p.satisfaction = 'basic'") + " AS basic, " +
      Count("p.satisfaction = 'unsatisfied'") + " AS unsatisfied, " + Count("p.escalation_count > 0") +
      " AS escalated, " + Count(done + " AND p.on_spot = 1") + " AS on_spot " + from_where + " GROUP BY " +
      // SQLite would read the table in the key's index order to spare a
      // sort of ~1 000 groups; "+" makes the key an expression, so it reads
      // the covering index (2.3× faster on the whole range).
      (conn.dialect() == db::Dialect::kSqlite ? "+" : "") + key + ", CASE WHEN " + done + " THEN p.resolve_days END";
  ZB_ASSIGN_OR_RETURN(db::Result counts, conn.Query(sql, p));
  std::map<std::string, domain::ProblemTally> by_key;
  for (const db::Row& r : counts.rows) {
    domain::ProblemTally& t = by_key[r.IsNull("k") ? std::string() : r.Text("k")];
    t.raised += r.Int("raised");
    t.open += r.Int("open_n");
    t.overdue += r.Int("overdue");
    t.resolved += r.Int("resolved");
    t.closed += r.Int("closed");
    t.on_time += r.Int("on_time");
    t.rated += r.Int("rated");
    t.satisfied += r.Int("satisfied");
    t.basic += r.Int("basic");
    t.unsatisfied += r.Int("unsatisfied");
    t.escalated += r.Int("escalated");
    t.on_spot += r.Int("on_spot");
    if (!r.IsNull("d")) t.resolve_days[r.Int("d")] += r.Int("raised");
  }
  std::vector<ProblemStatsRow> out;
  out.reserve(by_key.size());
  for (auto& [k, t] : by_key) out.push_back({k, std::move(t)});
  return out;
}

}  // namespace zb::storage
