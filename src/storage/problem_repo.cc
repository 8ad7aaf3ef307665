#include "storage/problem_repo.h"

#include <algorithm>
#include <map>
#include <set>
#include <unordered_map>

#include "core/date.h"
#include "storage/attachment_repo.h"
#include "storage/calendar_repo.h"
#include "storage/notification_repo.h"
#include "storage/plan_per_call.h"

namespace zb::storage {

namespace {

using domain::ProblemAction;
using Json = nlohmann::json;

constexpr char kNotFound[] = "问题不存在 (no such problem)";

#define ZB_PROBLEM_SELECT                                                                                     \
  "SELECT p.*, e.name AS enterprise_name, pr.code AS project_code, pr.name AS project_name, "                 \
  "ru.display_name AS raised_by_name, ou.name AS org_unit_name, cu.name AS coord_unit_name, "                 \
  "lu.name AS lead_unit_name, hu.display_name AS handler_name, d.label AS category_label "                    \
  "FROM problems p "                                                                                          \
  "LEFT JOIN enterprises e ON e.id = p.enterprise_id LEFT JOIN projects pr ON pr.id = p.project_id "          \
  "LEFT JOIN users ru ON ru.id = p.raised_by JOIN org_units ou ON ou.id = p.org_unit_id "                     \
  "JOIN org_units cu ON cu.id = p.coord_unit_id LEFT JOIN org_units lu ON lu.id = p.lead_unit_id "            \
  "LEFT JOIN users hu ON hu.id = p.handler_id "                                                               \
  "LEFT JOIN dict_items d ON d.dict_type = 'problem_category' AND d.code = p.category "

Problem FromRow(const db::Row& r) {
  Problem p;
  p.id = r.Int("id");
  p.code = r.Text("code");
  p.title = r.Text("title");
  p.description = r.Text("description");
  p.category = r.Text("category");
  p.category_label = r.Text("category_label");
  p.enterprise_id = r.OptInt("enterprise_id");
  p.enterprise_name = r.Text("enterprise_name");
  p.project_id = r.OptInt("project_id");
  p.project_code = r.Text("project_code");
  p.project_name = r.Text("project_name");
  p.source = r.Text("source");
  p.urgency = r.Text("urgency");
  p.raised_by = r.OptInt("raised_by");
  p.raised_by_name = r.Text("raised_by_name");
  p.raised_on = r.Text("raised_on");
  p.org_unit_id = r.Int("org_unit_id");
  p.org_unit_name = r.Text("org_unit_name");
  p.org_unit_path = r.Text("org_unit_path");
  p.coord_unit_id = r.Int("coord_unit_id");
  p.coord_unit_name = r.Text("coord_unit_name");
  p.coord_unit_path = r.Text("coord_unit_path");
  p.level = r.Text("level");
  p.lead_unit_id = r.OptInt("lead_unit_id");
  p.lead_unit_name = r.Text("lead_unit_name");
  p.lead_unit_path = r.OptText("lead_unit_path");
  p.handler_id = r.OptInt("handler_id");
  p.handler_name = r.Text("handler_name");
  p.status = r.Text("status");
  p.assigned_on = r.OptText("assigned_on");
  p.deadline = r.OptText("deadline");
  p.original_deadline = r.OptText("original_deadline");
  p.resolved_on = r.OptText("resolved_on");
  p.closed_on = r.OptText("closed_on");
  p.result = r.Text("result");
  p.resolve_days = r.OptInt("resolve_days");
  p.on_spot = r.Bool("on_spot");
  p.escalated = r.Bool("escalated");
  p.supervised = r.Bool("supervised");
  p.on_agenda = r.Bool("on_agenda");
  p.extension_pending = r.Bool("extension_pending");
  p.escalation_count = r.Int("escalation_count");
  p.reopen_count = r.Int("reopen_count");
  p.satisfaction = r.OptText("satisfaction");
  p.rated_on = r.OptText("rated_on");
  p.version = r.Int("version");
  p.created_at = r.Int("created_at");
  p.updated_at = r.Int("updated_at");
  return p;
}

// The co-units of `items`, in chunks of ids (an export holds up to 200 000
// items; one IN list that long would pass the engines' parameter limits).
Status LoadCoUnits(db::Connection& conn, std::vector<Problem>& items) {
  constexpr size_t kChunk = 500;
  std::unordered_map<int64_t, Problem*> by_id;
  for (auto& p : items) by_id[p.id] = &p;
  for (size_t from = 0; from < items.size(); from += kChunk) {
    std::vector<int64_t> ids;
    for (size_t i = from; i < std::min(items.size(), from + kChunk); ++i) ids.push_back(items[i].id);
    db::Params params;
    std::string in = InList(ids, &params);
    ZB_ASSIGN_OR_RETURN(db::Result r,
                        conn.Query("SELECT c.problem_id, c.org_unit_id, u.name, u.path FROM problem_co_units c "
                                   "JOIN org_units u ON u.id = c.org_unit_id WHERE c.problem_id IN (" + in +
                                       ") ORDER BY u.path, u.id",
                                   params));
    for (const auto& row : r.rows) {
      by_id[row.Int("problem_id")]->co_units.push_back({row.Int("org_unit_id"), row.Text("name"), row.Text("path")});
    }
  }
  return Status::Ok();
}

StatusOr<std::string> UnitPath(db::Connection& conn, int64_t unit_id) {
  ZB_ASSIGN_OR_RETURN(auto row, conn.QueryOne("SELECT path FROM org_units WHERE id = $1", {unit_id}));
  if (!row) return NotFound("组织机构不存在 (no such org unit)", "org_unit_id");
  return row->Text("path");
}

StatusOr<std::string> NextCode(db::Connection& conn, int year) {
  for (;;) {
    ZB_ASSIGN_OR_RETURN(auto row, conn.QueryOne("INSERT INTO problem_code_seq (year, last) VALUES ($1, 1) "
                                                "ON CONFLICT (year) DO UPDATE SET last = problem_code_seq.last + 1 "
                                                "RETURNING last",
                                                {int64_t{year}}));
    if (!row) return Internal("序号未返回 (no sequence returned)");
    std::string code = domain::FormatProblemCode(year, row->Int("last"));
    ZB_ASSIGN_OR_RETURN(auto taken, conn.QueryOne("SELECT id FROM problems WHERE code = $1", {code}));
    if (!taken) return code;
  }
}

Status StaleOrMissing(db::Connection& conn, int64_t id, int64_t expected) {
  ZB_ASSIGN_OR_RETURN(auto row, conn.QueryOne("SELECT version FROM problems WHERE id = $1", {id}));
  if (!row) return NotFound(kNotFound, "id");
  return VersionConflict("问题已被他人修改,请刷新后重试 (version " + std::to_string(expected) + " expected, now " +
                         std::to_string(row->Int("version")) + ")");
}

StatusOr<int64_t> InsertEvent(db::Connection& conn, int64_t problem_id, int64_t at, std::optional<int64_t> user,
                              std::string_view action, std::string_view from, std::string_view to,
                              const std::string& comment, bool internal, const Json& data) {
  ZB_ASSIGN_OR_RETURN(auto row, conn.QueryOne("INSERT INTO problem_events (problem_id, at, user_id, action, from_status, "
                                              "to_status, comment, internal, data) VALUES ($1, $2, $3, $4, $5, $6, "
                                              "$7, $8, $9) RETURNING id",
                                              {problem_id, at, db::Opt(user), std::string(action), std::string(from),
                                               std::string(to), comment, int64_t{internal ? 1 : 0}, data.dump()}));
  if (!row) return Internal("INSERT … RETURNING 未返回行 (no row returned)");
  return row->Int("id");
}

// "问题「标题」" for notices.
std::string Named(const Problem& p) { return "问题「" + p.title + "」(" + p.code + ")"; }

// The notices of the contract's table for one applied action; `before` is
// the row as it was, `after` as it is now.
Status Notify(db::Connection& conn, const ProblemActionWrite& w, const Problem& before, const Problem& after) {
  auto to_units = [&](std::vector<int64_t> units, const char* kind, std::string title) -> Status {
    std::sort(units.begin(), units.end());
    units.erase(std::unique(units.begin(), units.end()), units.end());
    return NotifyUnits(conn, units, {.kind = kind, .title = std::move(title), .body = w.comment,
                                     .entity_type = "problem", .entity_id = after.id},
                       w.now, w.user_id)
        .status();
  };
  switch (w.action) {
    case ProblemAction::kAssign: {
      std::vector<int64_t> units;
      if (after.lead_unit_id) units.push_back(*after.lead_unit_id);
      for (const auto& u : after.co_units) units.push_back(u.id);
      ZB_RETURN_IF_ERROR(to_units(units, "problem.assigned", Named(after) + "已交办给贵单位"));
      break;
    }
    case ProblemAction::kAgendaDecide:
      ZB_RETURN_IF_ERROR(to_units(w.bound_unit_ids, "problem.assigned", Named(after) + "经联席会议决定由贵单位协办"));
      break;
    case ProblemAction::kReturn:
      ZB_RETURN_IF_ERROR(to_units({after.coord_unit_id}, "problem.returned", Named(after) + "已被责任单位退回"));
      break;
    case ProblemAction::kExtend:
      ZB_RETURN_IF_ERROR(to_units({after.coord_unit_id}, "problem.extension", Named(after) + "申请延期,待审批"));
      break;
    case ProblemAction::kExtendDecide:
      if (after.lead_unit_id) {
        ZB_RETURN_IF_ERROR(to_units({*after.lead_unit_id}, "problem.extension",
                                    Named(after) + (w.grant ? "的延期申请已批准" : "的延期申请未获批准")));
      }
      break;
    case ProblemAction::kEscalate: {
      std::vector<int64_t> units = {after.coord_unit_id};
      if (after.lead_unit_id) units.push_back(*after.lead_unit_id);
      ZB_RETURN_IF_ERROR(to_units(units, "problem.escalated", Named(after) + "已提级至" + after.coord_unit_name + "协调"));
      break;
    }
    case ProblemAction::kSupervise:
      if (after.lead_unit_id) {
        ZB_RETURN_IF_ERROR(to_units({*after.lead_unit_id}, "problem.supervised", Named(after) + "被督办"));
      }
      break;
    default: break;
  }
  if (before.status != after.status && after.enterprise_id) {
    std::string status(domain::Label(*domain::ParseProblemStatus(after.status)));
    ZB_RETURN_IF_ERROR(NotifyEnterprise(conn, *after.enterprise_id,
                                        {.kind = "problem.status", .title = "您的" + Named(after) + "状态变为「" +
                                                                               status + "」",
                                         .body = "", .entity_type = "problem", .entity_id = after.id},
                                        w.now, w.user_id)
                           .status());
  }
  return Status::Ok();
}

Json IdArray(const std::vector<int64_t>& ids) {
  Json a = Json::array();
  for (auto id : ids) a.push_back(id);
  return a;
}

}  // namespace

StatusOr<std::vector<domain::UnitKind>> UnitChain(db::Connection& conn, int64_t unit_id) {
  ZB_ASSIGN_OR_RETURN(std::string path, UnitPath(conn, unit_id));
  // path is "/1/5/12/": every ancestor's id, root first.
  std::vector<int64_t> ids;
  int64_t cur = 0;
  bool in_num = false;
  for (char c : path) {
    if (c >= '0' && c <= '9') {
      cur = cur * 10 + (c - '0');
      in_num = true;
    } else if (in_num) {
      ids.push_back(cur);
      cur = 0;
      in_num = false;
    }
  }
  if (ids.empty()) ids.push_back(unit_id);
  db::Params params;
  std::string in = InList(ids, &params);
  ZB_ASSIGN_OR_RETURN(db::Result r, conn.Query("SELECT id, kind FROM org_units WHERE id IN (" + in + ")", params));
  std::vector<domain::UnitKind> chain;
  for (auto it = ids.rbegin(); it != ids.rend(); ++it) {
    for (const auto& row : r.rows) {
      if (row.Int("id") == *it) chain.push_back({*it, row.Text("kind")});
    }
  }
  return chain;
}

namespace {

// A new item's row, pending: its code, unit path, coordinating unit and level.
StatusOr<int64_t> InsertProblemRow(db::Connection& conn, const ProblemInput& in, int64_t now) {
  ZB_ASSIGN_OR_RETURN(Date raised, Date::Parse(in.raised_on, "raised_on"));
  ZB_ASSIGN_OR_RETURN(std::string path, UnitPath(conn, in.org_unit_id));
  ZB_ASSIGN_OR_RETURN(auto chain, UnitChain(conn, in.org_unit_id));
  auto level_unit = domain::LevelUnit(chain);
  if (!level_unit) {
    return ValidationFailed("该单位没有所属的镇街、区或市,无法确定协调层级 (the unit has no town, county or city above it)",
                            "org_unit_id");
  }
  ZB_ASSIGN_OR_RETURN(std::string coord_path, UnitPath(conn, level_unit->id));
  ZB_ASSIGN_OR_RETURN(std::string code, NextCode(conn, raised.year()));
  ZB_ASSIGN_OR_RETURN(
      auto row,
      conn.QueryOne("INSERT INTO problems (code, title, description, category, enterprise_id, project_id, source, "
                    "urgency, raised_by, raised_on, org_unit_id, org_unit_path, coord_unit_id, coord_unit_path, level, "
                    "created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, "
                    "$16, $16) RETURNING id",
                    {code, in.title, in.description, in.category, db::Opt(in.enterprise_id), db::Opt(in.project_id),
                     in.source, in.urgency, db::Opt(in.raised_by), in.raised_on, in.org_unit_id, path, level_unit->id,
                     coord_path, std::string(domain::Code(*domain::LevelOfKind(level_unit->kind))), now}));
  if (!row) return Internal("INSERT … RETURNING 未返回行 (no row returned)");
  return row->Int("id");
}

}  // namespace

StatusOr<int64_t> CreateProblem(db::Connection& conn, const ProblemInput& in, int64_t now) {
  ZB_ASSIGN_OR_RETURN(int64_t id, InsertProblemRow(conn, in, now));
  ZB_ASSIGN_OR_RETURN(int64_t event, InsertEvent(conn, id, now, in.raised_by, "create", "", "pending", "", false,
                                                 Json::object()));
  ZB_RETURN_IF_ERROR(AttachToProblemEvent(conn, in.attachment_ids, event, in.raised_by.value_or(0)));
  return id;
}

StatusOr<int64_t> CreateImportedProblem(db::Connection& conn, const ProblemInput& in, const ImportedState& st,
                                        int64_t now) {
  ZB_ASSIGN_OR_RETURN(int64_t id, InsertProblemRow(conn, in, now));
  std::optional<std::string> lead_path;
  if (st.lead_unit_id) {
    ZB_ASSIGN_OR_RETURN(std::string path, UnitPath(conn, *st.lead_unit_id));
    lead_path = path;
  }
  ZB_RETURN_IF_ERROR(conn.Exec(
      "UPDATE problems SET status = $2, lead_unit_id = $3, lead_unit_path = $4, assigned_on = $5, deadline = $6, "
      "original_deadline = $6, resolved_on = $7, resolve_days = $8, result = $9, closed_on = $10, "
      "satisfaction = $11, rated_on = $12 WHERE id = $1",
      {id, st.status, db::Opt(st.lead_unit_id), db::Opt(lead_path), db::Opt(st.assigned_on), db::Opt(st.deadline),
       db::Opt(st.resolved_on), db::Opt(st.resolve_days), st.result, db::Opt(st.closed_on), db::Opt(st.satisfaction),
       db::Opt(st.rated_on)}));
  for (int64_t unit : st.co_unit_ids) {
    ZB_RETURN_IF_ERROR(
        conn.Exec("INSERT INTO problem_co_units (problem_id, org_unit_id) VALUES ($1, $2)", {id, unit}));
  }
  ZB_RETURN_IF_ERROR(InsertEvent(conn, id, now, in.raised_by, "import", "", st.status, "", false,
                                 Json{{"status", st.status}})
                         .status());
  return id;
}

Status UpdateImportedProblem(db::Connection& conn, int64_t id, int64_t expected_version, const ProblemInput& in,
                             int64_t now) {
  ZB_ASSIGN_OR_RETURN(std::string path, UnitPath(conn, in.org_unit_id));
  ZB_ASSIGN_OR_RETURN(db::Result r,
                      conn.Query("UPDATE problems SET title = $3, category = $4, source = $5, urgency = $6, "
                                 "enterprise_id = $7, project_id = $8, org_unit_id = $9, org_unit_path = $10, "
                                 "version = version + 1, updated_at = $11 WHERE id = $1 AND version = $2",
                                 {id, expected_version, in.title, in.category, in.source, in.urgency,
                                  db::Opt(in.enterprise_id), db::Opt(in.project_id), in.org_unit_id, path, now}));
  if (r.affected == 0) return StaleOrMissing(conn, id, expected_version);
  return Status::Ok();
}

StatusOr<std::optional<Problem>> FindProblemByCode(db::Connection& conn, const std::string& code) {
  ZB_ASSIGN_OR_RETURN(auto row, conn.QueryOne("SELECT id FROM problems WHERE code = $1", {code}));
  if (!row) return std::optional<Problem>();
  ZB_ASSIGN_OR_RETURN(Problem p, GetProblem(conn, row->Int("id")));
  return std::optional<Problem>(std::move(p));
}

StatusOr<Problem> GetProblem(db::Connection& conn, int64_t id) {
  ZB_ASSIGN_OR_RETURN(auto row, conn.QueryOne(ZB_PROBLEM_SELECT "WHERE p.id = $1", {id}));
  if (!row) return NotFound(kNotFound, "id");
  std::vector<Problem> one = {FromRow(*row)};
  ZB_RETURN_IF_ERROR(LoadCoUnits(conn, one));
  return one.front();
}

StatusOr<ProblemDetail> GetProblemDetail(db::Connection& conn, int64_t id) {
  ProblemDetail d;
  ZB_ASSIGN_OR_RETURN(d.problem, GetProblem(conn, id));
  ZB_ASSIGN_OR_RETURN(db::Result ext,
                      conn.Query("SELECT x.*, a.display_name AS requested_by_name, b.display_name AS decided_by_name "
                                 "FROM problem_extensions x LEFT JOIN users a ON a.id = x.requested_by "
                                 "LEFT JOIN users b ON b.id = x.decided_by WHERE x.problem_id = $1 ORDER BY x.id",
                                 {id}));
  for (const auto& r : ext.rows) {
    ProblemExtension x{.id = r.Int("id"),
                       .old_deadline = r.OptText("old_deadline"),
                       .new_deadline = r.Text("new_deadline"),
                       .reason = r.Text("reason"),
                       .status = r.Text("status"),
                       .requested_by = r.OptInt("requested_by"),
                       .requested_by_name = r.Text("requested_by_name"),
                       .requested_at = r.Int("requested_at"),
                       .decided_by = r.OptInt("decided_by"),
                       .decided_by_name = r.Text("decided_by_name"),
                       .decision_note = r.Text("decision_note"),
                       .decided_at = r.OptInt("decided_at")};
    if (x.status == "pending") d.requested_deadline = x.new_deadline;
    d.extensions.push_back(std::move(x));
  }
  ZB_ASSIGN_OR_RETURN(db::Result sup,
                      conn.Query("SELECT s.*, a.display_name AS issued_by_name, b.display_name AS responded_by_name "
                                 "FROM problem_supervisions s LEFT JOIN users a ON a.id = s.issued_by "
                                 "LEFT JOIN users b ON b.id = s.responded_by WHERE s.problem_id = $1 ORDER BY s.id",
                                 {id}));
  for (const auto& r : sup.rows) {
    d.supervisions.push_back({.id = r.Int("id"),
                              .instruction = r.Text("instruction"),
                              .respond_by = r.OptText("respond_by"),
                              .issued_by = r.OptInt("issued_by"),
                              .issued_by_name = r.Text("issued_by_name"),
                              .issued_at = r.Int("issued_at"),
                              .response = r.Text("response"),
                              .responded_by = r.OptInt("responded_by"),
                              .responded_by_name = r.Text("responded_by_name"),
                              .responded_at = r.OptInt("responded_at")});
  }
  ZB_ASSIGN_OR_RETURN(db::Result ag, conn.Query("SELECT g.*, a.display_name AS submitted_by_name FROM problem_agenda g "
                                                "LEFT JOIN users a ON a.id = g.submitted_by WHERE g.problem_id = $1 "
                                                "ORDER BY g.id",
                                                {id}));
  for (const auto& r : ag.rows) {
    ProblemAgendaItem g{.id = r.Int("id"),
                        .meeting_on = r.OptText("meeting_on"),
                        .comment = r.Text("comment"),
                        .submitted_by = r.OptInt("submitted_by"),
                        .submitted_by_name = r.Text("submitted_by_name"),
                        .submitted_at = r.Int("submitted_at"),
                        .decision = r.Text("decision"),
                        .decided_by = r.OptInt("decided_by"),
                        .decided_at = r.OptInt("decided_at")};
    for (const auto& v : Json::parse(r.Text("bound_unit_ids"), nullptr, false)) {
      if (v.is_number_integer()) g.bound_unit_ids.push_back(v.get<int64_t>());
    }
    d.agenda.push_back(std::move(g));
  }
  return d;
}

Status UpdateProblem(db::Connection& conn, int64_t id, int64_t expected_version, const ProblemEdit& e, int64_t now) {
  ZB_ASSIGN_OR_RETURN(db::Result r,
                      conn.Query("UPDATE problems SET title = COALESCE($3, title), description = COALESCE($4, "
                                 "description), category = COALESCE($5, category), urgency = COALESCE($6, urgency), "
                                 "version = version + 1, updated_at = $7 WHERE id = $1 AND version = $2",
                                 {id, expected_version, db::Opt(e.title), db::Opt(e.description), db::Opt(e.category),
                                  db::Opt(e.urgency), now}));
  if (r.affected == 0) return StaleOrMissing(conn, id, expected_version);
  return Status::Ok();
}

StatusOr<int64_t> ApplyProblemAction(db::Connection& conn, const ProblemActionWrite& w) {
  ZB_ASSIGN_OR_RETURN(Problem before, GetProblem(conn, w.problem_id));
  if (w.expected_version != 0 && before.version != w.expected_version) {
    return StaleOrMissing(conn, w.problem_id, w.expected_version);
  }
  const domain::ProblemChange& c = w.change;
  auto date = [](const std::optional<Date>& d) { return d ? db::Value(d->ToString()) : db::Null(); };
  db::Params params = {w.problem_id, before.version, std::string(domain::Code(c.to)), w.now};
  std::string set = "status = $3, updated_at = $4, version = version + 1";
  auto add = [&](const char* column, db::Value v) {
    params.push_back(std::move(v));
    set += std::string(", ") + column + " = $" + std::to_string(params.size());
  };
  if (c.assigned_on) add("assigned_on", date(c.assigned_on));
  if (c.deadline) add("deadline", date(c.deadline));
  if (c.original_deadline) add("original_deadline", date(c.original_deadline));
  if (c.resolved_on) {
    add("resolved_on", date(c.resolved_on));
    add("resolve_days", db::Opt(c.resolve_days));
    add("result", w.result);
  }
  if (c.closed_on) add("closed_on", date(c.closed_on));
  if (c.on_spot) set += ", on_spot = 1";
  if (c.reopen) {
    set += ", resolved_on = NULL, resolve_days = NULL, closed_on = NULL, on_spot = 0, reopen_count = reopen_count + 1";
  }
  if (c.extension_pending) add("extension_pending", int64_t{*c.extension_pending ? 1 : 0});
  if (c.supervised) add("supervised", int64_t{*c.supervised ? 1 : 0});
  if (c.on_agenda) add("on_agenda", int64_t{*c.on_agenda ? 1 : 0});
  if (c.satisfaction) {
    add("satisfaction", std::string(domain::Code(*c.satisfaction)));
    add("rated_on", date(c.rated_on));
  }
  if (w.action == ProblemAction::kAssign && w.lead_unit_id) {
    ZB_ASSIGN_OR_RETURN(std::string lead_path, UnitPath(conn, *w.lead_unit_id));
    add("lead_unit_id", *w.lead_unit_id);
    add("lead_unit_path", lead_path);
    add("handler_id", db::Opt(w.handler_id));
  }
  if (c.escalate && w.escalate_to) {
    ZB_ASSIGN_OR_RETURN(auto chain, UnitChain(conn, *w.escalate_to));
    ZB_ASSIGN_OR_RETURN(std::string coord_path, UnitPath(conn, *w.escalate_to));
    add("coord_unit_id", *w.escalate_to);
    add("coord_unit_path", coord_path);
    add("level", std::string(domain::Code(*domain::LevelOfKind(chain.front().kind))));
    set += ", escalated = 1, escalation_count = escalation_count + 1";
  }
  ZB_ASSIGN_OR_RETURN(db::Result r,
                      conn.Query("UPDATE problems SET " + set + " WHERE id = $1 AND version = $2", params));
  if (r.affected == 0) return StaleOrMissing(conn, w.problem_id, w.expected_version);

  // Co-units: assign replaces them (never the lead unit); a meeting's
  // decision adds the units it binds.
  if (w.action == ProblemAction::kAssign) {
    ZB_RETURN_IF_ERROR(conn.Exec("DELETE FROM problem_co_units WHERE problem_id = $1", {w.problem_id}));
  }
  const std::vector<int64_t>& co = w.action == ProblemAction::kAssign ? w.co_unit_ids : w.bound_unit_ids;
  for (int64_t unit : co) {
    if (w.lead_unit_id ? unit == *w.lead_unit_id : before.lead_unit_id && unit == *before.lead_unit_id) continue;
    ZB_RETURN_IF_ERROR(conn.Exec("INSERT INTO problem_co_units (problem_id, org_unit_id) VALUES ($1, $2) "
                                 "ON CONFLICT DO NOTHING",
                                 {w.problem_id, unit}));
  }

  switch (w.action) {
    case ProblemAction::kExtend:
      ZB_RETURN_IF_ERROR(conn.Exec("INSERT INTO problem_extensions (problem_id, old_deadline, new_deadline, reason, "
                                   "requested_by, requested_at) VALUES ($1, $2, $3, $4, $5, $6)",
                                   {w.problem_id, db::Opt(before.deadline), db::Opt(w.new_deadline), w.comment,
                                    db::Opt(w.user_id), w.now}));
      break;
    case ProblemAction::kExtendDecide:
      ZB_RETURN_IF_ERROR(conn.Exec("UPDATE problem_extensions SET status = $2, decided_by = $3, decided_at = $4, "
                                   "decision_note = $5 WHERE problem_id = $1 AND status = 'pending'",
                                   {w.problem_id, std::string(w.grant ? "granted" : "refused"), db::Opt(w.user_id),
                                    w.now, w.comment}));
      break;
    case ProblemAction::kSupervise:
      ZB_RETURN_IF_ERROR(conn.Exec("INSERT INTO problem_supervisions (problem_id, instruction, respond_by, issued_by, "
                                   "issued_at) VALUES ($1, $2, $3, $4, $5)",
                                   {w.problem_id, w.instruction, db::Opt(w.respond_by), db::Opt(w.user_id), w.now}));
      break;
    case ProblemAction::kSuperviseRespond:
      ZB_RETURN_IF_ERROR(conn.Exec("UPDATE problem_supervisions SET response = $2, responded_by = $3, responded_at = "
                                   "$4 WHERE problem_id = $1 AND responded_at IS NULL",
                                   {w.problem_id, w.comment, db::Opt(w.user_id), w.now}));
      break;
    case ProblemAction::kAgenda:
      ZB_RETURN_IF_ERROR(conn.Exec("INSERT INTO problem_agenda (problem_id, meeting_on, comment, submitted_by, "
                                   "submitted_at) VALUES ($1, $2, $3, $4, $5)",
                                   {w.problem_id, db::Opt(w.meeting_on), w.comment, db::Opt(w.user_id), w.now}));
      break;
    case ProblemAction::kAgendaDecide:
      ZB_RETURN_IF_ERROR(conn.Exec("UPDATE problem_agenda SET decision = $2, bound_unit_ids = $3, decided_by = $4, "
                                   "decided_at = $5 WHERE problem_id = $1 AND decided_at IS NULL",
                                   {w.problem_id, w.comment, IdArray(w.bound_unit_ids).dump(), db::Opt(w.user_id),
                                    w.now}));
      break;
    default: break;
  }

  ZB_ASSIGN_OR_RETURN(Problem after, GetProblem(conn, w.problem_id));
  ZB_ASSIGN_OR_RETURN(int64_t event, InsertEvent(conn, w.problem_id, w.now, w.user_id, domain::Code(w.action),
                                                 before.status, after.status, w.comment, w.internal, w.data));
  ZB_RETURN_IF_ERROR(AttachToProblemEvent(conn, w.attachment_ids, event, w.user_id.value_or(0)));
  ZB_RETURN_IF_ERROR(Notify(conn, w, before, after));
  return event;
}

StatusOr<int64_t> EscalateAsSystem(db::Connection& conn, const std::vector<SystemEscalation>& items, Date today,
                                   int64_t now) {
  ZB_ASSIGN_OR_RETURN(auto cal, CurrentCalendar(conn));
  // The system acts as the coordinating bureau would.
  const domain::ProblemActor system{.can_write = true, .can_assign = true, .assign_over_coord = true};
  struct Target {
    int64_t id = 0;
    std::string name, path, level;
  };
  std::map<int64_t, std::optional<Target>> targets;  // coordinating unit → the level above, if any
  // Each chunk of items: what ApplyProblemAction would read (the item, its
  // unit chain), decided by the rule, then written for the chunk at once.
  constexpr size_t kChunk = 500;
  int64_t escalated = 0;
  for (size_t from = 0; from < items.size(); from += kChunk) {
    const size_t to = std::min(items.size(), from + kChunk);
    std::vector<int64_t> ids;
    for (size_t i = from; i < to; ++i) ids.push_back(items[i].problem_id);
    db::Params read_params;
    const std::string in = InList(ids, &read_params);
    ZB_ASSIGN_OR_RETURN(db::Result read, conn.Query("SELECT id, code, title, status, coord_unit_id, lead_unit_id "
                                                    "FROM problems WHERE id IN (" + in + ")",
                                                    read_params));
    std::unordered_map<int64_t, const db::Row*> rows;
    for (const db::Row& row : read.rows) rows[row.Int("id")] = &row;

    std::vector<db::Params> updates, events, notices;
    for (size_t i = from; i < to; ++i) {
      const SystemEscalation& item = items[i];
      if (!rows.contains(item.problem_id)) return NotFound(kNotFound, "id");
      const db::Row& p = *rows[item.problem_id];
      const int64_t coord = p.Int("coord_unit_id");
      if (!targets.contains(coord)) {
        ZB_ASSIGN_OR_RETURN(auto chain, UnitChain(conn, coord));
        auto unit = domain::EscalationTarget(chain);
        if (!unit) {
          targets[coord] = std::nullopt;
        } else {
          ZB_ASSIGN_OR_RETURN(auto u, conn.QueryOne("SELECT name, path FROM org_units WHERE id = $1", {unit->id}));
          if (!u) return NotFound("组织机构不存在 (no such org unit)", "org_unit_id");
          targets[coord] = Target{unit->id, u->Text("name"), u->Text("path"),
                                  std::string(domain::Code(*domain::LevelOfKind(unit->kind)))};
        }
      }
      const std::optional<Target>& target = targets[coord];
      domain::ProblemFacts facts;
      facts.status = domain::ParseProblemStatus(p.Text("status")).value_or(domain::ProblemStatus::kPending);
      facts.has_higher_level = target.has_value();
      auto change = domain::PlanAction(facts, system, {.action = ProblemAction::kEscalate, .today = today}, *cal);
      if (!change.ok()) {
        if (change.status().code() == StatusCode::kInvalidTransition) continue;  // the step counts as taken
        return change.status();
      }
      // An escalation changes the coordinating unit only; were the rule to
      // move the status too, the enterprise would need its notice.
      if (!change->escalate || change->to != facts.status) {
        return Internal("提级不应改变状态 (an escalation must not change the status)");
      }
      const std::string status(domain::Code(change->to));
      const std::string title = "问题「" + p.Text("title") + "」(" + p.Text("code") + ")已提级至" + target->name + "协调";
      const Json data = {{"from_unit_id", coord}, {"to_unit_id", target->id}, {"automatic", true}};
      updates.push_back({item.problem_id, status, target->id, target->path, target->level});
      events.push_back({item.problem_id, status, item.reason, data.dump()});
      notices.push_back({item.problem_id, title, item.reason, target->id, db::Opt(p.OptInt("lead_unit_id"))});
    }
    if (updates.empty()) continue;
    escalated += static_cast<int64_t>(updates.size());

    db::Params params = {now};
    ZB_RETURN_IF_ERROR(conn.Exec("UPDATE problems SET status = v.column2, updated_at = $1, version = version + 1, "
                                 "coord_unit_id = v.column3, coord_unit_path = v.column4, level = v.column5, "
                                 "escalated = 1, escalation_count = escalation_count + 1 FROM (VALUES " +
                                     ValuesList(updates, {"BIGINT", "TEXT", "BIGINT", "TEXT", "TEXT"}, &params) +
                                     ") AS v WHERE problems.id = v.column1",
                                 params));
    params = {now};
    ZB_RETURN_IF_ERROR(conn.Exec("INSERT INTO problem_events (problem_id, at, user_id, action, from_status, "
                                 "to_status, comment, internal, data) SELECT v.column1, CAST($1 AS BIGINT), NULL, 'escalate', "
                                 "v.column2, v.column2, v.column3, 0, v.column4 FROM (VALUES " +
                                     ValuesList(events, {"BIGINT", "TEXT", "TEXT", "TEXT"}, &params) +
                                     ") AS v ORDER BY v.column1",
                                 params));
    // Notify's recipients for an escalation: the new coordinating unit's and
    // the lead unit's active users, one notice each (a user has one unit).
    params = {now};
    ZB_RETURN_IF_ERROR(conn.Exec("INSERT INTO notifications (user_id, kind, title, body, entity_type, entity_id, "
                                 "created_at) SELECT u.id, 'problem.escalated', v.column2, v.column3, 'problem', "
                                 "v.column1, CAST($1 AS BIGINT) FROM (VALUES " +
                                     ValuesList(notices, {"BIGINT", "TEXT", "TEXT", "BIGINT", "BIGINT"}, &params) +
                                     ") AS v JOIN users u ON u.active = 1 AND (u.org_unit_id = v.column4 OR "
                                     "u.org_unit_id = v.column5) ORDER BY v.column1, u.id",
                                 params));
  }
  return escalated;
}

StatusOr<std::vector<ProblemEvent>> ListProblemEvents(db::Connection& conn, int64_t problem_id, bool for_enterprise) {
  std::string sql =
      "SELECT ev.*, u.display_name AS user_name FROM problem_events ev LEFT JOIN users u ON u.id = ev.user_id "
      "WHERE ev.problem_id = $1";
  if (for_enterprise) sql += " AND ev.internal = 0";
  ZB_ASSIGN_OR_RETURN(db::Result r, conn.Query(sql + " ORDER BY ev.at, ev.id", {problem_id}));
  std::vector<ProblemEvent> out;
  std::vector<int64_t> ids;
  for (const auto& row : r.rows) {
    ProblemEvent e{.id = row.Int("id"),
                   .at = row.Int("at"),
                   .user_id = row.OptInt("user_id"),
                   .user_name = row.Text("user_name"),
                   .action = row.Text("action"),
                   .from_status = row.Text("from_status"),
                   .to_status = row.Text("to_status"),
                   .comment = row.Text("comment"),
                   .internal = row.Bool("internal"),
                   .data = Json::parse(row.Text("data"), nullptr, false)};
    if (e.data.is_discarded()) e.data = Json::object();
    // The bureau's reasoning (assign, 延期审批, 提级) is not the enterprise's to read.
    if (for_enterprise && (e.action == "assign" || e.action == "extend_decide" || e.action == "escalate")) {
      e.comment.clear();
    }
    ids.push_back(e.id);
    out.push_back(std::move(e));
  }
  if (ids.empty()) return out;
  db::Params params;
  std::string in = InList(ids, &params);
  ZB_ASSIGN_OR_RETURN(db::Result files,
                      conn.Query("SELECT id, owner_id, filename, content_type, size FROM attachments WHERE "
                                 "owner_type = 'problem_event' AND owner_id IN (" + in + ") ORDER BY id",
                                 params));
  for (auto& e : out) {
    for (const auto& f : files.rows) {
      if (f.Int("owner_id") == e.id) {
        e.attachments.push_back({f.Int("id"), f.Text("filename"), f.Text("content_type"), f.Int("size")});
      }
    }
  }
  return out;
}

// ---- scope and list -----------------------------------------------------------

std::string OpenStatusSql(std::string_view column) {
  std::string in;
  for (const auto& st : domain::ProblemStatuses()) {
    if (domain::IsOpen(st.value)) in += (in.empty() ? "'" : ", '") + std::string(st.code) + "'";
  }
  return std::string(column) + " IN (" + in + ")";
}

namespace {

std::string Param(db::Params* params, db::Value v) {
  params->push_back(std::move(v));
  return "$" + std::to_string(params->size());
}

// The scope of docs/api-problems.md over rows p.
std::string ScopeWhereSql(const ProblemScope& s, db::Params* params) {
  if (s.enterprise_id) return "p.enterprise_id = " + Param(params, *s.enterprise_id);
  if (s.units.all) return "1=1";
  std::vector<std::string> parts;
  // Every term is one an index serves (a path range, an id list, the
  // co-units' item ids), so an engine can answer the OR as a union of index
  // reads rather than by reading every item.
  for (const auto& path : s.units.subtree_paths) {
    std::string a = PathUnder("p.org_unit_path", path, params), b = PathUnder("p.lead_unit_path", path, params),
                c = PathUnder("p.coord_unit_path", path, params), d = PathUnder("su.path", path, params);
    parts.push_back(a + " OR " + b + " OR " + c +
                    " OR p.id IN (SELECT sc.problem_id FROM problem_co_units sc JOIN org_units su ON su.id = "
                    "sc.org_unit_id WHERE " + d + ")");
  }
  if (!s.units.unit_ids.empty()) {
    std::string a = InList(s.units.unit_ids, params), b = InList(s.units.unit_ids, params),
                c = InList(s.units.unit_ids, params), d = InList(s.units.unit_ids, params);
    parts.push_back("p.org_unit_id IN (" + a + ") OR p.lead_unit_id IN (" + b + ") OR p.coord_unit_id IN (" + c +
                    ") OR p.id IN (SELECT sc.problem_id FROM problem_co_units sc WHERE sc.org_unit_id IN (" + d + "))");
  }
  if (s.units.self_user_id) {
    std::string a = Param(params, *s.units.self_user_id), b = Param(params, *s.units.self_user_id);
    parts.push_back("p.raised_by = " + a + " OR p.handler_id = " + b);
  }
  if (parts.empty()) return "1=0";
  std::string out = "(";
  for (size_t i = 0; i < parts.size(); ++i) out += (i ? " OR " : "") + std::string("(") + parts[i] + ")";
  return out + ")";
}

// Written as the open statuses, not "NOT IN (resolved, closed)", so the
// (status, deadline …) indexes serve it: "overdue" then counts over
// problems_open_stats_idx alone (migration 0012).
const std::string& OpenItems() {
  static const std::string sql = OpenStatusSql("p.status");
  return sql;
}

// The filter's WHERE over rows p, leaving out the facet dimension `skip`
// ("status", "category", "level", "source").
std::string FilterWhere(const ProblemScope& scope, const ProblemFilter& f, Date today, std::string_view skip,
                        db::Dialect dialect, db::Params* params) {
  std::string w = ScopeWhereSql(scope, params);
  auto eq = [&](const char* col, const std::optional<std::string>& v, std::string_view dim = "") {
    // dim "" = not a facet: always applied (skip is "" for the list itself).
    if (v && (dim.empty() || skip != dim)) w += std::string(" AND ") + col + " = " + Param(params, *v);
  };
  if (!f.statuses.empty() && skip != "status") {
    std::string in;
    for (const auto& s : f.statuses) in += (in.empty() ? "" : ", ") + Param(params, s);
    w += " AND p.status IN (" + in + ")";
  }
  eq("p.category", f.category, "category");
  eq("p.source", f.source, "source");
  eq("p.level", f.level, "level");
  eq("p.urgency", f.urgency);
  eq("p.satisfaction", f.satisfaction);
  if (f.org_unit_path) w += " AND " + PathUnder("p.org_unit_path", *f.org_unit_path, params);
  if (f.lead_unit_path) w += " AND " + PathUnder("p.lead_unit_path", *f.lead_unit_path, params);
  if (f.enterprise_id) w += " AND p.enterprise_id = " + Param(params, *f.enterprise_id);
  if (f.project_id) w += " AND p.project_id = " + Param(params, *f.project_id);
  if (f.overdue) {
    std::string t = Param(params, today.ToString());
    std::string cond = "(" + OpenItems() + " AND p.deadline IS NOT NULL AND p.deadline < " + t + ")";
    w += *f.overdue ? " AND " + cond : " AND NOT " + cond;
  }
  auto flag = [&](const char* col, const std::optional<bool>& v) {
    if (v) w += std::string(" AND ") + col + " = " + (*v ? "1" : "0");
  };
  flag("p.escalated", f.escalated);
  flag("p.supervised", f.supervised);
  flag("p.on_agenda", f.on_agenda);
  flag("p.on_spot", f.on_spot);
  if (f.raised_from) w += " AND p.raised_on >= " + Param(params, *f.raised_from);
  if (f.raised_to) w += " AND p.raised_on <= " + Param(params, *f.raised_to);
  if (f.mine_handler) w += " AND p.handler_id = " + Param(params, *f.mine_handler);
  if (f.mine_unit) {
    std::string a = Param(params, *f.mine_unit), b = Param(params, *f.mine_unit);
    w += " AND (p.lead_unit_id = " + a +
         " OR EXISTS (SELECT 1 FROM problem_co_units mc WHERE mc.problem_id = p.id AND mc.org_unit_id = " + b + "))";
  }
  if (!f.q.empty()) {
    // A piece of the code, title or description, or of the enterprise's or
    // the project's name — those two as id lists (one scan of the names,
    // not two joins per item: 4× faster at 500 000 items). Latin letters in
    // either case: SQLite's LIKE ignores their case itself, PostgreSQL's
    // needs lower() on both sides (and a lower() per row costs SQLite 2×).
    const bool pg = dialect == db::Dialect::kPostgres;
    auto like = [&](const std::string& col) {
      const std::string pattern = Param(params, "%" + EscapeLike(f.q) + "%");
      return (pg ? "lower(" + col + ") LIKE lower(" + pattern + ")" : col + " LIKE " + pattern) + " ESCAPE '\\'";
    };
    w += " AND (" + like("p.code") + " OR " + like("p.title") + " OR " + like("p.description") +
         " OR p.enterprise_id IN (SELECT qe.id FROM enterprises qe WHERE " + like("qe.name") + ")" +
         " OR p.project_id IN (SELECT qp.id FROM projects qp WHERE " + like("qp.name") + "))";
  }
  return w;
}

// ORDER BY for a sort key; NULLs last either way, id breaks ties.
std::string OrderBy(const std::string& sort, Date today, db::Params* params) {
  bool desc = sort.starts_with('-');
  std::string key = desc ? sort.substr(1) : sort;
  std::string dir = desc ? " DESC" : " ASC";
  std::string expr;
  if (key == "status") {
    expr = "CASE p.status WHEN 'pending' THEN 0 WHEN 'returned' THEN 1 WHEN 'assigned' THEN 2 WHEN 'in_progress' "
           "THEN 3 WHEN 'resolved' THEN 4 ELSE 5 END";
  } else if (key == "urgency") {
    expr = "CASE p.urgency WHEN 'normal' THEN 0 WHEN 'urgent' THEN 1 ELSE 2 END";
  } else if (key == "overdue_days") {
    // Overdue days grow as the deadline recedes: order by the deadline the
    // other way round, items not overdue counting as 0 (first ascending).
    std::string t = Param(params, today.ToString());
    std::string od = "CASE WHEN " + OpenItems() + " AND p.deadline < " + t + " THEN p.deadline END";
    return " ORDER BY (" + od + ") IS NULL" + (desc ? " ASC" : " DESC") + ", " + od + (desc ? " ASC" : " DESC") +
           ", p.id" + dir;
  } else if (key == "code") {
    return " ORDER BY p.code" + dir;  // unique and never NULL: its index gives the page
  } else if (key == "updated_at" || key == "raised_on") {
    // Never NULL: the index (raised_on, id) / (updated_at) walks the order.
    return " ORDER BY p." + key + dir + ", p.id" + dir;
  } else if (key == "deadline") {
    expr = "p.deadline";
  } else {
    expr = "p.raised_on";
  }
  return " ORDER BY (" + expr + ") IS NULL, " + expr + dir + ", p.id" + dir;
}

}  // namespace

std::string ProblemFromWhere(const ProblemScope& scope, const ProblemFilter& f, Date today, db::Dialect dialect,
                             db::Params* params) {
  return " FROM problems p WHERE " + FilterWhere(scope, f, today, "", dialect, params);
}

bool IsProblemSortKey(std::string_view key) {
  if (key.starts_with('-')) key.remove_prefix(1);
  for (const char* k : {"raised_on", "deadline", "status", "urgency", "overdue_days", "code", "updated_at"}) {
    if (key == k) return true;
  }
  return false;
}

bool ProblemInScope(const ProblemScope& s, const Problem& p) {
  if (s.enterprise_id) return p.enterprise_id && *p.enterprise_id == *s.enterprise_id;
  if (s.units.all) return true;
  auto under = [&](const std::optional<std::string>& path) {
    if (!path) return false;
    for (const auto& prefix : s.units.subtree_paths) {
      if (path->starts_with(prefix)) return true;
    }
    return false;
  };
  auto is_unit = [&](std::optional<int64_t> id) {
    return id && std::find(s.units.unit_ids.begin(), s.units.unit_ids.end(), *id) != s.units.unit_ids.end();
  };
  if (under(p.org_unit_path) || under(p.lead_unit_path) || under(p.coord_unit_path)) return true;
  if (is_unit(p.org_unit_id) || is_unit(p.lead_unit_id) || is_unit(p.coord_unit_id)) return true;
  for (const auto& c : p.co_units) {
    if (is_unit(c.id) || under(c.path)) return true;
  }
  if (s.units.self_user_id && (p.raised_by == s.units.self_user_id || p.handler_id == s.units.self_user_id)) {
    return true;
  }
  return false;
}

namespace {

// The whole rows of `ids`, in that order.
StatusOr<std::vector<Problem>> LoadByIds(db::Connection& conn, const std::vector<int64_t>& ids) {
  if (ids.empty()) return std::vector<Problem>{};
  db::Params params;
  std::string in = InList(ids, &params);
  ZB_ASSIGN_OR_RETURN(db::Result r, conn.Query(std::string(ZB_PROBLEM_SELECT) + "WHERE p.id IN (" + in + ")", params));
  std::unordered_map<int64_t, size_t> at;
  for (size_t i = 0; i < ids.size(); ++i) at[ids[i]] = i;
  std::vector<Problem> items(ids.size());
  for (const auto& row : r.rows) items[at[row.Int("id")]] = FromRow(row);
  std::erase_if(items, [](const Problem& p) { return p.id == 0; });  // gone since the first read
  ZB_RETURN_IF_ERROR(LoadCoUnits(conn, items));
  return items;
}

// The facet dimensions, as the columns they count.
constexpr const char* kFacetDims[] = {"status", "category", "level", "source"};

bool FacetFiltered(const ProblemFilter& f, std::string_view dim) {
  if (dim == "status") return !f.statuses.empty();
  if (dim == "category") return f.category.has_value();
  if (dim == "level") return f.level.has_value();
  return f.source.has_value();
}

// Whether the filter narrows nothing but the four facet columns (the ledger
// as it opens, a status tab, a facet clicked).
bool OnlyFacetFilters(const ProblemFilter& f) {
  ProblemFilter rest = f;
  rest.statuses.clear();
  rest.category.reset();
  rest.level.reset();
  rest.source.reset();
  rest.sort = ProblemFilter{}.sort;  // the order changes the page, not the counts
  return rest == ProblemFilter{};
}

// A facet column's value in a problem_facet_counts row, and whether the
// filter lets that value through.
bool FacetPasses(const ProblemFilter& f, std::string_view dim, const std::string& v) {
  if (dim == "status") return f.statuses.empty() || std::find(f.statuses.begin(), f.statuses.end(), v) != f.statuses.end();
  if (dim == "category") return !f.category || *f.category == v;
  if (dim == "level") return !f.level || *f.level == v;
  return !f.source || *f.source == v;
}

// The total and the facets for a caller who sees every item and filters on
// the facet columns alone, from problem_facet_counts (a few hundred rows
// kept by triggers: SQLite's migration 0013, PostgreSQL's 0017) instead of
// counting the ledger: the same answers as the count below,
// which tests/api/problem_facet_counts_test.cc checks against each other
// after every kind of write.
Status CountFromFacetTable(db::Connection& conn, const ProblemFilter& f, bool facets, ProblemPage& out) {
  ZB_ASSIGN_OR_RETURN(db::Result r, conn.Query("SELECT status, category, level, source, n FROM problem_facet_counts "
                                               "WHERE n > 0"));
  std::map<std::string, std::map<std::string, int64_t>> counts;
  for (const auto& row : r.rows) {
    const int64_t n = row.Int("n");
    std::string values[4];
    bool passes[4];
    int failing = 0;
    for (int i = 0; i < 4; ++i) {
      values[i] = row.Text(i);
      passes[i] = FacetPasses(f, kFacetDims[i], values[i]);
      failing += passes[i] ? 0 : 1;
    }
    if (failing == 0) out.total += n;
    if (!facets) continue;
    // A dimension counts the rows every OTHER dimension's filter lets through.
    for (int i = 0; i < 4; ++i) {
      if (failing == 0 || (failing == 1 && !passes[i])) counts[kFacetDims[i]][values[i]] += n;
    }
  }
  if (!facets) return Status();
  for (const char* dim : kFacetDims) {
    auto& list = out.facets[dim];
    for (const auto& [v, n] : counts[dim]) list.push_back({.value = v, .count = n});
  }
  return Status();
}

}  // namespace

StatusOr<ProblemPage> ListProblems(db::Connection& conn, const ProblemScope& scope, const ProblemFilter& f, Date today,
                                   int64_t page, int64_t page_size, bool facets) {
  ProblemPage out;
  {
    // The page's ids first, sorted on the item's own columns (an index walk
    // for the usual orders), then the whole rows of those alone: the joins
    // for names run for one page, not for every filtered item.
    // The list's statements are planned with their values (kPlanPerCall):
    // their answers are kept per data version, and a generic plan for a
    // filter's ranges took one page from 80 ms to 3 s on PostgreSQL.
    db::Params params;
    std::string sql = std::string(db::kPlanPerCall) + "SELECT p.id FROM problems p WHERE " +
                      FilterWhere(scope, f, today, "", conn.dialect(), &params) + OrderBy(f.sort, today, &params) +
                      LimitOffset(page, page_size, &params);
    ZB_ASSIGN_OR_RETURN(db::Result r, conn.Query(sql, params));
    std::vector<int64_t> ids;
    for (const auto& row : r.rows) ids.push_back(row.Int("id"));
    ZB_ASSIGN_OR_RETURN(out.items, LoadByIds(conn, ids));
  }
  if (scope.units.all && !scope.enterprise_id && OnlyFacetFilters(f)) {
    ZB_RETURN_IF_ERROR(CountFromFacetTable(conn, f, facets, out));
    return out;
  }
  // The total, and the facets of every dimension the filter leaves free,
  // from ONE grouped count (over an index holding the four columns); a
  // dimension the filter narrows counts without its own condition, so its
  // facet still offers the other values.
  // SQLite would walk a facet's index in order to spare sorting a few
  // hundred groups, reading a row per entry whenever the filter or the
  // scope needs a column the index lacks (the whole table for 督办 or a
  // keyword: 2.0 s at 500 000 items); "+" makes a key an expression, so it
  // reads the rows the filter or the scope's index reads select, then
  // groups them (0.17 s; a department's 1.95 → 0.16 s). (Facet-only filters
  // over every item never come here: CountFromFacetTable.)
  const std::string key_prefix = conn.dialect() == db::Dialect::kSqlite ? "+" : "";
  std::vector<std::string> grouped;
  for (const char* dim : kFacetDims) {
    if (facets) out.facets[dim];  // every dimension answers, if only with []
    if (facets && !FacetFiltered(f, dim)) grouped.push_back(std::string("p.") + dim);
  }
  {
    db::Params params;
    std::string cols;
    for (const auto& c : grouped) cols += c + ", ";
    std::string sql = std::string(db::kPlanPerCall) + "SELECT " + cols + "COUNT(*) AS n FROM problems p WHERE " +
                      FilterWhere(scope, f, today, "", conn.dialect(), &params);
    if (!grouped.empty()) {
      std::string keys;
      for (const auto& c : grouped) keys += (keys.empty() ? "" : ", ") + key_prefix + c;
      sql += " GROUP BY " + keys;
    }
    ZB_ASSIGN_OR_RETURN(db::Result r, conn.Query(sql, params));
    std::map<std::string, std::map<std::string, int64_t>> counts;
    for (const auto& row : r.rows) {
      const int64_t n = row.Int("n");
      out.total += n;
      for (size_t i = 0; i < grouped.size(); ++i) counts[grouped[i].substr(2)][row.Text(i)] += n;
    }
    for (const auto& [dim, by_value] : counts) {
      auto& list = out.facets[dim];
      for (const auto& [v, n] : by_value) list.push_back({.value = v, .count = n});
    }
  }
  if (!facets) return out;
  for (const char* dim : kFacetDims) {
    if (!FacetFiltered(f, dim)) continue;
    db::Params params;
    std::string where = FilterWhere(scope, f, today, dim, conn.dialect(), &params);
    ZB_ASSIGN_OR_RETURN(db::Result r, conn.Query(std::string(db::kPlanPerCall) + "SELECT p." + dim +
                                                     " AS v, COUNT(*) AS n FROM problems p WHERE " + where +
                                                     " GROUP BY " + key_prefix + "p." + dim + " ORDER BY p." + dim,
                                                 params));
    auto& list = out.facets[dim];
    for (const auto& row : r.rows) list.push_back({.value = row.Text("v"), .count = row.Int("n")});
  }
  return out;
}

StatusOr<std::vector<Problem>> ListAllProblems(db::Connection& conn, const ProblemScope& scope,
                                               const ProblemFilter& f, Date today, int64_t limit) {
  db::Params params;
  std::string where = FilterWhere(scope, f, today, "", conn.dialect(), &params);
  std::string sql = std::string(ZB_PROBLEM_SELECT) + "WHERE " + where + OrderBy(f.sort, today, &params) +
                    " LIMIT " + Param(&params, limit);
  ZB_ASSIGN_OR_RETURN(db::Result r, conn.Query(sql, params));
  std::vector<Problem> items;
  items.reserve(r.rows.size());
  for (const auto& row : r.rows) items.push_back(FromRow(row));
  ZB_RETURN_IF_ERROR(LoadCoUnits(conn, items));
  return items;
}

// ---- settings -----------------------------------------------------------------

StatusOr<ProblemSettings> GetProblemSettings(db::Connection& conn) {
  ProblemSettings s;
  ZB_ASSIGN_OR_RETURN(auto row, conn.QueryOne("SELECT default_sla_days, auto_escalate_days, version FROM "
                                              "problem_settings WHERE id = 1"));
  if (!row) return Internal("问题设置缺失 (problem_settings has no row)");
  s.default_sla_days = row->Int("default_sla_days");
  s.auto_escalate_days = row->Int("auto_escalate_days");
  s.version = row->Int("version");
  ZB_ASSIGN_OR_RETURN(db::Result r, conn.Query("SELECT category, days FROM problem_sla ORDER BY category"));
  for (const auto& x : r.rows) s.sla_days[x.Text("category")] = x.Int("days");
  return s;
}

Status PutProblemSettings(db::Connection& conn, const ProblemSettings& s, int64_t expected_version,
                          std::optional<int64_t> user_id, int64_t now) {
  ZB_ASSIGN_OR_RETURN(db::Result r, conn.Query("UPDATE problem_settings SET default_sla_days = $2, auto_escalate_days "
                                               "= $3, version = version + 1, updated_at = $4, updated_by = $5 WHERE "
                                               "id = 1 AND version = $1",
                                               {expected_version, s.default_sla_days, s.auto_escalate_days, now,
                                                db::Opt(user_id)}));
  if (r.affected == 0) {
    return VersionConflict("设置已被他人修改,请刷新后重试 (version " + std::to_string(expected_version) +
                           " is stale)");
  }
  ZB_RETURN_IF_ERROR(conn.Exec("DELETE FROM problem_sla"));
  for (const auto& [category, days] : s.sla_days) {
    ZB_RETURN_IF_ERROR(conn.Exec("INSERT INTO problem_sla (category, days) VALUES ($1, $2)", {category, days}));
  }
  return Status::Ok();
}

int64_t SlaDaysFor(const ProblemSettings& s, const std::string& category) {
  auto it = s.sla_days.find(category);
  return it == s.sla_days.end() ? s.default_sla_days : it->second;
}

}  // namespace zb::storage
