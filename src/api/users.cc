// /api/v1/users — accounts: list and read through the caller's data scope,
// create with a one-time password, edit, reset the password, unlock.
//
// Guard rails beyond validation: a user is placed only in an active unit the
// caller sees; a caller grants only roles that give nothing beyond what they
// hold themselves (permissions and data scope), and for the same reason edits,
// resets and unlocks only accounts holding no more than they do — otherwise a
// 镇街 administrator could reset the 系统管理员's password and sign in as them.
// Nobody deactivates their own account or takes away their own user:write.
#include <algorithm>
#include <map>

#include "api/api.h"
#include "api/audit.h"
#include "api/enterprises.h"
#include "api/json_input.h"
#include "api/scope.h"
#include "core/date.h"
#include "core/text.h"
#include "domain/data_scope.h"
#include "domain/password.h"
#include "storage/org_unit_repo.h"
#include "storage/role_repo.h"
#include "storage/session_repo.h"
#include "storage/user_repo.h"

namespace zb::api {

using http::Json;
using http::Request;
using http::Response;

namespace {

constexpr char kUserWrite[] = "user:write";

using RoleIndex = std::map<int64_t, storage::Role>;

StatusOr<RoleIndex> IndexRoles(db::Connection& conn) {
  ZB_ASSIGN_OR_RETURN(auto roles, storage::ListRoles(conn));
  RoleIndex out;
  for (auto& r : roles) out.emplace(r.id, std::move(r));
  return out;
}

Json ToJson(const storage::User& u, const RoleIndex& roles, int64_t now_ms) {
  Json named = Json::array();
  for (int64_t id : u.role_ids) {
    auto it = roles.find(id);
    if (it != roles.end()) named.push_back({{"id", id}, {"code", it->second.code}, {"name", it->second.name}});
  }
  const bool locked = u.locked_until && *u.locked_until > now_ms;
  return {{"id", u.id},
          {"login", u.login},
          {"display_name", u.display_name},
          {"mobile", u.mobile},
          {"email", u.email},
          {"org_unit_id", u.org_unit_id},
          {"org_unit_name", u.org_unit_name},
          {"enterprise_id", u.enterprise_id ? Json(*u.enterprise_id) : Json(nullptr)},
          {"active", u.active},
          {"locked", locked},
          {"locked_until", locked ? Json(FormatRfc3339(*u.locked_until)) : Json(nullptr)},
          {"must_change_password", u.must_change_password},
          {"password_changed_at", FormatRfc3339(u.password_changed_at)},
          {"roles", named},
          {"role_ids", u.role_ids},
          {"version", u.version},
          {"created_at", FormatRfc3339(u.created_at)},
          {"updated_at", FormatRfc3339(u.updated_at)}};
}

Json UserSchema() {
  Json str = {{"type", "string"}};
  Json integer = {{"type", "integer"}};
  Json time = {{"type", "string"}, {"format", "date-time"}};
  return {{"type", "object"},
          {"properties",
           {{"id", integer},
            {"login", str},
            {"display_name", str},
            {"mobile", str},
            {"email", str},
            {"org_unit_id", integer},
            {"org_unit_name", str},
            {"enterprise_id", {{"type", "integer"}, {"nullable", true}}},
            {"active", {{"type", "boolean"}}},
            {"locked", {{"type", "boolean"}}},
            {"locked_until", {{"type", "string"}, {"format", "date-time"}, {"nullable", true}}},
            {"must_change_password", {{"type", "boolean"}}},
            {"password_changed_at", time},
            {"roles",
             {{"type", "array"},
              {"items", {{"type", "object"}, {"properties", {{"id", integer}, {"code", str}, {"name", str}}}}}}},
            {"role_ids", {{"type", "array"}, {"items", integer}}},
            {"version", integer},
            {"created_at", time},
            {"updated_at", time}}}};
}

Json InputSchema(bool creating) {
  Json props = {{"display_name", {{"type", "string"}, {"maxLength", 50}}},
                {"mobile", {{"type", "string"}, {"description", "11 位手机号,可空 (mainland mobile, optional)"}}},
                {"email", {{"type", "string"}, {"maxLength", 100}}},
                {"org_unit_id", {{"type", "integer"}}},
                {"role_ids", {{"type", "array"}, {"items", {{"type", "integer"}}}}},
                {"enterprise_id", {{"type", "integer"}, {"nullable", true}}},
                {"active", {{"type", "boolean"}}}};
  Json s = {{"type", "object"}, {"additionalProperties", false}};
  if (creating) {
    props["login"] = {{"type", "string"}, {"pattern", "^[a-z0-9._-]{3,32}$"}};
    s["required"] = {"login", "display_name", "org_unit_id"};
  } else {
    props["version"] = {{"type", "integer"}, {"description", "or the If-Match header"}};
  }
  s["properties"] = props;
  return s;
}

// ---- input ------------------------------------------------------------------

struct UserInput {
  std::optional<std::string> login, display_name, mobile, email;
  std::optional<int64_t> org_unit_id;
  std::optional<std::vector<int64_t>> role_ids;  // distinct, ascending
  std::optional<std::optional<int64_t>> enterprise_id;  // null in the body: unbind
  std::optional<bool> active;
};

Status CheckLogin(std::string& login) {
  for (char& c : login) c = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  auto allowed = [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-'; };
  const bool ok = login.size() >= 3 && login.size() <= 32 && std::all_of(login.begin(), login.end(), allowed);
  if (!ok) {
    return ValidationFailed("登录名应为 3–32 位字母、数字或 . _ - (login: 3–32 of a-z, 0-9, '.', '_', '-')", "login");
  }
  return Status::Ok();
}

Status CheckMobile(std::string& mobile) {
  ZB_RETURN_IF_ERROR(ValidateLine(mobile, "mobile", "手机号", 11, /*allow_empty=*/true));
  if (mobile.empty()) return Status::Ok();
  bool ok = mobile.size() == 11 && mobile[0] == '1' && mobile[1] >= '3' && mobile[1] <= '9';
  for (char c : mobile) ok = ok && c >= '0' && c <= '9';
  if (!ok) return ValidationFailed("手机号应为 11 位大陆手机号码 (mobile: 11-digit mainland number)", "mobile");
  return Status::Ok();
}

// A plausible address: one '@', something before it, a dotted domain after
// it, no blanks. Whether it receives mail is not ours to know.
Status CheckEmail(std::string& email) {
  ZB_RETURN_IF_ERROR(ValidateLine(email, "email", "电子邮箱", 100, /*allow_empty=*/true));
  if (email.empty()) return Status::Ok();
  const size_t at = email.find('@');
  const std::string_view domain = at == std::string::npos ? "" : std::string_view(email).substr(at + 1);
  const size_t dot = domain.find('.');
  bool ok = at != std::string::npos && at > 0 && domain.find('@') == std::string_view::npos &&
            dot != std::string_view::npos && dot > 0 && domain.back() != '.' &&
            email.find_first_of(" \t") == std::string::npos;
  if (!ok) return ValidationFailed("电子邮箱格式不正确 (email is not an address)", "email");
  return Status::Ok();
}

Status ReadIdList(const Json& body, std::string_view key, std::string_view label,
                  std::optional<std::vector<int64_t>>* out) {
  auto it = body.find(key);
  if (it == body.end() || it->is_null()) return Status::Ok();
  const std::string field(key);
  if (!it->is_array()) return ValidationFailed(std::string(label) + "应为编号数组 (" + field + ": array of ids)", field);
  std::vector<int64_t> ids;
  for (const Json& v : *it) {
    if (!v.is_number_integer() || v.get<int64_t>() <= 0) {
      return ValidationFailed(std::string(label) + "中的每一项应为正整数编号 (" + field + ": positive ids)", field);
    }
    ids.push_back(v.get<int64_t>());
  }
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  *out = std::move(ids);
  return Status::Ok();
}

Status ReadUserInput(const Json& body, UserInput* in) {
  ZB_RETURN_IF_ERROR(GetString(body, "login", &in->login));
  if (in->login) ZB_RETURN_IF_ERROR(CheckLogin(*in->login));
  ZB_RETURN_IF_ERROR(GetString(body, "display_name", &in->display_name));
  if (in->display_name) ZB_RETURN_IF_ERROR(ValidateLine(*in->display_name, "display_name", "姓名", 50, false));
  ZB_RETURN_IF_ERROR(GetString(body, "mobile", &in->mobile));
  if (in->mobile) ZB_RETURN_IF_ERROR(CheckMobile(*in->mobile));
  ZB_RETURN_IF_ERROR(GetString(body, "email", &in->email));
  if (in->email) ZB_RETURN_IF_ERROR(CheckEmail(*in->email));
  ZB_RETURN_IF_ERROR(GetInt(body, "org_unit_id", &in->org_unit_id));
  if (in->org_unit_id && *in->org_unit_id <= 0) {
    return ValidationFailed("所属单位编号应为正整数 (org_unit_id: positive id)", "org_unit_id");
  }
  ZB_RETURN_IF_ERROR(ReadIdList(body, "role_ids", "角色", &in->role_ids));
  if (body.contains("enterprise_id")) {
    std::optional<int64_t> e;
    ZB_RETURN_IF_ERROR(GetInt(body, "enterprise_id", &e));
    if (e && *e <= 0) return ValidationFailed("企业编号应为正整数 (enterprise_id: positive id)", "enterprise_id");
    in->enterprise_id = e;  // null unbinds
  }
  ZB_RETURN_IF_ERROR(GetBool(body, "active", &in->active));
  return Status::Ok();
}

// {} or no body at all, for the action routes.
Status ReadEmptyBody(const Request& req) {
  if (req.body().empty()) return Status::Ok();
  ZB_ASSIGN_OR_RETURN(Json body, req.JsonBody());
  return CheckObject(body, {});
}

// ---- scope and grants ---------------------------------------------------------

// The user `id` as the caller may see it (their own account always); 404
// exactly like a missing one otherwise.
StatusOr<storage::User> VisibleUser(db::Connection& conn, const http::Principal& p, int64_t id) {
  auto user = storage::GetUser(conn, id);
  if (user.status().code() == StatusCode::kNotFound ||
      (user.ok() && user->id != p.user_id && !InScope(p, user->org_unit_id, user->org_path, false))) {
    return NotVisible("用户", "user");
  }
  return user;
}

// The unit a user is placed in: visible to the caller (else 404) and active.
StatusOr<storage::OrgUnit> PlacementUnit(db::Connection& conn, const http::Principal& p, int64_t id) {
  ZB_ASSIGN_OR_RETURN(auto unit, VisibleUnit(conn, p, id, "org_unit_id"));
  if (!unit.active) {
    return ValidationFailed("单位「" + unit.name + "」已停用,不能添加用户 (the org unit is inactive)", "org_unit_id");
  }
  return unit;
}

// What `role`, held by a user of unit (unit_id, unit_path), would give beyond
// what the caller has: a permission they lack, or a data scope wider than
// theirs. Empty when nothing.
StatusOr<std::string> BeyondCaller(db::Connection& conn, const http::Principal& p, const storage::Role& role,
                                   int64_t unit_id, const std::string& unit_path) {
  for (const std::string& perm : role.permissions) {
    if (!p.Has(perm)) return "权限 " + perm;
  }
  // An unknown stored scope reads as 仅本人, as sign-in reads it.
  const domain::DataScope scope = domain::ParseDataScope(role.data_scope).value_or(domain::DataScope::kSelf);
  const std::string wider = "数据范围“" + std::string(domain::DataScopeLabel(scope)) + "”";
  switch (scope) {
    case domain::DataScope::kAll:
      if (!p.scope.all) return wider;
      break;
    case domain::DataScope::kUnitAndBelow: {
      domain::ScopeFilter subtrees{.all = p.scope.all, .subtree_paths = p.scope.subtree_paths};
      if (!domain::ScopeAllowsUnit(subtrees, unit_id, unit_path)) return wider;
      break;
    }
    case domain::DataScope::kUnit:
      if (!InScope(p, unit_id, unit_path)) return wider;
      break;
    case domain::DataScope::kCustom:
      for (int64_t id : role.custom_unit_ids) {
        ZB_ASSIGN_OR_RETURN(auto unit, storage::GetOrgUnit(conn, id));
        if (!InScope(p, unit.id, unit.path)) return wider;
      }
      break;
    case domain::DataScope::kSelf:
      break;
  }
  return std::string();
}

// 403 unless every role in `role_ids` (which must exist: else 422) is one the
// caller could grant to a user of that unit. `holding` words the refusal for
// an account the caller manages rather than a grant.
Status CheckRoles(db::Connection& conn, const http::Principal& p, const RoleIndex& roles,
                  const std::vector<int64_t>& role_ids, int64_t unit_id, const std::string& unit_path,
                  bool holding) {
  for (int64_t id : role_ids) {
    auto it = roles.find(id);
    if (it == roles.end()) {
      return ValidationFailed("角色不存在:" + std::to_string(id) + " (no such role)", "role_ids");
    }
    ZB_ASSIGN_OR_RETURN(std::string beyond, BeyondCaller(conn, p, it->second, unit_id, unit_path));
    if (beyond.empty()) continue;
    const std::string& name = it->second.name;
    if (holding) {
      return Status(StatusCode::kForbidden,
                    "该用户持有角色“" + name + "”,其" + beyond + "超出您的权限,不能修改 (the user holds role " +
                        it->second.code + ", which goes beyond your own rights)",
                    "role_ids");
    }
    return Status(StatusCode::kForbidden,
                  "不能授予角色“" + name + "”:其" + beyond + "超出您的权限 (you cannot grant role " +
                      it->second.code + ": it goes beyond your own rights)",
                  "role_ids");
  }
  return Status::Ok();
}

// The user `id`, visible to the caller and holding nothing beyond them.
StatusOr<storage::User> ManagedUser(db::Connection& conn, const http::Principal& p, const RoleIndex& roles,
                                    int64_t id) {
  ZB_ASSIGN_OR_RETURN(auto user, VisibleUser(conn, p, id));
  ZB_RETURN_IF_ERROR(CheckRoles(conn, p, roles, user.role_ids, user.org_unit_id, user.org_path, /*holding=*/true));
  return user;
}

// Whether holding `role_ids` grants user:write.
bool GrantsUserWrite(const RoleIndex& roles, const std::vector<int64_t>& role_ids) {
  for (int64_t id : role_ids) {
    auto it = roles.find(id);
    if (it == roles.end()) continue;
    const auto& perms = it->second.permissions;
    if (std::find(perms.begin(), perms.end(), kUserWrite) != perms.end()) return true;
  }
  return false;
}

Response OneTimePassword(Response r) {
  r.With("Cache-Control", "no-store");
  return r;
}

}  // namespace

void RegisterUserRoutes(http::Router& router, ApiContext& ctx) {
  const std::string kTag = "users";
  Json list_schema = {{"type", "object"},
                      {"properties",
                       {{"items", {{"type", "array"}, {"items", UserSchema()}}},
                        {"total", {{"type", "integer"}}},
                        {"page", {{"type", "integer"}}},
                        {"page_size", {{"type", "integer"}}}}}};
  Json empty_body = {{"type", "object"}, {"additionalProperties", false}, {"properties", Json::object()}};

  router.Add("GET", "/api/v1/users",
             {.summary = "用户列表(数据权限范围内) (users within the caller's data scope)",
              .tag = kTag,
              .permission = "user:read",
              .query = {{.name = "org_unit_id", .type = "integer", .description = "此单位及其下级的用户"},
                        {.name = "keyword", .description = "登录名、姓名或手机号包含 (login, name or mobile)"},
                        {.name = "active", .type = "boolean", .description = "启用/停用"},
                        {.name = "page", .type = "integer"},
                        {.name = "page_size", .type = "integer", .description = "默认 20,最多 1000"}},
              .response_schema = list_schema},
             [&ctx](Request& req) -> StatusOr<Response> {
               const http::Principal& p = *req.principal();
               ZB_ASSIGN_OR_RETURN(auto unit_id, QueryId(req, "org_unit_id"));
               ZB_ASSIGN_OR_RETURN(Paging paging, QueryPaging(req));
               storage::UserFilter filter{.scope = ScopeSql(p), .page = paging.page, .page_size = paging.page_size};
               if (auto active = req.Query("active"); active && !active->empty()) {
                 ZB_ASSIGN_OR_RETURN(filter.active, QueryBool(req, "active", true));
               }
               filter.keyword = std::string(req.Query("keyword").value_or(""));
               if (filter.keyword.size() > 100) return ValidationFailed("关键字过长 (keyword too long)", "keyword");
               ZB_ASSIGN_OR_RETURN(auto conn, ctx.pool->Read());
               if (unit_id) {
                 ZB_ASSIGN_OR_RETURN(auto unit, VisibleUnit(*conn, p, *unit_id, "org_unit_id"));
                 filter.org_path_prefix = unit.path;
               }
               ZB_ASSIGN_OR_RETURN(auto page, storage::ListUsers(*conn, filter));
               ZB_ASSIGN_OR_RETURN(RoleIndex roles, IndexRoles(*conn));
               const int64_t now = ctx.clock->NowMs();
               Json items = Json::array();
               for (const auto& u : page.items) items.push_back(ToJson(u, roles, now));
               return Response::Json({{"items", std::move(items)},
                                      {"total", page.total},
                                      {"page", paging.page},
                                      {"page_size", paging.page_size}});
             });

  router.Add("GET", "/api/v1/users/{id}",
             {.summary = "用户详情 (one user)", .tag = kTag, .permission = "user:read", .response_schema = UserSchema()},
             [&ctx](Request& req) -> StatusOr<Response> {
               ZB_ASSIGN_OR_RETURN(int64_t id, req.PathId());
               ZB_ASSIGN_OR_RETURN(auto conn, ctx.pool->Read());
               ZB_ASSIGN_OR_RETURN(auto user, VisibleUser(*conn, *req.principal(), id));
               ZB_ASSIGN_OR_RETURN(RoleIndex roles, IndexRoles(*conn));
               return Response::Json(ToJson(user, roles, ctx.clock->NowMs()));
             });

  Json created_schema = UserSchema();
  created_schema["properties"]["initial_password"] = {{"type", "string"},
                                                      {"description", "只显示这一次,首次登录须修改 (shown once)"}};
  router.Add("POST", "/api/v1/users",
             {.summary = "新建用户,返回一次性初始密码 (create a user; the initial password is shown once)",
              .tag = kTag,
              .permission = "user:write",
              .request_schema = InputSchema(true),
              .response_schema = created_schema,
              .success_status = 201},
             [&ctx](Request& req) -> StatusOr<Response> {
               const http::Principal& p = *req.principal();
               ZB_ASSIGN_OR_RETURN(Json body, req.JsonBody());
               ZB_RETURN_IF_ERROR(CheckObject(body, {"login", "display_name", "mobile", "email", "org_unit_id",
                                                     "role_ids", "enterprise_id", "active"}));
               UserInput in;
               ZB_RETURN_IF_ERROR(ReadUserInput(body, &in));
               if (!in.login) return ValidationFailed("请填写登录名 (login is required)", "login");
               if (!in.display_name) return ValidationFailed("请填写姓名 (display_name is required)", "display_name");
               if (!in.org_unit_id) return ValidationFailed("请选择所属单位 (org_unit_id is required)", "org_unit_id");
               // Hashing takes tens of milliseconds: done before the write transaction.
               const std::string password = domain::GenerateInitialPassword(*in.login, ctx.security.password);
               storage::NewUser row{.login = *in.login,
                                    .display_name = *in.display_name,
                                    .mobile = in.mobile.value_or(""),
                                    .email = in.email.value_or(""),
                                    .org_unit_id = *in.org_unit_id,
                                    .enterprise_id = in.enterprise_id.value_or(std::nullopt),
                                    .active = in.active.value_or(true),
                                    .password_hash = domain::HashPassword(password),
                                    .must_change_password = true,
                                    .role_ids = in.role_ids.value_or(std::vector<int64_t>{})};
               Json out;
               const int64_t now = ctx.clock->NowMs();
               Status s = db::InTx(*ctx.pool, [&](db::Connection& c) -> Status {
                 ZB_ASSIGN_OR_RETURN(auto unit, PlacementUnit(c, p, row.org_unit_id));
                 if (row.enterprise_id) {
                   ZB_RETURN_IF_ERROR(VisibleEnterprise(c, p, *row.enterprise_id, "enterprise_id").status());
                 }
                 ZB_ASSIGN_OR_RETURN(RoleIndex roles, IndexRoles(c));
                 ZB_RETURN_IF_ERROR(CheckRoles(c, p, roles, row.role_ids, unit.id, unit.path, /*holding=*/false));
                 ZB_ASSIGN_OR_RETURN(auto created, storage::CreateUser(c, row, now));
                 out = ToJson(created, roles, now);
                 return RecordAudit(c, req, now, "create", "user", std::to_string(created.id),
                                    ChangedFields(nullptr, out));
               });
               if (s.code() == StatusCode::kAlreadyExists) {
                 return AlreadyExists("登录名 " + row.login + " 已被使用 (login already in use)", "login");
               }
               ZB_RETURN_IF_ERROR(s);
               const std::string location = "/api/v1/users/" + std::to_string(out["id"].get<int64_t>());
               out["initial_password"] = password;
               Response r = OneTimePassword(Response::Json(201, out));
               r.With("Location", location);
               return r;
             });

  router.Add("PATCH", "/api/v1/users/{id}",
             {.summary = "修改用户,需带版本号;停用即强制下线 (update a user; deactivating signs them out)",
              .tag = kTag,
              .permission = "user:write",
              .request_schema = InputSchema(false),
              .response_schema = UserSchema()},
             [&ctx](Request& req) -> StatusOr<Response> {
               const http::Principal& p = *req.principal();
               ZB_ASSIGN_OR_RETURN(int64_t id, req.PathId());
               ZB_ASSIGN_OR_RETURN(Json body, req.JsonBody());
               ZB_RETURN_IF_ERROR(CheckObject(body, {"display_name", "mobile", "email", "org_unit_id", "role_ids",
                                                     "enterprise_id", "active", "version"}));
               UserInput in;
               ZB_RETURN_IF_ERROR(ReadUserInput(body, &in));
               ZB_ASSIGN_OR_RETURN(int64_t version, RequiredVersion(req, body));
               const bool self = id == p.user_id;
               if (self && in.active == false) {
                 return ValidationFailed("不能停用本人账户 (you cannot deactivate your own account)", "active");
               }
               storage::UserChanges changes{.display_name = in.display_name,
                                            .mobile = in.mobile,
                                            .email = in.email,
                                            .org_unit_id = in.org_unit_id,
                                            .enterprise_id = in.enterprise_id,
                                            .active = in.active,
                                            .role_ids = in.role_ids};
               Json out;
               const int64_t now = ctx.clock->NowMs();
               Status s = db::InTx(*ctx.pool, [&](db::Connection& c) -> Status {
                 ZB_ASSIGN_OR_RETURN(RoleIndex roles, IndexRoles(c));
                 ZB_ASSIGN_OR_RETURN(auto before, VisibleUser(c, p, id));
                 if (in.enterprise_id && *in.enterprise_id) {
                   ZB_RETURN_IF_ERROR(VisibleEnterprise(c, p, **in.enterprise_id, "enterprise_id").status());
                 }
                 int64_t unit_id = before.org_unit_id;
                 std::string unit_path = before.org_path;
                 if (in.org_unit_id && *in.org_unit_id != before.org_unit_id) {
                   ZB_ASSIGN_OR_RETURN(auto unit, PlacementUnit(c, p, *in.org_unit_id));
                   unit_id = unit.id;
                   unit_path = unit.path;
                 }
                 // The account may hold nothing beyond the caller, before the
                 // change and after it (with the roles it keeps or gains, in
                 // the unit it ends up in).
                 ZB_RETURN_IF_ERROR(
                     CheckRoles(c, p, roles, before.role_ids, before.org_unit_id, before.org_path, /*holding=*/true));
                 ZB_RETURN_IF_ERROR(CheckRoles(c, p, roles, in.role_ids.value_or(before.role_ids), unit_id, unit_path,
                                               /*holding=*/false));
                 if (self && in.role_ids && !GrantsUserWrite(roles, *in.role_ids)) {
                   return ValidationFailed("不能去掉本人的用户维护权限 (you cannot remove your own user:write)",
                                           "role_ids");
                 }
                 ZB_ASSIGN_OR_RETURN(auto after, storage::UpdateUser(c, id, version, changes, now));
                 if (before.active && !after.active) {
                   ZB_RETURN_IF_ERROR(storage::RevokeUserSessions(c, id, now, "deactivated").status());
                 }
                 out = ToJson(after, roles, now);
                 return RecordAudit(c, req, now, "update", "user", std::to_string(id),
                                    ChangedFields(ToJson(before, roles, now), out));
               });
               if (s.code() == StatusCode::kVersionConflict) {
                 ZB_ASSIGN_OR_RETURN(auto conn, ctx.pool->Read());
                 ZB_ASSIGN_OR_RETURN(auto current, VisibleUser(*conn, p, id));
                 ZB_ASSIGN_OR_RETURN(RoleIndex roles, IndexRoles(*conn));
                 return Response::Error(VersionConflict("该用户已被他人修改(当前版本 " +
                                                        std::to_string(current.version) +
                                                        "),请刷新后再改 (changed by someone else)"),
                                        {{"current", ToJson(current, roles, now)}});
               }
               ZB_RETURN_IF_ERROR(s);
               return Response::Json(out);
             });

  router.Add("POST", "/api/v1/users/{id}/reset-password",
             {.summary = "重置密码:生成一次性密码,强制修改并下线 (reset: one-time password, forced change, "
                         "signed out everywhere)",
              .tag = kTag,
              .permission = "user:write",
              .request_schema = empty_body,
              .response_schema = {{"type", "object"}, {"properties", {{"initial_password", {{"type", "string"}}}}}}},
             [&ctx](Request& req) -> StatusOr<Response> {
               const http::Principal& p = *req.principal();
               ZB_ASSIGN_OR_RETURN(int64_t id, req.PathId());
               ZB_RETURN_IF_ERROR(ReadEmptyBody(req));
               std::string login;
               {
                 ZB_ASSIGN_OR_RETURN(auto conn, ctx.pool->Read());
                 ZB_ASSIGN_OR_RETURN(auto user, VisibleUser(*conn, p, id));
                 login = user.login;
               }
               // Hashed outside the write transaction (tens of milliseconds).
               const std::string password = domain::GenerateInitialPassword(login, ctx.security.password);
               const std::string hash = domain::HashPassword(password);
               const int64_t now = ctx.clock->NowMs();
               ZB_RETURN_IF_ERROR(db::InTx(*ctx.pool, [&](db::Connection& c) -> Status {
                 ZB_ASSIGN_OR_RETURN(RoleIndex roles, IndexRoles(c));
                 ZB_RETURN_IF_ERROR(ManagedUser(c, p, roles, id).status());
                 ZB_RETURN_IF_ERROR(storage::SetPassword(c, id, hash, now, /*must_change=*/true));
                 ZB_ASSIGN_OR_RETURN(int64_t revoked, storage::RevokeUserSessions(c, id, now, "password reset"));
                 return RecordAudit(c, req, now, "reset_password", "user", std::to_string(id),
                                    {{"after", {{"must_change_password", true}, {"sessions_revoked", revoked}}}});
               }));
               return OneTimePassword(Response::Json({{"initial_password", password}}));
             });

  router.Add("POST", "/api/v1/users/{id}/unlock",
             {.summary = "解除锁定:清除登录失败次数 (unlock: clear the failure count and lock)",
              .tag = kTag,
              .permission = "user:write",
              .request_schema = empty_body,
              .response_schema = UserSchema()},
             [&ctx](Request& req) -> StatusOr<Response> {
               const http::Principal& p = *req.principal();
               ZB_ASSIGN_OR_RETURN(int64_t id, req.PathId());
               ZB_RETURN_IF_ERROR(ReadEmptyBody(req));
               Json out;
               const int64_t now = ctx.clock->NowMs();
               ZB_RETURN_IF_ERROR(db::InTx(*ctx.pool, [&](db::Connection& c) -> Status {
                 ZB_ASSIGN_OR_RETURN(RoleIndex roles, IndexRoles(c));
                 ZB_ASSIGN_OR_RETURN(auto before, ManagedUser(c, p, roles, id));
                 ZB_RETURN_IF_ERROR(storage::RecordLoginSuccess(c, id));
                 ZB_ASSIGN_OR_RETURN(auto after, storage::GetUser(c, id));
                 out = ToJson(after, roles, now);
                 auto lock = [](const storage::User& u) {
                   return Json{{"failed_attempts", u.failed_attempts},
                               {"locked_until", u.locked_until ? Json(FormatRfc3339(*u.locked_until)) : Json(nullptr)}};
                 };
                 return RecordAudit(c, req, now, "unlock", "user", std::to_string(id),
                                    {{"before", lock(before)}, {"after", lock(after)}});
               }));
               return Response::Json(out);
             });
}

}  // namespace zb::api
