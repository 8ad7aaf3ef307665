#include "storage/gantt_repo.h"

#include <algorithm>
#include <unordered_map>

#include "domain/schedule.h"
#include "storage/scope_sql.h"

namespace zb::storage {
namespace {

// Dates are "YYYY-MM-DD", so text order is date order; "" is NULL.
void Lower(std::optional<std::string>& at, std::string_view v) {
  if (!v.empty() && (!at || v < *at)) at = std::string(v);
}
void Raise(std::optional<std::string>& at, std::string_view v) {
  if (!v.empty() && (!at || v > *at)) at = std::string(v);
}

// A stored forecast (domain::DayInvariantDate: the later of a fixed date
// and a working-day offset from t0) as the day's date, "YYYY-MM-DD"; ""
// when neither part is stored (no schedule). The offsets' dates are
// memoised: a few dozen distinct offsets cover a chunk.
class ForecastDates {
 public:
  ForecastDates(Date today, const WorkCalendar& cal)
      : cal_(cal), t0_(domain::StartSlot(today, cal)) {}

  std::string_view At(std::string_view fixed, std::optional<int64_t> offset) {
    if (!offset) return fixed;
    auto [it, added] = moving_.try_emplace(*offset);
    if (added) it->second = cal_.FromOrdinal(t0_ + *offset).ToString();
    return fixed > it->second ? fixed : std::string_view(it->second);
  }

 private:
  const WorkCalendar& cal_;
  int64_t t0_;
  std::unordered_map<int64_t, std::string> moving_;
};

std::optional<std::string> OptText(std::string_view v) {
  return v.empty() ? std::nullopt : std::optional<std::string>(v);
}

// Both reads stream their rows (db::RowView by column index): 10 000
// projects have ~120 000 plan nodes, and a db::Row per node was most of the
// cost of building the answer.
Status LoadChunk(db::Connection& conn, const std::vector<int64_t>& ids, ForecastDates& dates,
                 std::vector<GanttRow>& out) {
  db::Params params;
  const std::string in = InList(ids, &params);
  std::unordered_map<int64_t, GanttRow> rows;
  rows.reserve(ids.size());
  ZB_RETURN_IF_ERROR(conn.Stream("SELECT p.id, p.code, p.name, o.name, p.level, p.stage, COALESCE(w.colour, '') "
                                 "FROM projects p JOIN org_units o ON o.id = p.org_unit_id "
                                 "LEFT JOIN project_warnings w ON w.project_id = p.id WHERE p.id IN (" + in + ")",
                                 params, [&](const db::RowView& r) {
                                   GanttRow g;
                                   g.id = r.Int(0);
                                   g.code = r.Text(1);
                                   g.name = r.Text(2);
                                   g.unit_name = r.Text(3);
                                   g.level = r.Text(4);
                                   g.stage = r.Text(5);
                                   g.colour = r.Text(6);
                                   rows.emplace(g.id, std::move(g));
                                   return Status();
                                 }));
  // project_id, name, event, duration, latest_start (4), latest_finish,
  // forecast_start_fixed (6), forecast_start_offset, forecast_finish_fixed
  // (8), forecast_finish_offset, actual_finish (10), colour
  ZB_RETURN_IF_ERROR(conn.Stream(
      "SELECT project_id, name, event, duration, latest_start, latest_finish, forecast_start_fixed, "
      "forecast_start_offset, forecast_finish_fixed, forecast_finish_offset, actual_finish, colour "
      "FROM plan_nodes WHERE project_id IN (" + in + ") ORDER BY project_id, sort, id",
      params, [&](const db::RowView& r) {
        auto it = rows.find(r.Int(0));
        if (it == rows.end()) return Status();
        GanttRow& g = it->second;
        const std::string_view latest_start = r.Text(4), latest_finish = r.Text(5);
        const std::string_view forecast_start = dates.At(r.Text(6), r.OptInt(7));
        const std::string_view forecast_finish = dates.At(r.Text(8), r.OptInt(9));
        Lower(g.plan_start, latest_start.empty() ? forecast_start : latest_start);
        Raise(g.plan_finish, latest_finish.empty() ? forecast_finish : latest_finish);
        Raise(g.forecast_finish, forecast_finish);
        const std::string_view event = r.Text(2);
        if (r.Int(3) == 0 || !event.empty()) {
          g.nodes.push_back({std::string(r.Text(1)), std::string(event), r.OptText(5), OptText(forecast_finish),
                             r.OptText(10), std::string(r.Text(11))});
        }
        return Status();
      }));
  for (int64_t id : ids) {
    if (auto it = rows.find(id); it != rows.end()) out.push_back(std::move(it->second));
  }
  return Status();
}

}  // namespace

StatusOr<std::vector<GanttRow>> LoadGanttRows(db::Connection& conn, const std::vector<int64_t>& ids, Date today,
                                              const WorkCalendar& cal) {
  constexpr size_t kChunk = 1000;  // binds well below both engines' parameter limits
  ForecastDates dates(today, cal);
  std::vector<GanttRow> out;
  out.reserve(ids.size());
  for (size_t i = 0; i < ids.size(); i += kChunk) {
    std::vector<int64_t> chunk(ids.begin() + static_cast<long>(i),
                               ids.begin() + static_cast<long>(std::min(ids.size(), i + kChunk)));
    ZB_RETURN_IF_ERROR(LoadChunk(conn, chunk, dates, out));
  }
  return out;
}

StatusOr<GanttVersion> ReadGanttVersion(db::Connection& conn) {
  ZB_ASSIGN_OR_RETURN(auto row, conn.QueryOne("SELECT l.epoch, l.version, g.epoch, g.version, c.version, s.version "
                                              "FROM project_list_version l, gantt_data_version g, "
                                              "calendar_meta c, warning_settings s"));
  if (!row) return Internal("project_list_version, gantt_data_version, calendar_meta or warning_settings has no row");
  return GanttVersion{.data = {row->Text(0) + row->Text(2), row->Int(1) + row->Int(3)},
                      .calendar = row->Int(4),
                      .thresholds = row->Int(5)};
}

}  // namespace zb::storage
