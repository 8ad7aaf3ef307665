#include "storage/warning_store.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <map>
#include <utility>

#include "core/text.h"
#include "domain/project.h"
#include "storage/calendar_repo.h"
#include "storage/scope_sql.h"  // ExecValues

namespace zb::storage {

namespace {

using nlohmann::json;


#define ZB_PROJECT_FACTS                                                                                   \
  "SELECT p.id, p.stage, p.suspended_from, p.stage_since, p.planned_started_on, p.actual_started_on, "        \
  "p.planned_completed_on, "                                                                               \
  "w.project_id AS has_warning, w.colour, w.reasons, w.red_nodes, w.yellow_nodes, w.max_slip, "              \
  "w.max_slip_offset, w.valid_until, w.computed_on, w.calendar_version, w.settings_version "                 \
  "FROM projects p LEFT JOIN project_warnings w ON w.project_id = p.id"

// A project_warnings row as read, its reasons as the stored text (what
// NeedsWrite compares; both recompute paths read it).
struct WarningRow {
  std::string colour, reasons, valid_until, computed_on;
  int64_t red_nodes = 0, yellow_nodes = 0, max_slip = 0, calendar_version = 0, settings_version = 0;
  std::optional<int64_t> max_slip_offset;
};

struct ProjectRow {
  int64_t id = 0;
  domain::ProjectFacts facts;
  std::optional<Date> stage_since;  // when the current stage was entered
  std::optional<WarningRow> stored;
};

WarningRow WarningRowFrom(const db::Row& r) {
  return {r.Text("colour"),          r.Text("reasons"),          r.Text("valid_until"),
          r.Text("computed_on"),     r.Int("red_nodes"),         r.Int("yellow_nodes"),
          r.Int("max_slip"),         r.Int("calendar_version"),  r.Int("settings_version"),
          r.OptInt("max_slip_offset")};
}

ProjectRow ProjectFromRow(const db::Row& r) {
  ProjectRow p;
  p.id = r.Int("id");
  p.facts.stage = domain::ParseProjectStage(r.Text("stage")).value_or(domain::ProjectStage::kPlanning);
  if (!r.IsNull("suspended_from")) p.facts.suspended_from = domain::ParseProjectStage(r.Text("suspended_from"));
  p.facts.planned_start = OptDate(r, "planned_started_on");
  p.facts.actual_start = OptDate(r, "actual_started_on");
  p.facts.planned_completion = OptDate(r, "planned_completed_on");
  p.stage_since = OptDate(r, "stage_since");
  // reported_progress (形象进度) arrives with monthly reporting (issue 8).
  if (!r.IsNull("has_warning")) p.stored = WarningRowFrom(r);
  return p;
}

// Collects the changed rows; Flush writes them, set-based: one UPDATE …
// FROM (VALUES …) per batch of node rows, one INSERT … ON CONFLICT per
// batch of warning rows. RecomputeAll flushes after each chunk's reads
// (a statement cannot run while another streams on PostgreSQL).
class Writer {
 public:
  Writer(db::Connection& conn, const WarningContext& ctx) : conn_(conn), ctx_(ctx) {}

  void Node(int64_t id, const PlanNodeStored& c) {
    nodes_.push_back({id, DateValue(c.latest_start), DateValue(c.latest_finish), DateValue(c.forecast_start.fixed),
                      db::Opt(c.forecast_start.offset), DateValue(c.forecast_finish.fixed),
                      db::Opt(c.forecast_finish.offset), c.colour});
    ++stats.nodes_written;
  }
  // `reasons` as stored: WarningReasonsJson(w.reasons).
  void Warning(int64_t project_id, const StoredWarning& w, std::string reasons) {
    warnings_.push_back({project_id, w.colour, std::move(reasons), w.red_nodes, w.yellow_nodes, w.max_slip,
                         db::Opt(w.max_slip_offset), w.valid_until, ctx_.today.ToString(), ctx_.calendar_version,
                         ctx_.settings_version});
    ++stats.warnings_written;
  }
  Status Flush() {
    ZB_RETURN_IF_ERROR(ExecValues(
        conn_, nodes_, {"BIGINT", "TEXT", "TEXT", "TEXT", "BIGINT", "TEXT", "BIGINT", "TEXT"},
        "UPDATE plan_nodes SET latest_start = v.column2, latest_finish = v.column3, "
        "forecast_start_fixed = v.column4, forecast_start_offset = v.column5, forecast_finish_fixed = v.column6, "
        "forecast_finish_offset = v.column7, colour = v.column8 FROM (VALUES ",
        ") AS v WHERE plan_nodes.id = v.column1"));
    return ExecValues(
        conn_, warnings_,
        {"BIGINT", "TEXT", "TEXT", "BIGINT", "BIGINT", "BIGINT", "BIGINT", "TEXT", "TEXT", "BIGINT", "BIGINT"},
        "INSERT INTO project_warnings (project_id, colour, reasons, red_nodes, yellow_nodes, max_slip, "
        "max_slip_offset, valid_until, computed_on, calendar_version, settings_version) VALUES ",
        " ON CONFLICT (project_id) DO UPDATE SET colour = excluded.colour, reasons = excluded.reasons, "
        "red_nodes = excluded.red_nodes, yellow_nodes = excluded.yellow_nodes, max_slip = excluded.max_slip, "
        "max_slip_offset = excluded.max_slip_offset, valid_until = excluded.valid_until, "
        "computed_on = excluded.computed_on, calendar_version = excluded.calendar_version, "
        "settings_version = excluded.settings_version");
  }

  RecomputeStats stats;

 private:
  db::Connection& conn_;
  const WarningContext& ctx_;
  std::vector<db::Params> nodes_, warnings_;
};

// One project's schedule and rules, nothing written: `in` is its plan as
// the scheduler reads it, nullptr without one; `uses_today`: the input moves
// with the day (ScheduleInputOf). Fills out's nodes, schedule and warning
// (not its plan).
void Evaluate(const domain::ProjectFacts& facts, const domain::ScheduleInput* in, bool uses_today,
              const WarningContext& ctx, ProjectEvaluation& out) {
  const WorkCalendar& cal = *ctx.calendar;
  out.schedule.reset();
  out.warning = StoredWarning();
  out.uses_today = uses_today;
  std::optional<domain::ProjectWarning> result;
  if (in) {
    auto schedule = domain::ComputeSchedule(*in, cal);
    out.nodes.assign(in->nodes.size(), PlanNodeComputed());  // all empty when the plan does not schedule
    out.stored.assign(in->nodes.size(), PlanNodeStored());
    if (schedule.ok()) {
      std::vector<domain::NodeWarning> node_warnings = domain::EvaluateNodes(*in, *schedule, cal, ctx.thresholds);
      // The project's reasons quote its nodes' before these move to the columns.
      result = domain::EvaluateProject(facts, in, &*schedule, &node_warnings, ctx.today, cal, ctx.thresholds);
      for (size_t i = 0; i < in->nodes.size(); ++i) {
        const domain::NodeSchedule& s = schedule->nodes[i];
        PlanNodeComputed& c = out.nodes[i];
        c.latest_start = s.latest_start;
        c.latest_finish = s.latest_finish;
        c.forecast_start = s.forecast_start;
        c.forecast_finish = s.forecast_finish;
        c.slack = s.slack;
        c.critical = s.critical;
        c.colour = std::string(domain::WarningColourCode(node_warnings[i].colour));
        c.reason = std::move(node_warnings[i].reason);
        PlanNodeStored& st = out.stored[i];
        st.latest_start = s.latest_start;
        st.latest_finish = s.latest_finish;
        st.forecast_start = s.forecast_start_form;
        st.forecast_finish = s.forecast_finish_form;
        st.colour = c.colour;
      }
      const domain::SlipForm slip = domain::MaxSlip(*schedule, cal);
      out.warning.max_slip = slip.fixed;
      out.warning.max_slip_offset = slip.offset;
      out.schedule = std::move(*schedule);
    }
  } else {
    out.nodes.clear();
    out.stored.clear();
  }
  if (!result) {
    result = domain::EvaluateProject(facts, nullptr, nullptr, nullptr, ctx.today, cal, ctx.thresholds);
  }
  const Date until =
      uses_today ? ctx.today
                 : domain::StableThrough(facts, out.schedule ? in : nullptr, out.schedule ? &*out.schedule : nullptr,
                                         ctx.today, cal, ctx.thresholds, ctx.today.AddDays(kValidDaysAhead));
  out.warning.colour = std::string(domain::WarningColourCode(result->colour));
  out.warning.reasons = std::move(result->forms);
  out.warning.red_nodes = result->red_nodes;
  out.warning.yellow_nodes = result->yellow_nodes;
  out.warning.valid_until = until.ToString();
  out.warning.computed_on = ctx.today.ToString();
  out.warning.calendar_version = ctx.calendar_version;
  out.warning.settings_version = ctx.settings_version;
}

// Whether the stored row (null: none) must be written for `got` (`reasons`:
// WarningReasonsJson(got.reasons), which wrote the stored text too): its
// results differ, or its versions, or it was computed for a later day (the
// clock moved back), is not current today, or holds for less than the row
// says (its input changed). A row that holds for longer than it says is
// kept: it is recomputed when it runs out — RecomputeAll on a later day
// would otherwise rewrite every row whose valid_until is the horizon.
bool NeedsWrite(const WarningRow* stored, const StoredWarning& got, const std::string& reasons,
                const WarningContext& ctx) {
  if (!stored) return true;
  const WarningRow& s = *stored;
  return s.colour != got.colour || s.red_nodes != got.red_nodes || s.yellow_nodes != got.yellow_nodes ||
         s.max_slip != got.max_slip || s.max_slip_offset != got.max_slip_offset || s.reasons != reasons ||
         s.calendar_version != ctx.calendar_version || s.settings_version != ctx.settings_version ||
         s.computed_on > got.computed_on || s.valid_until < got.computed_on || got.valid_until < s.valid_until;
}

// The same for a project read whole (one project's paths).
ProjectEvaluation Compute(const ProjectRow& project, std::optional<Plan> plan, const WarningContext& ctx) {
  ProjectEvaluation out;
  std::optional<domain::ScheduleInput> in;
  bool uses_today = false;
  if (plan) in = ScheduleInputOf(*plan, ctx.today, project.facts, project.stage_since, &uses_today);
  Evaluate(project.facts, in ? &*in : nullptr, uses_today, ctx, out);
  out.plan = std::move(plan);
  return out;
}

// Hands `w` the rows of `e` that differ from the stored ones.
void WriteChanges(const ProjectRow& project, const ProjectEvaluation& e, const WarningContext& ctx, Writer& w) {
  if (e.plan) {
    for (size_t i = 0; i < e.plan->nodes.size(); ++i) {
      if (!(e.stored[i] == e.plan->nodes[i].stored)) w.Node(e.plan->nodes[i].id, e.stored[i]);
    }
    w.stats.nodes += static_cast<int64_t>(e.plan->nodes.size());
  }
  ++w.stats.projects;
  std::string reasons = WarningReasonsJson(e.warning.reasons);
  if (NeedsWrite(project.stored ? &*project.stored : nullptr, e.warning, reasons, ctx)) {
    w.Warning(project.id, e.warning, std::move(reasons));
  }
}

}  // namespace

StatusOr<WarningSettings> GetWarningSettings(db::Connection& conn) {
  ZB_ASSIGN_OR_RETURN(auto row, conn.QueryOne("SELECT slack_yellow, due_soon, not_started_red_months, "
                                              "lag_yellow_points, lag_red_points, version, updated_at, updated_by "
                                              "FROM warning_settings WHERE id = 1"));
  if (!row) return Internal("预警设置缺失 (warning_settings row missing)");
  WarningSettings s;
  s.thresholds.slack_yellow = static_cast<int>(row->Int("slack_yellow"));
  s.thresholds.due_soon = static_cast<int>(row->Int("due_soon"));
  s.thresholds.not_started_red_months = static_cast<int>(row->Int("not_started_red_months"));
  s.thresholds.lag_yellow_points = static_cast<int>(row->Int("lag_yellow_points"));
  s.thresholds.lag_red_points = static_cast<int>(row->Int("lag_red_points"));
  s.version = row->Int("version");
  s.updated_at = row->Int("updated_at");
  s.updated_by = row->OptInt("updated_by");
  return s;
}

StatusOr<WarningSettings> UpdateWarningSettings(db::Connection& conn, const domain::WarningThresholds& t,
                                                int64_t expected_version, std::optional<int64_t> user_id,
                                                int64_t now_ms) {
  ZB_ASSIGN_OR_RETURN(db::Result r,
                      conn.Query("UPDATE warning_settings SET slack_yellow = $2, due_soon = $3, "
                                 "not_started_red_months = $4, lag_yellow_points = $5, lag_red_points = $6, "
                                 "version = version + 1, updated_at = $7, updated_by = $8 "
                                 "WHERE id = 1 AND version = $1",
                                 {expected_version, int64_t{t.slack_yellow}, int64_t{t.due_soon},
                                  int64_t{t.not_started_red_months}, int64_t{t.lag_yellow_points},
                                  int64_t{t.lag_red_points}, now_ms, db::Opt(user_id)}));
  if (r.affected == 0) {
    ZB_ASSIGN_OR_RETURN(auto current, GetWarningSettings(conn));
    return VersionConflict("预警设置已被他人修改(当前版本 " + std::to_string(current.version) +
                           "),请刷新后重试 (settings changed by someone else)");
  }
  return GetWarningSettings(conn);
}

StatusOr<WarningContext> LoadWarningContext(db::Connection& conn, Date today) {
  WarningContext ctx;
  ctx.today = today;
  ZB_ASSIGN_OR_RETURN(ctx.calendar, CurrentCalendar(conn));
  ZB_ASSIGN_OR_RETURN(ctx.calendar_version, CalendarVersion(conn));
  ZB_ASSIGN_OR_RETURN(WarningSettings settings, GetWarningSettings(conn));
  ctx.thresholds = settings.thresholds;
  ctx.settings_version = settings.version;
  return ctx;
}

StatusOr<std::optional<StoredWarning>> GetProjectWarning(db::Connection& conn, int64_t project_id) {
  ZB_ASSIGN_OR_RETURN(auto row, conn.QueryOne("SELECT colour, reasons, red_nodes, yellow_nodes, max_slip, "
                                              "max_slip_offset, valid_until, computed_on, calendar_version, "
                                              "settings_version FROM project_warnings WHERE project_id = $1",
                                              {project_id}));
  if (!row) return std::optional<StoredWarning>();
  const WarningRow r = WarningRowFrom(*row);
  return std::optional<StoredWarning>(StoredWarning{r.colour, WarningReasonsFromJson(r.reasons), r.red_nodes,
                                                    r.yellow_nodes, r.max_slip, r.max_slip_offset, r.valid_until,
                                                    r.computed_on, r.calendar_version, r.settings_version});
}

int64_t StoredWarning::MaxSlipOn(Date day, const WorkCalendar& cal) const {
  return domain::SlipForm{max_slip, max_slip_offset}.At(domain::StartSlot(day, cal));
}

// Written straight into the string (RecomputeAll makes one for every
// project), byte for byte what the JSON library's dump gives: keys in
// order, no blanks.
std::string WarningReasonsJson(const std::vector<domain::WarningReason>& reasons) {
  std::string out = "[";
  for (const domain::WarningReason& r : reasons) {
    if (out.size() > 1) out += ',';
    if (r.kind == domain::WarningReason::Kind::kText) {
      AppendJsonString(out, r.subject);
      continue;
    }
    out += '{';
    if (r.fixed) out += "\"a\":" + std::to_string(*r.fixed) + ",";
    if (r.offset) out += "\"b\":" + std::to_string(*r.offset) + ",";
    out += "\"k\":";
    AppendJsonString(out, domain::WarningReasonKindCode(r.kind));
    out += ",\"s\":";
    AppendJsonString(out, r.subject);
    out += '}';
  }
  return out + "]";
}

std::vector<domain::WarningReason> WarningReasonsFromJson(std::string_view text) {
  std::vector<domain::WarningReason> out;
  const json j = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (!j.is_array()) return out;
  for (const json& v : j) {
    if (v.is_string()) {
      out.push_back({domain::WarningReason::Kind::kText, v.get<std::string>(), std::nullopt, std::nullopt});
      continue;
    }
    if (!v.is_object() || !v.contains("k") || !v["k"].is_string() || !v.contains("s") || !v["s"].is_string()) continue;
    auto kind = domain::ParseWarningReasonKind(v["k"].get<std::string>());
    if (!kind) continue;
    domain::WarningReason r{*kind, v["s"].get<std::string>(), std::nullopt, std::nullopt};
    if (v.contains("a") && v["a"].is_number_integer()) r.fixed = v["a"].get<int64_t>();
    if (v.contains("b") && v["b"].is_number_integer()) r.offset = v["b"].get<int64_t>();
    out.push_back(std::move(r));
  }
  return out;
}

std::vector<std::string> RenderWarningReasons(const std::vector<domain::WarningReason>& reasons,
                                              std::string_view valid_until, Date today, const WorkCalendar& cal) {
  Date day = today;
  if (auto until = Date::Parse(valid_until); until.ok() && *until < today) day = *until;
  std::vector<std::string> out;
  out.reserve(reasons.size());
  for (const domain::WarningReason& r : reasons) out.push_back(r.Render(day, cal));
  return out;
}

namespace {

// The lifecycle stage an event node's event is reached at.
domain::ProjectStage EventStage(domain::NodeEvent e) {
  switch (e) {
    case domain::NodeEvent::kSigned: return domain::ProjectStage::kSigned;
    case domain::NodeEvent::kStarted: return domain::ProjectStage::kBuilding;
    case domain::NodeEvent::kCompleted: return domain::ProjectStage::kCompleted;
    default: return domain::ProjectStage::kOperating;
  }
}

// Position on the main line 谋划 … 投产; -1 off it (停缓建 is read as the
// stage it left, 终止 as nowhere).
int MainLinePosition(const domain::ProjectFacts& f) {
  domain::ProjectStage s = f.stage == domain::ProjectStage::kSuspended && f.suspended_from ? *f.suspended_from : f.stage;
  if (s == domain::ProjectStage::kSuspended || s == domain::ProjectStage::kTerminated) return -1;
  return static_cast<int>(s);  // the enum lists the main line first, in order
}

}  // namespace

namespace {

// What is known to have happened without a recorded date, marked done in
// `in` (see ScheduleInputOf); events[i] is node i's event.
// Returns whether a node was taken as done "today" (the input then moves
// with the day).
bool MarkKnownDone(domain::ScheduleInput& in, const std::vector<domain::NodeEvent>& events,
                   const domain::ProjectFacts& facts, std::optional<Date> stage_since) {
  const int reached = MainLinePosition(facts);
  bool uses_today = false;
  for (size_t i = 0; i < in.nodes.size(); ++i) {
    domain::ScheduleNodeInput& node = in.nodes[i];
    // A project that has reached the stage of the node's event has had the
    // event, even when the move skipped it and left no date (签约 → 在建
    // records 开工 only): done by the day it entered its current stage.
    if (!node.actual_finish && events[i] != domain::NodeEvent::kNone &&
        reached >= static_cast<int>(EventStage(events[i]))) {
      node.actual_finish = std::min(stage_since.value_or(in.today), in.today);
      uses_today |= !stage_since || *stage_since > in.today;
      if (node.actual_start && *node.actual_start > *node.actual_finish) node.actual_start.reset();
    }
  }
  // Whatever must precede a node that is done is done too, by the day that
  // node started at the latest (施工许可 before a recorded 开工) — a bound,
  // not a date anyone recorded, so the actual dates shown stay as recorded.
  for (bool changed = true; changed;) {
    changed = false;
    for (const domain::ScheduleLink& l : in.links) {
      const domain::ScheduleNodeInput& to = in.nodes[l.to];
      domain::ScheduleNodeInput& from = in.nodes[l.from];
      if (!to.actual_finish || from.actual_finish) continue;
      const Date by = to.actual_start.value_or(*to.actual_finish);
      from.actual_finish = by;
      if (from.actual_start && *from.actual_start > by) from.actual_start.reset();
      changed = true;
    }
  }
  return uses_today;
}

}  // namespace

domain::ScheduleInput ScheduleInputOf(const Plan& plan, Date today, const domain::ProjectFacts& facts,
                                      std::optional<Date> stage_since, bool* uses_today) {
  domain::ScheduleInput in;
  in.today = today;
  in.nodes.reserve(plan.nodes.size());
  std::vector<domain::NodeEvent> events;
  events.reserve(plan.nodes.size());
  std::map<int64_t, int> index;
  for (const PlanNode& n : plan.nodes) {
    index.emplace(n.id, static_cast<int>(in.nodes.size()));
    in.nodes.push_back({n.name, n.duration, n.target, n.actual_start, n.actual_finish});
    events.push_back(n.event);
  }
  in.links.reserve(plan.links.size());
  for (const PlanLink& l : plan.links) {
    auto from = index.find(l.from), to = index.find(l.to);
    if (from != index.end() && to != index.end()) in.links.push_back({from->second, to->second, l.lag});
  }
  const bool moves = MarkKnownDone(in, events, facts, stage_since);
  if (uses_today) *uses_today = moves;
  return in;
}

StatusOr<ProjectEvaluation> EvaluateProjectNow(db::Connection& conn, int64_t project_id, const WarningContext& ctx) {
  ZB_ASSIGN_OR_RETURN(auto row, conn.QueryOne(ZB_PROJECT_FACTS " WHERE p.id = $1", {project_id}));
  if (!row) return NotFound("项目不存在", "id");
  ZB_ASSIGN_OR_RETURN(std::optional<Plan> plan, GetPlan(conn, project_id));
  return Compute(ProjectFromRow(*row), std::move(plan), ctx);
}

Status RecomputeProject(db::Connection& conn, int64_t project_id, const WarningContext& ctx) {
  ZB_ASSIGN_OR_RETURN(auto row, conn.QueryOne(ZB_PROJECT_FACTS " WHERE p.id = $1", {project_id}));
  if (!row) return NotFound("项目不存在", "id");
  ZB_ASSIGN_OR_RETURN(std::optional<Plan> plan, GetPlan(conn, project_id));
  const ProjectRow project = ProjectFromRow(*row);
  Writer w(conn, ctx);
  WriteChanges(project, Compute(project, std::move(plan), ctx), ctx, w);
  return w.Flush();
}

Status RecomputeProject(db::Connection& conn, int64_t project_id, Date today) {
  ZB_ASSIGN_OR_RETURN(WarningContext ctx, LoadWarningContext(conn, today));
  return RecomputeProject(conn, project_id, ctx);
}

namespace {

// ---- RecomputeAll's read ----------------------------------------------------
// A chunk of projects, their nodes and links, read by column index
// (db::Connection::Stream) into flat vectors — only the columns the rules
// and the comparison with the stored results need. The vectors, and the
// strings in them, are reused from chunk to chunk.

template <typename T>
struct Reused {
  std::vector<T> items;
  size_t size = 0;
  T& Next() {  // every field is then assigned: it may hold an earlier row's values
    if (size == items.size()) items.emplace_back();
    return items[size++];
  }
};

struct BulkProject {
  int64_t id = 0;
  domain::ProjectFacts facts;
  std::optional<Date> stage_since;
  std::array<std::optional<Date>, 4> actual;  // by domain::ActualDate: what its event nodes read
  bool has_plan = false;
  bool has_warning = false;  // and then the stored one:
  WarningRow warning;
};

// The actual dates in domain::ActualDate's order. `%s`: which projects, a
// condition on p.id and the order (by p.id).
constexpr char kBulkProjects[] =
    "SELECT p.id, p.stage, p.suspended_from, p.stage_since, p.planned_started_on, p.planned_completed_on, "
    "p.actual_signed_on, p.actual_started_on, p.actual_completed_on, p.actual_operating_on, pp.project_id, "
    "w.project_id, w.colour, w.reasons, w.red_nodes, w.yellow_nodes, w.max_slip, w.max_slip_offset, "
    "w.valid_until, w.computed_on, w.calendar_version, w.settings_version "
    "FROM projects p LEFT JOIN project_plans pp ON pp.project_id = p.id "
    "LEFT JOIN project_warnings w ON w.project_id = p.id WHERE %s";

Status ReadProject(const db::RowView& r, BulkProject& p) {
  p.id = r.Int(0);
  p.facts = domain::ProjectFacts();
  p.facts.stage = domain::ParseProjectStage(r.Text(1)).value_or(domain::ProjectStage::kPlanning);
  if (!r.IsNull(2)) p.facts.suspended_from = domain::ParseProjectStage(r.Text(2));
  p.stage_since = OptDate(r, 3);
  p.facts.planned_start = OptDate(r, 4);
  p.facts.planned_completion = OptDate(r, 5);
  for (size_t i = 0; i < p.actual.size(); ++i) p.actual[i] = OptDate(r, 6 + i);
  p.facts.actual_start = p.actual[static_cast<size_t>(domain::ActualDate::kStarted)];
  // reported_progress (形象进度) arrives with monthly reporting (issue 8).
  p.has_plan = !r.IsNull(10);
  p.has_warning = !r.IsNull(11);
  WarningRow& w = p.warning;
  w.colour.assign(r.Text(12));
  w.reasons.assign(r.Text(13));
  w.red_nodes = r.Int(14);
  w.yellow_nodes = r.Int(15);
  w.max_slip = r.Int(16);
  w.max_slip_offset = r.OptInt(17);
  w.valid_until.assign(r.Text(18));
  w.computed_on.assign(r.Text(19));
  w.calendar_version = r.Int(20);
  w.settings_version = r.Int(21);
  return Status();
}

struct BulkNode {
  int64_t project_id = 0, id = 0;
  std::string name;
  int duration = 0;
  domain::NodeEvent event = domain::NodeEvent::kNone;
  std::optional<Date> target, actual_start, actual_finish;  // as recorded on the node
  PlanNodeStored stored;
};

// In a plan's order, as LoadPlans reads them.
constexpr char kBulkNodes[] =
    "SELECT project_id, id, name, duration, event, target, actual_start, actual_finish, latest_start, "
    "latest_finish, forecast_start_fixed, forecast_start_offset, forecast_finish_fixed, forecast_finish_offset, "
    "colour FROM plan_nodes WHERE %s ORDER BY project_id, sort, id";

Status ReadNode(const db::RowView& r, BulkNode& n) {
  n.project_id = r.Int(0);
  n.id = r.Int(1);
  n.name.assign(r.Text(2));
  n.duration = static_cast<int>(r.Int(3));
  n.event = domain::ParseNodeEvent(r.Text(4)).value_or(domain::NodeEvent::kNone);
  n.target = OptDate(r, 5);
  n.actual_start = OptDate(r, 6);
  n.actual_finish = OptDate(r, 7);
  PlanNodeStored& c = n.stored;
  c.latest_start = OptDate(r, 8);
  c.latest_finish = OptDate(r, 9);
  c.forecast_start = {OptDate(r, 10), r.OptInt(11)};
  c.forecast_finish = {OptDate(r, 12), r.OptInt(13)};
  c.colour.assign(r.Text(14));
  return Status();
}

struct BulkLink {
  int64_t project_id = 0, from = 0, to = 0;  // node ids
  int lag = 0;
};

constexpr char kBulkLinks[] =
    "SELECT project_id, from_node, to_node, lag FROM plan_links WHERE %s ORDER BY project_id, from_node, to_node";

// Streams `sql` into `out`, one element a row.
// `sql` with its %s replaced by `where`.
template <typename T>
Status ReadAll(db::Connection& conn, const char* sql, const std::string& where, const db::Params& params,
               Reused<T>& out, Status (*read)(const db::RowView&, T&)) {
  out.size = 0;
  std::string text = sql;
  text.replace(text.find("%s"), 2, where);
  return conn.Stream(text, params, [&](const db::RowView& r) { return read(r, out.Next()); });
}

Status ReadLink(const db::RowView& r, BulkLink& l) {
  l = {r.Int(0), r.Int(1), r.Int(2), static_cast<int>(r.Int(3))};
  return Status();
}

// One chunk computed and compared with what is stored; the changes go to
// `w`. The scheduler's input and the evaluation are reused across projects.
class BulkRecompute {
 public:
  BulkRecompute(const WarningContext& ctx, Writer& w) : ctx_(ctx), w_(w) {}

  // `want` (sorted): the projects read to compute (a range read holds others).
  void Chunk(const Reused<BulkProject>& projects, const Reused<BulkNode>& nodes, const Reused<BulkLink>& links,
             const std::vector<int64_t>& want) {
    size_t ni = 0, li = 0;  // nodes and links are ordered by project id like the projects
    size_t wi = 0;
    for (size_t pi = 0; pi < projects.size; ++pi) {
      const BulkProject& p = projects.items[pi];
      while (wi < want.size() && want[wi] < p.id) ++wi;
      if (wi == want.size() || want[wi] != p.id) continue;
      while (ni < nodes.size && nodes.items[ni].project_id < p.id) ++ni;  // (none: a node needs its plan)
      while (li < links.size && links.items[li].project_id < p.id) ++li;
      const size_t node_begin = ni, link_begin = li;
      while (ni < nodes.size && nodes.items[ni].project_id == p.id) ++ni;
      while (li < links.size && links.items[li].project_id == p.id) ++li;
      Project(p, nodes.items.data() + node_begin, ni - node_begin, links.items.data() + link_begin, li - link_begin);
    }
  }

 private:
  void Project(const BulkProject& p, const BulkNode* nodes, size_t n, const BulkLink* links, size_t nl) {
    if (p.has_plan) {
      // What ScheduleInputOf makes of the plan LoadPlans reads.
      in_.today = ctx_.today;
      in_.nodes.resize(n);
      events_.resize(n);
      for (size_t i = 0; i < n; ++i) {
        const BulkNode& b = nodes[i];
        domain::ScheduleNodeInput& x = in_.nodes[i];
        x.name.assign(b.name);
        x.duration = b.duration;
        x.target = b.target;
        x.actual_start = b.actual_start;
        x.actual_finish = b.actual_finish;
        if (auto which = EventActualDate(b.event)) {
          ApplyEventDate(p.actual[static_cast<size_t>(*which)], b.duration, x.actual_start, x.actual_finish);
        }
        events_[i] = b.event;
      }
      in_.links.clear();
      for (size_t k = 0; k < nl; ++k) {
        const int from = IndexOf(nodes, n, links[k].from), to = IndexOf(nodes, n, links[k].to);
        if (from >= 0 && to >= 0) in_.links.push_back({from, to, links[k].lag});
      }
    }
    const bool uses_today = p.has_plan && MarkKnownDone(in_, events_, p.facts, p.stage_since);
    Evaluate(p.facts, p.has_plan ? &in_ : nullptr, uses_today, ctx_, e_);
    if (p.has_plan) {
      for (size_t i = 0; i < n; ++i) {
        if (!(e_.stored[i] == nodes[i].stored)) w_.Node(nodes[i].id, e_.stored[i]);
      }
      w_.stats.nodes += static_cast<int64_t>(n);
    }
    ++w_.stats.projects;
    std::string reasons = WarningReasonsJson(e_.warning.reasons);
    if (NeedsWrite(p.has_warning ? &p.warning : nullptr, e_.warning, reasons, ctx_)) {
      w_.Warning(p.id, e_.warning, std::move(reasons));
    }
  }

  // A plan has a dozen nodes or so: a scan is quicker than a map.
  static int IndexOf(const BulkNode* nodes, size_t n, int64_t id) {
    for (size_t i = 0; i < n; ++i) {
      if (nodes[i].id == id) return static_cast<int>(i);
    }
    return -1;
  }

  const WarningContext& ctx_;
  Writer& w_;
  domain::ScheduleInput in_;
  std::vector<domain::NodeEvent> events_;
  ProjectEvaluation e_;
};

}  // namespace

bool WarningInputsDiffer(const ProjectData& before, const ProjectData& after) {
  return before.planned_started_on != after.planned_started_on ||
         before.planned_completed_on != after.planned_completed_on ||
         before.actual_signed_on != after.actual_signed_on || before.actual_started_on != after.actual_started_on ||
         before.actual_completed_on != after.actual_completed_on ||
         before.actual_operating_on != after.actual_operating_on;
}

namespace {

// A row is current for ctx when its versions are ctx's and computed_on ≤
// today ≤ valid_until ('' is before every day). $1 today, $2 the calendar
// version, $3 the settings version.
#define ZB_WARNING_NOT_CURRENT                                                                          \
  "(w.project_id IS NULL OR w.calendar_version <> $2 OR w.settings_version <> $3 OR w.computed_on > $1 " \
  "OR w.valid_until < $1)"

// The ids `sql` selects (its first column), ascending as it orders them.
StatusOr<std::vector<int64_t>> Ids(db::Connection& conn, const char* sql, const db::Params& params) {
  std::vector<int64_t> ids;
  ZB_RETURN_IF_ERROR(conn.Stream(sql, params, [&](const db::RowView& r) {
    ids.push_back(r.Int(0));
    return Status();
  }));
  return ids;
}

// Recomputes the projects `ids` (ascending), `chunk` at a time.
StatusOr<RecomputeStats> Recompute(db::Connection& conn, const WarningContext& ctx, int64_t chunk,
                                   const std::vector<int64_t>& ids) {
  // No larger page cache here (db::LargerPageCache): its reads go in id
  // order, and at 256 MiB a new day took 6.0 s instead of 4.75 s (100 000
  // projects, quiet machine) — the cost of filling the cache.
  Writer w(conn, ctx);
  BulkRecompute compute(ctx, w);
  Reused<BulkProject> projects;
  Reused<BulkNode> nodes;
  Reused<BulkLink> links;
  std::vector<int64_t> want;
  for (size_t i = 0; i < ids.size(); i += static_cast<size_t>(chunk)) {
    const size_t end = std::min(ids.size(), i + static_cast<size_t>(chunk));
    want.assign(ids.begin() + static_cast<std::ptrdiff_t>(i), ids.begin() + static_cast<std::ptrdiff_t>(end));
    const int64_t first = want.front(), last = want.back();
    // Dense (everything, a calendar change, the first run): a range, the
    // others skipped. Sparse (a new day): the ids themselves — integers read
    // from the database, so written into the statement.
    std::string p_where = "p.id BETWEEN $1 AND $2", where = "project_id BETWEEN $1 AND $2";
    db::Params params = {first, last};
    if (last - first + 1 > 2 * static_cast<int64_t>(want.size())) {
      std::string in;
      for (int64_t id : want) in += (in.empty() ? "" : ",") + std::to_string(id);
      p_where = "p.id IN (" + in + ")";
      where = "project_id IN (" + in + ")";
      params.clear();
    }
    ZB_RETURN_IF_ERROR(ReadAll(conn, kBulkProjects, p_where + " ORDER BY p.id", params, projects, &ReadProject));
    ZB_RETURN_IF_ERROR(ReadAll(conn, kBulkNodes, where, params, nodes, &ReadNode));
    ZB_RETURN_IF_ERROR(ReadAll(conn, kBulkLinks, where, params, links, &ReadLink));
    compute.Chunk(projects, nodes, links, want);
    ZB_RETURN_IF_ERROR(w.Flush());
  }
  return w.stats;
}

}  // namespace

StatusOr<RecomputeStats> RecomputeAll(db::Connection& conn, const WarningContext& ctx, int64_t chunk) {
  ZB_ASSIGN_OR_RETURN(std::vector<int64_t> ids, Ids(conn, "SELECT id FROM projects ORDER BY id", {}));
  return Recompute(conn, ctx, chunk, ids);
}

StatusOr<RecomputeStats> RecomputeStale(db::Connection& conn, const WarningContext& ctx, int64_t chunk) {
  ZB_ASSIGN_OR_RETURN(std::vector<int64_t> ids,
                      Ids(conn,
                          "SELECT p.id FROM projects p LEFT JOIN project_warnings w ON w.project_id = p.id "
                          "WHERE " ZB_WARNING_NOT_CURRENT " ORDER BY p.id",
                          {ctx.today.ToString(), ctx.calendar_version, ctx.settings_version}));
  return Recompute(conn, ctx, chunk, ids);
}

StatusOr<bool> WarningsStale(db::Connection& conn, const WarningContext& ctx) {
  ZB_ASSIGN_OR_RETURN(auto row, conn.QueryOne("SELECT p.id FROM projects p LEFT JOIN project_warnings w "
                                              "ON w.project_id = p.id WHERE " ZB_WARNING_NOT_CURRENT " LIMIT 1",
                                              {ctx.today.ToString(), ctx.calendar_version, ctx.settings_version}));
  return row.has_value();
}

#undef ZB_WARNING_NOT_CURRENT
#undef ZB_PROJECT_FACTS

}  // namespace zb::storage
