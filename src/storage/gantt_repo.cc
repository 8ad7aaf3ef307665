#include "storage/gantt_repo.h"

#include <algorithm>
#include <unordered_map>

#include "storage/scope_sql.h"

namespace zb::storage {
namespace {

std::optional<std::string> OptText(const db::Row& r, std::string_view column) {
  if (r.IsNull(column)) return std::nullopt;
  return r.Text(column);
}

// Dates are "YYYY-MM-DD", so text order is date order.
void Lower(std::optional<std::string>& at, const std::optional<std::string>& v) {
  if (v && (!at || *v < *at)) at = v;
}
void Raise(std::optional<std::string>& at, const std::optional<std::string>& v) {
  if (v && (!at || *v > *at)) at = v;
}

Status LoadChunk(db::Connection& conn, const std::vector<int64_t>& ids, std::vector<GanttRow>& out) {
  db::Params params;
  const std::string in = InList(ids, &params);
  ZB_ASSIGN_OR_RETURN(db::Result heads,
                      conn.Query("SELECT p.id, p.code, p.name, o.name AS unit_name, p.level, p.stage, "
                                 "COALESCE(w.colour, '') AS colour FROM projects p "
                                 "JOIN org_units o ON o.id = p.org_unit_id "
                                 "LEFT JOIN project_warnings w ON w.project_id = p.id WHERE p.id IN (" + in + ")",
                                 params));
  std::unordered_map<int64_t, GanttRow> rows;
  for (const db::Row& r : heads.rows) {
    GanttRow g;
    g.id = r.Int("id");
    g.code = r.Text("code");
    g.name = r.Text("name");
    g.unit_name = r.Text("unit_name");
    g.level = r.Text("level");
    g.stage = r.Text("stage");
    g.colour = r.Text("colour");
    rows.emplace(g.id, std::move(g));
  }
  ZB_ASSIGN_OR_RETURN(db::Result nodes,
                      conn.Query("SELECT project_id, name, event, duration, latest_start, latest_finish, "
                                 "forecast_start, forecast_finish, actual_finish, colour FROM plan_nodes "
                                 "WHERE project_id IN (" + in + ") ORDER BY project_id, sort, id",
                                 params));
  for (const db::Row& r : nodes.rows) {
    auto it = rows.find(r.Int("project_id"));
    if (it == rows.end()) continue;
    GanttRow& g = it->second;
    const auto latest_start = OptText(r, "latest_start"), latest_finish = OptText(r, "latest_finish");
    const auto forecast_start = OptText(r, "forecast_start"), forecast_finish = OptText(r, "forecast_finish");
    Lower(g.plan_start, latest_start ? latest_start : forecast_start);
    Raise(g.plan_finish, latest_finish ? latest_finish : forecast_finish);
    Raise(g.forecast_finish, forecast_finish);
    const std::string event = r.Text("event");
    if (r.Int("duration") == 0 || !event.empty()) {
      g.nodes.push_back({r.Text("name"), event, latest_finish, forecast_finish, OptText(r, "actual_finish"),
                         r.Text("colour")});
    }
  }
  for (int64_t id : ids) {
    if (auto it = rows.find(id); it != rows.end()) out.push_back(std::move(it->second));
  }
  return Status();
}

}  // namespace

StatusOr<std::vector<GanttRow>> LoadGanttRows(db::Connection& conn, const std::vector<int64_t>& ids) {
  constexpr size_t kChunk = 1000;  // binds well below both engines' parameter limits
  std::vector<GanttRow> out;
  out.reserve(ids.size());
  for (size_t i = 0; i < ids.size(); i += kChunk) {
    std::vector<int64_t> chunk(ids.begin() + static_cast<long>(i),
                               ids.begin() + static_cast<long>(std::min(ids.size(), i + kChunk)));
    ZB_RETURN_IF_ERROR(LoadChunk(conn, chunk, out));
  }
  return out;
}

}  // namespace zb::storage
