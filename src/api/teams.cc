// /api/v1/teams — 专班: a named team of 组长, 副组长 and 组员 serving one or
// more projects. Teams are the district's (officials of every unit sit on
// them), so every official with project:read sees every team; the projects
// a team's page lists are only those in the caller's data scope. A user
// bound to an enterprise sees only the teams serving its own projects.
#include <algorithm>
#include <set>
#include <string>

#include "api/api.h"
#include "api/audit.h"
#include "api/json_input.h"
#include "api/project_input.h"
#include "api/scope.h"
#include "core/date.h"
#include "core/text.h"
#include "storage/project_repo.h"
#include "storage/team_repo.h"
#include "storage/user_repo.h"

namespace zb::api {

using http::Json;
using http::Request;
using http::Response;

namespace {

constexpr size_t kMaxMembers = 50;

Json MemberJson(const storage::TeamMember& m) {
  return {{"user_id", m.user_id}, {"name", m.name}, {"org_unit_name", m.org_unit_name}, {"role", m.role}};
}

Json ToJson(const storage::Team& t, const Json& projects) {
  Json members = Json::array();
  for (const auto& m : t.members) members.push_back(MemberJson(m));
  Json out = {{"id", t.id},
              {"name", t.name},
              {"remark", t.remark},
              {"members", members},
              {"project_count", t.project_count},
              {"version", t.version},
              {"created_at", FormatRfc3339(t.created_at)},
              {"updated_at", FormatRfc3339(t.updated_at)}};
  if (!projects.is_null()) out["projects"] = projects;
  return out;
}

// The team's projects the caller may see.
StatusOr<Json> VisibleProjects(db::Connection& conn, const http::Principal& p, int64_t team_id) {
  ZB_ASSIGN_OR_RETURN(auto projects, storage::ListTeamProjects(conn, team_id));
  Json out = Json::array();
  for (const auto& tp : projects) {
    // A team serves a handful of projects: read each whole for the one
    // visibility rule (仅本人 needs its 包保领导 and 包联人员).
    ZB_ASSIGN_OR_RETURN(auto full, storage::GetProject(conn, tp.id));
    if (!ProjectVisible(p, full)) continue;
    out.push_back({{"id", tp.id}, {"code", tp.code}, {"name", tp.name}});
  }
  return out;
}

// A team as the caller may read it: enterprise users only those serving one
// of their projects.
StatusOr<storage::Team> VisibleTeam(db::Connection& conn, const http::Principal& p, int64_t id, Json* projects) {
  auto team = storage::GetTeam(conn, id);
  if (team.status().code() == StatusCode::kNotFound) return NotVisible("专班", "team");
  ZB_RETURN_IF_ERROR(team.status());
  ZB_ASSIGN_OR_RETURN(*projects, VisibleProjects(conn, p, id));
  if (p.enterprise_id && projects->empty()) return NotVisible("专班", "team");
  return team;
}

Json TeamSchema() {
  Json member = {{"type", "object"},
                 {"properties",
                  {{"user_id", {{"type", "integer"}}},
                   {"name", {{"type", "string"}}},
                   {"org_unit_name", {{"type", "string"}}},
                   {"role", {{"type", "string"}, {"description", "leader 组长 / deputy 副组长 / member 组员"}}}}}};
  Json project = {{"type", "object"},
                  {"properties", {{"id", {{"type", "integer"}}}, {"code", {{"type", "string"}}}, {"name", {{"type", "string"}}}}}};
  return {{"type", "object"},
          {"properties",
           {{"id", {{"type", "integer"}}},
            {"name", {{"type", "string"}}},
            {"remark", {{"type", "string"}}},
            {"members", {{"type", "array"}, {"items", member}}},
            {"projects", {{"type", "array"}, {"items", project}}},
            {"project_count", {{"type", "integer"}}},
            {"version", {{"type", "integer"}}},
            {"created_at", {{"type", "string"}, {"format", "date-time"}}},
            {"updated_at", {{"type", "string"}, {"format", "date-time"}}}}}};
}

Json InputSchema(bool creating) {
  Json member = {{"type", "object"},
                 {"required", {"user_id", "role"}},
                 {"properties", {{"user_id", {{"type", "integer"}}}, {"role", {{"type", "string"}}}}}};
  Json props = {{"name", {{"type", "string"}}},
                {"remark", {{"type", "string"}}},
                {"members", {{"type", "array"}, {"items", member}}}};
  Json s = {{"type", "object"}, {"additionalProperties", false}};
  if (creating) {
    s["required"] = {"name", "members"};
  } else {
    props["version"] = {{"type", "integer"}, {"description", "or the If-Match header"}};
  }
  s["properties"] = props;
  return s;
}

// Reads the body onto `d`; members replace the whole list when given.
Status ApplyBody(const Json& body, bool creating, storage::TeamData* d) {
  std::optional<std::string> name, remark;
  ZB_RETURN_IF_ERROR(GetString(body, "name", &name));
  ZB_RETURN_IF_ERROR(GetString(body, "remark", &remark));
  if (name) d->name = *name;
  if (remark) d->remark = *remark;
  if (creating && !name) return ValidationFailed("请填写专班名称 (name is required)", "name");
  ZB_RETURN_IF_ERROR(ValidateLine(d->name, "name", "专班名称", 50, false));
  ZB_RETURN_IF_ERROR(ValidateLine(d->remark, "remark", "备注", 200, true));
  auto it = body.find("members");
  if (it == body.end() || it->is_null()) {
    if (creating) return ValidationFailed("请添加专班成员,至少一名组长 (members are required)", "members");
    return Status::Ok();
  }
  if (!it->is_array()) return ValidationFailed("成员应为列表 (members must be an array)", "members");
  if (it->size() > kMaxMembers) return ValidationFailed("专班成员至多 50 人 (at most 50 members)", "members");
  std::vector<storage::TeamMember> members;
  std::set<int64_t> seen;
  int leaders = 0;
  for (const Json& m : *it) {
    const std::string field = "members[" + std::to_string(members.size()) + "]";
    if (!m.is_object()) return ValidationFailed("成员应为对象 (a member must be an object)", field);
    ZB_RETURN_IF_ERROR(CheckObject(m, {"user_id", "role"}));
    std::optional<int64_t> user_id;
    std::optional<std::string> role;
    ZB_RETURN_IF_ERROR(GetInt(m, "user_id", &user_id));
    ZB_RETURN_IF_ERROR(GetString(m, "role", &role));
    if (!user_id || *user_id <= 0) return ValidationFailed("请选择成员 (user_id is required)", field + ".user_id");
    std::string r = role.value_or("member");
    if (r == "组长") r = "leader";
    if (r == "副组长") r = "deputy";
    if (r == "组员") r = "member";
    if (r != "leader" && r != "deputy" && r != "member") {
      return ValidationFailed("成员角色应为 组长/副组长/组员 (role: leader, deputy or member)", field + ".role");
    }
    if (!seen.insert(*user_id).second) {
      return ValidationFailed("同一人不能在专班中出现两次 (a user appears twice)", field + ".user_id");
    }
    leaders += r == "leader";
    members.push_back({.user_id = *user_id, .role = r});
  }
  if (leaders != 1) {
    return ValidationFailed("专班应有且只有一名组长(现有 " + std::to_string(leaders) + " 名) (exactly one leader)",
                            "members");
  }
  d->members = std::move(members);
  return Status::Ok();
}

// New members must be active users.
Status CheckMembers(db::Connection& conn, const storage::TeamData& d, const storage::Team* current) {
  for (size_t i = 0; i < d.members.size(); ++i) {
    const auto& m = d.members[i];
    bool already = current && std::any_of(current->members.begin(), current->members.end(),
                                          [&](const storage::TeamMember& c) { return c.user_id == m.user_id; });
    if (already) continue;
    const std::string field = "members[" + std::to_string(i) + "].user_id";
    auto u = storage::GetUser(conn, m.user_id);
    if (u.status().code() == StatusCode::kNotFound) return NotFound("用户不存在 (no such user)", field);
    ZB_RETURN_IF_ERROR(u.status());
    if (!u->active) return ValidationFailed("用户 " + u->display_name + " 已停用 (the user is deactivated)", field);
    if (u->enterprise_id) return ValidationFailed("企业用户不能加入专班 (enterprise users cannot join)", field);
  }
  return Status::Ok();
}

Status Duplicate(const std::string& name) {
  return AlreadyExists("专班名称 " + QuoteForMessage(name) + " 已被使用 (team name already in use)", "name");
}

}  // namespace

void RegisterTeamRoutes(http::Router& router, ApiContext& ctx) {
  const std::string kTag = "teams";

  router.Add("GET", "/api/v1/teams",
             {.summary = "专班列表,按名称 (teams)",
              .tag = kTag,
              .permission = "project:read",
              .query = {{.name = "keyword", .description = "专班名称的一部分"},
                        {.name = "page", .type = "integer"},
                        {.name = "page_size", .type = "integer"}},
              .response_schema = {{"type", "object"},
                                  {"properties",
                                   {{"items", {{"type", "array"}, {"items", TeamSchema()}}},
                                    {"total", {{"type", "integer"}}},
                                    {"page", {{"type", "integer"}}},
                                    {"page_size", {{"type", "integer"}}}}}}},
             [&ctx](Request& req) -> StatusOr<Response> {
               ZB_ASSIGN_OR_RETURN(Paging paging, QueryPaging(req));
               std::string keyword(req.Query("keyword").value_or(""));
               ZB_RETURN_IF_ERROR(ValidateLine(keyword, "keyword", "关键词", 50, true));
               const http::Principal& p = *req.principal();
               ZB_ASSIGN_OR_RETURN(auto conn, ctx.pool->Read());
               Json items = Json::array();
               int64_t total = 0;
               if (p.enterprise_id) {
                 // The teams serving the enterprise's own projects (a handful).
                 storage::ProjectFilter f{.only_enterprise_id = *p.enterprise_id,
                                          .page_size = storage::kMaxPageSize,
                                          .with_facets = false};
                 std::set<int64_t> team_ids;
                 ZB_RETURN_IF_ERROR(storage::ForEachProject(*conn, f, [&](const storage::Project& pr) -> Status {
                   team_ids.insert(pr.data.team_ids.begin(), pr.data.team_ids.end());
                   return Status::Ok();
                 }));
                 for (int64_t id : team_ids) {
                   ZB_ASSIGN_OR_RETURN(auto t, storage::GetTeam(*conn, id));
                   if (!keyword.empty() && t.name.find(keyword) == std::string::npos) continue;
                   items.push_back(ToJson(t, nullptr));
                 }
                 total = static_cast<int64_t>(items.size());
               } else {
                 ZB_ASSIGN_OR_RETURN(auto page, storage::ListTeams(*conn, {.keyword = keyword,
                                                                          .page = paging.page,
                                                                          .page_size = paging.page_size}));
                 for (const auto& t : page.items) items.push_back(ToJson(t, nullptr));
                 total = page.total;
               }
               return Response::Json({{"items", std::move(items)},
                                      {"total", total},
                                      {"page", paging.page},
                                      {"page_size", paging.page_size}});
             });

  router.Add("GET", "/api/v1/teams/{id}",
             {.summary = "专班详情:成员与所服务的项目(限本人数据范围) (one team)",
              .tag = kTag,
              .permission = "project:read",
              .response_schema = TeamSchema()},
             [&ctx](Request& req) -> StatusOr<Response> {
               ZB_ASSIGN_OR_RETURN(int64_t id, req.PathId());
               ZB_ASSIGN_OR_RETURN(auto conn, ctx.pool->Read());
               Json projects;
               ZB_ASSIGN_OR_RETURN(auto team, VisibleTeam(*conn, *req.principal(), id, &projects));
               return Response::Json(ToJson(team, projects));
             });

  router.Add("POST", "/api/v1/teams",
             {.summary = "新建专班 (create a team)",
              .tag = kTag,
              .permission = "project:write",
              .request_schema = InputSchema(true),
              .response_schema = TeamSchema(),
              .success_status = 201},
             [&ctx](Request& req) -> StatusOr<Response> {
               ZB_ASSIGN_OR_RETURN(Json body, req.JsonBody());
               ZB_RETURN_IF_ERROR(CheckObject(body, {"name", "remark", "members"}));
               storage::TeamData data;
               ZB_RETURN_IF_ERROR(ApplyBody(body, /*creating=*/true, &data));
               Json out;
               int64_t id = 0;
               int64_t now = ctx.clock->NowMs();
               Status s = db::InTx(*ctx.pool, [&](db::Connection& c) -> Status {
                 ZB_RETURN_IF_ERROR(CheckMembers(c, data, nullptr));
                 ZB_ASSIGN_OR_RETURN(auto team, storage::CreateTeam(c, data, now));
                 id = team.id;
                 out = ToJson(team, Json::array());
                 return RecordAudit(c, req, now, "create", "team", std::to_string(id), ChangedFields(nullptr, out));
               });
               if (s.code() == StatusCode::kAlreadyExists && s.field() == "name") return Duplicate(data.name);
               ZB_RETURN_IF_ERROR(s);
               Response r = Response::Json(201, out);
               r.With("Location", "/api/v1/teams/" + std::to_string(id));
               return r;
             });

  router.Add("PATCH", "/api/v1/teams/{id}",
             {.summary = "修改专班,需带版本号 (update a team)",
              .tag = kTag,
              .permission = "project:write",
              .request_schema = InputSchema(false),
              .response_schema = TeamSchema()},
             [&ctx](Request& req) -> StatusOr<Response> {
               ZB_ASSIGN_OR_RETURN(int64_t id, req.PathId());
               const http::Principal& p = *req.principal();
               {
                 ZB_ASSIGN_OR_RETURN(auto conn, ctx.pool->Read());
                 Json ignored;
                 ZB_RETURN_IF_ERROR(VisibleTeam(*conn, p, id, &ignored).status());
               }
               ZB_ASSIGN_OR_RETURN(Json body, req.JsonBody());
               ZB_RETURN_IF_ERROR(CheckObject(body, {"name", "remark", "members", "version"}));
               ZB_ASSIGN_OR_RETURN(int64_t version, RequiredVersion(req, body));
               Json out;
               std::string name;
               int64_t now = ctx.clock->NowMs();
               Status s = db::InTx(*ctx.pool, [&](db::Connection& c) -> Status {
                 Json projects;
                 ZB_ASSIGN_OR_RETURN(auto before, VisibleTeam(c, p, id, &projects));
                 if (before.version != version) return VersionConflict("stale");
                 storage::TeamData data{.name = before.name, .remark = before.remark, .members = before.members};
                 ZB_RETURN_IF_ERROR(ApplyBody(body, /*creating=*/false, &data));
                 ZB_RETURN_IF_ERROR(CheckMembers(c, data, &before));
                 name = data.name;
                 ZB_ASSIGN_OR_RETURN(auto after, storage::UpdateTeam(c, id, version, data, now));
                 out = ToJson(after, projects);
                 return RecordAudit(c, req, now, "update", "team", std::to_string(id),
                                    ChangedFields(ToJson(before, projects), out));
               });
               if (s.code() == StatusCode::kVersionConflict) {
                 ZB_ASSIGN_OR_RETURN(auto conn, ctx.pool->Read());
                 Json projects;
                 ZB_ASSIGN_OR_RETURN(auto current, VisibleTeam(*conn, p, id, &projects));
                 return Response::Error(VersionConflict("该专班已被他人修改,请刷新后再改 (changed by someone else)"),
                                        {{"current", ToJson(current, projects)}});
               }
               if (s.code() == StatusCode::kAlreadyExists && s.field() == "name") return Duplicate(name);
               ZB_RETURN_IF_ERROR(s);
               return Response::Json(out);
             });

  router.Add("DELETE", "/api/v1/teams/{id}",
             {.summary = "删除专班;仍服务项目时不能删除 (delete a team that serves no project)",
              .tag = kTag,
              .permission = "project:write",
              .success_status = 204},
             [&ctx](Request& req) -> StatusOr<Response> {
               ZB_ASSIGN_OR_RETURN(int64_t id, req.PathId());
               const http::Principal& p = *req.principal();
               int64_t now = ctx.clock->NowMs();
               Status s = db::InTx(*ctx.pool, [&](db::Connection& c) -> Status {
                 Json projects;
                 ZB_ASSIGN_OR_RETURN(auto before, VisibleTeam(c, p, id, &projects));
                 if (before.project_count > 0) {
                   return Conflict("专班「" + before.name + "」仍在服务 " + std::to_string(before.project_count) +
                                       " 个项目,请先在项目中移除该专班 (the team still serves projects)",
                                   "id");
                 }
                 ZB_RETURN_IF_ERROR(storage::DeleteTeam(c, id));
                 return RecordAudit(c, req, now, "delete", "team", std::to_string(id),
                                    ChangedFields(ToJson(before, projects), Json::object()));
               });
               ZB_RETURN_IF_ERROR(s);
               return Response::NoContent();
             });
}

}  // namespace zb::api
