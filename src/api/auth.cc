// /api/v1/auth — sign in, sign out, who am I, change my password — and the
// session Authenticator.
#include "api/auth.h"

#include <strings.h>

#include <algorithm>
#include <iterator>

#include "api/api.h"
#include "api/audit.h"
#include "api/json_input.h"
#include "core/date.h"
#include "domain/token.h"
#include "storage/api_token_repo.h"
#include "storage/login_log_repo.h"
#include "storage/org_unit_repo.h"
#include "storage/role_repo.h"
#include "storage/session_repo.h"
#include "storage/user_repo.h"

namespace zb::api {

using http::Json;
using http::Request;
using http::Response;

std::string_view CookieValue(std::string_view header, std::string_view name) {
  while (!header.empty()) {
    size_t semi = header.find(';');
    std::string_view part = header.substr(0, semi);
    header = semi == std::string_view::npos ? std::string_view() : header.substr(semi + 1);
    while (!part.empty() && part.front() == ' ') part.remove_prefix(1);
    size_t eq = part.find('=');
    if (eq != std::string_view::npos && part.substr(0, eq) == name) return part.substr(eq + 1);
  }
  return {};
}

StatusOr<UserIdentity> LoadIdentity(db::Connection& conn, int64_t user_id, int64_t now_ms,
                                    const SecurityConfig& security) {
  ZB_ASSIGN_OR_RETURN(storage::User user, storage::GetUser(conn, user_id));
  if (!user.active) return Unauthenticated("账户已停用,请联系管理员 (account disabled)");
  ZB_ASSIGN_OR_RETURN(auto roles, storage::RolesForUser(conn, user_id));
  ZB_ASSIGN_OR_RETURN(auto unit, storage::GetOrgUnit(conn, user.org_unit_id));
  UserIdentity id;
  auto p = std::make_shared<http::Principal>();
  p->user_id = user.id;
  p->login = user.login;
  p->display_name = user.display_name;
  p->org_unit_id = user.org_unit_id;
  p->org_path = unit.path;
  p->enterprise_id = user.enterprise_id;
  std::vector<domain::RoleScope> scopes;
  for (const auto& r : roles) {
    p->permissions.insert(p->permissions.end(), r.permissions.begin(), r.permissions.end());
    id.roles.push_back({r.code, r.name});
    scopes.push_back({domain::ParseDataScope(r.data_scope).value_or(domain::DataScope::kSelf), r.custom_unit_ids});
  }
  p->scope = domain::ComputeScopeFilter(scopes, user.org_unit_id, unit.path);
  std::sort(p->permissions.begin(), p->permissions.end());
  p->permissions.erase(std::unique(p->permissions.begin(), p->permissions.end()), p->permissions.end());
  p->must_change_password =
      user.must_change_password || domain::PasswordExpired(user.password_changed_at, now_ms, security.password);
  id.principal = std::move(p);
  id.org_unit_name = unit.name;
  id.password_changed_at = user.password_changed_at;
  return id;
}

StatusOr<std::shared_ptr<const http::Principal>> SessionAuthenticator::AuthenticateToken(std::string_view token) {
  int64_t now = clock_.NowMs();
  std::optional<storage::ApiToken> found;
  std::shared_ptr<http::Principal> p;
  {
    ZB_ASSIGN_OR_RETURN(auto conn, pool_.Read());
    ZB_ASSIGN_OR_RETURN(found, storage::FindApiTokenByHash(*conn, domain::Sha256Hex(token)));
    if (!found) return Unauthenticated("API 令牌无效 (unknown API token)");
    if (found->revoked_at) return Unauthenticated("API 令牌已撤销 (API token revoked)");
    if (found->expires_at && now >= *found->expires_at) return Unauthenticated("API 令牌已过期 (API token expired)");
    ZB_ASSIGN_OR_RETURN(auto identity, LoadIdentity(*conn, found->user_id, now, security_));
    p = std::move(identity.principal);
  }
  // A token can do what both it and its owner may do today.
  std::vector<std::string> both;
  std::set_intersection(p->permissions.begin(), p->permissions.end(), found->permissions.begin(),
                        found->permissions.end(), std::back_inserter(both));
  p->permissions = std::move(both);
  p->via_token = true;
  p->must_change_password = false;  // integrations are not people at a login page
  if (!found->last_used_at || domain::ShouldTouch(*found->last_used_at, now)) {
    ZB_RETURN_IF_ERROR(db::InTx(pool_, [&](db::Connection& c) { return storage::TouchApiToken(c, found->id, now); }));
  }
  return std::shared_ptr<const http::Principal>(std::move(p));
}

StatusOr<std::shared_ptr<const http::Principal>> SessionAuthenticator::Authenticate(const Request& req) {
  std::string_view authorization = req.Header("Authorization");
  if (authorization.size() > 7 && strncasecmp(authorization.data(), "Bearer ", 7) == 0) {
    return AuthenticateToken(authorization.substr(7));
  }
  std::string_view token = CookieValue(req.Header("Cookie"), kSessionCookie);
  if (token.empty()) return Unauthenticated("请先登录 (sign in first)");
  std::string id_hash = domain::Sha256Hex(token);
  int64_t now = clock_.NowMs();
  std::optional<storage::SessionIdentity> found;
  {
    // Released before any write below: a read lease held while waiting for
    // the writer could exhaust a small PostgreSQL pool.
    ZB_ASSIGN_OR_RETURN(auto conn, pool_.Read());
    ZB_ASSIGN_OR_RETURN(found, storage::FindSessionIdentity(*conn, id_hash));
  }
  if (!found) return Unauthenticated("登录已失效,请重新登录 (session not found)");
  const storage::Session& session = found->session;
  switch (domain::CheckSession(session.created_at, session.last_seen_at, session.revoked_at, now, security_.session)) {
    case domain::SessionState::kValid: break;
    case domain::SessionState::kIdleExpired:
      return Unauthenticated("长时间未操作,登录已超时,请重新登录 (session idle timeout)");
    case domain::SessionState::kAbsoluteExpired:
      return Unauthenticated("登录已超过最长时限,请重新登录 (session expired)");
    case domain::SessionState::kRevoked:
      return Unauthenticated("登录已被注销,请重新登录 (session revoked)");
  }
  if (!found->active) return Unauthenticated("账户已停用,请联系管理员 (account disabled)");
  auto p = std::make_shared<http::Principal>();
  p->user_id = session.user_id;
  p->login = found->login;
  p->display_name = found->display_name;
  p->org_unit_id = found->org_unit_id;
  p->org_path = found->org_path;
  p->enterprise_id = found->enterprise_id;
  p->permissions = std::move(found->permissions);
  p->scope = domain::ComputeScopeFilter(found->role_scopes, found->org_unit_id, found->org_path);
  p->must_change_password = found->must_change_password ||
                            domain::PasswordExpired(found->password_changed_at, now, security_.password);
  p->session_id_hash = id_hash;
  p->csrf_token = session.csrf_token;
  if (domain::ShouldTouch(session.last_seen_at, now)) {
    ZB_RETURN_IF_ERROR(db::InTx(pool_, [&](db::Connection& c) { return storage::TouchSession(c, id_hash, now); }));
  }
  return std::shared_ptr<const http::Principal>(std::move(p));
}

namespace {

// The body of /auth/login and /auth/me: who, their roles and permissions,
// the CSRF token, and whether and when the password must be changed.
Json MeBody(const UserIdentity& id, const std::string& csrf, const SecurityConfig& security) {
  const http::Principal& p = *id.principal;
  Json roles = Json::array();
  for (const auto& [code, name] : id.roles) roles.push_back({{"code", code}, {"name", name}});
  Json expires = nullptr;
  if (security.password.max_age_days > 0) {
    expires = FormatRfc3339(id.password_changed_at + security.password.max_age_days * kMsPerDay);
  }
  return {{"user",
           {{"id", p.user_id},
            {"login", p.login},
            {"display_name", p.display_name},
            {"org_unit_id", p.org_unit_id},
            {"org_unit_name", id.org_unit_name},
            {"enterprise_id", p.enterprise_id ? Json(*p.enterprise_id) : Json(nullptr)},
            {"roles", roles},
            {"permissions", p.permissions}}},
          {"csrf_token", csrf},
          {"must_change_password", p.must_change_password},
          {"password_expires_at", expires}};
}

std::string SessionCookie(const std::string& token, bool secure) {
  std::string c = std::string(kSessionCookie) + "=" + token + "; Path=/; HttpOnly; SameSite=Strict";
  if (secure) c += "; Secure";
  return c;
}

std::string ClockTime(int64_t ms) {
  std::string t = FormatRfc3339(ms);  // "2026-11-23T10:42:00.000+08:00"
  return t.substr(11, 5);
}

// What the user is told for a refused sign-in. One message for "no such
// user" and "wrong password", so logins cannot be probed.
Status RefusalFor(const domain::SignInDecision& d) {
  using O = domain::SignInDecision;
  switch (d.outcome) {
    case O::kLocked:
      if (!d.new_locked_until_ms) return Unauthenticated("账户已锁定,请稍后再试 (account locked)");
      return Unauthenticated("账户已锁定,请于 " + ClockTime(*d.new_locked_until_ms) + " 后再试 (account locked)");
    case O::kInactive:
      return Unauthenticated("账户已停用,请联系管理员 (account disabled)");
    default:
      if (d.new_locked_until_ms) {
        return Unauthenticated("密码错误次数过多,账户已锁定,请于 " + ClockTime(*d.new_locked_until_ms) +
                               " 后再试 (too many failures: account locked)");
      }
      return Unauthenticated("用户名或密码错误,还可尝试 " + std::to_string(d.remaining_attempts) +
                             " 次 (wrong user name or password)");
  }
}

}  // namespace

void RegisterAuthRoutes(http::Router& router, ApiContext& ctx) {
  const std::string kTag = "auth";
  Json login_schema = {{"type", "object"},
                       {"required", {"username", "password"}},
                       {"properties", {{"username", {{"type", "string"}}}, {"password", {{"type", "string"}}}}}};

  router.Add("POST", "/api/v1/auth/login",
             {.summary = "登录,成功后下发会话 Cookie 与 CSRF 令牌 (sign in)",
              .tag = kTag,
              .permission = std::string(http::kPublic),
              .request_schema = login_schema},
             [&ctx](Request& req) -> StatusOr<Response> {
               ZB_ASSIGN_OR_RETURN(Json body, req.JsonBody());
               ZB_RETURN_IF_ERROR(CheckObject(body, {"username", "password"}));
               std::optional<std::string> username, password;
               ZB_RETURN_IF_ERROR(GetString(body, "username", &username));
               ZB_RETURN_IF_ERROR(GetString(body, "password", &password));
               if (!username || username->empty()) return ValidationFailed("请输入用户名", "username");
               if (!password || password->empty()) return ValidationFailed("请输入密码", "password");
               std::string login = *username;
               std::transform(login.begin(), login.end(), login.begin(),
                              [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
               int64_t now = ctx.clock->NowMs();
               std::string ip = req.remote_ip();
               std::string agent(req.Header("User-Agent").substr(0, 300));
               auto log = [&](std::optional<int64_t> user_id, bool ok, const std::string& reason) {
                 return db::InTx(*ctx.pool, [&](db::Connection& c) {
                   return storage::AppendLoginLog(c, {.at = now,
                                                      .login = login.substr(0, 64),
                                                      .user_id = user_id,
                                                      .ip = ip,
                                                      .user_agent = agent,
                                                      .result = ok ? "success" : "failure",
                                                      .reason = reason})
                       .status();
                 });
               };
               if (ctx.ip_limiter->Blocked(ip, now)) {
                 ZB_RETURN_IF_ERROR(log(std::nullopt, false, "IP 失败次数过多,已限流"));
                 return Status(StatusCode::kRateLimited, "登录尝试过于频繁,请稍后再试 (too many attempts from this address)");
               }
               std::optional<storage::User> user;
               {
                 ZB_ASSIGN_OR_RETURN(auto conn, ctx.pool->Read());
                 ZB_ASSIGN_OR_RETURN(user, storage::FindUserByLogin(*conn, login));
               }
               if (!user) {
                 // Spend the same time as a real check, so timing does not tell.
                 static const std::string kDummy = domain::HashPassword("zb-timing-equaliser");
                 (void)domain::VerifyPassword(*password, kDummy);
                 ctx.ip_limiter->RecordFailure(ip, now);
                 ZB_RETURN_IF_ERROR(log(std::nullopt, false, "用户不存在"));
                 return Unauthenticated("用户名或密码错误 (wrong user name or password)");
               }
               bool password_ok = domain::VerifyPassword(*password, user->password_hash);
               domain::AccountState state{.active = user->active,
                                          .failed_attempts = static_cast<int>(user->failed_attempts),
                                          .locked_until_ms = user->locked_until,
                                          .password_changed_at_ms = user->password_changed_at,
                                          .must_change_password = user->must_change_password};
               domain::SignInDecision d =
                   domain::DecideSignIn(state, password_ok, now, ctx.security.lockout, ctx.security.password);
               if (d.outcome != domain::SignInDecision::kOk) {
                 if (!password_ok) ctx.ip_limiter->RecordFailure(ip, now);
                 ZB_RETURN_IF_ERROR(db::InTx(*ctx.pool, [&](db::Connection& c) -> Status {
                   // Stored whatever the outcome: the 5th failure is kLocked and
                   // carries the lock; attempts during a lock keep it as it is.
                   ZB_RETURN_IF_ERROR(
                       storage::RecordLoginFailure(c, user->id, d.new_failed_attempts, d.new_locked_until_ms));
                   return storage::AppendLoginLog(c, {.at = now,
                                                      .login = login,
                                                      .user_id = user->id,
                                                      .ip = ip,
                                                      .user_agent = agent,
                                                      .result = "failure",
                                                      .reason = d.reason})
                       .status();
                 }));
                 return RefusalFor(d);
               }
               ctx.ip_limiter->RecordSuccess(ip);
               std::string token = domain::NewSecretToken();
               std::string csrf = domain::NewSecretToken();
               Json out;
               ZB_RETURN_IF_ERROR(db::InTx(*ctx.pool, [&](db::Connection& c) -> Status {
                 ZB_RETURN_IF_ERROR(storage::RecordLoginSuccess(c, user->id));
                 if (domain::NeedsRehash(user->password_hash)) {
                   ZB_RETURN_IF_ERROR(storage::SetPassword(c, user->id, domain::HashPassword(*password),
                                                           user->password_changed_at, user->must_change_password));
                 }
                 ZB_RETURN_IF_ERROR(storage::CreateSession(c, {.id_hash = domain::Sha256Hex(token),
                                                               .user_id = user->id,
                                                               .csrf_token = csrf,
                                                               .created_at = now,
                                                               .last_seen_at = now,
                                                               .ip = ip,
                                                               .user_agent = agent}));
                 ZB_RETURN_IF_ERROR(storage::AppendLoginLog(c, {.at = now,
                                                                .login = login,
                                                                .user_id = user->id,
                                                                .ip = ip,
                                                                .user_agent = agent,
                                                                .result = "success",
                                                                .reason = d.reason})
                                        .status());
                 ZB_ASSIGN_OR_RETURN(auto identity, LoadIdentity(c, user->id, now, ctx.security));
                 out = MeBody(identity, csrf, ctx.security);
                 return Status::Ok();
               }));
               Response r = Response::Json(out);
               r.With("Set-Cookie", SessionCookie(token, ctx.security.cookie_secure));
               r.With("Cache-Control", "no-store");
               return r;
             });

  router.Add("GET", "/api/v1/auth/me",
             {.summary = "当前用户、权限与 CSRF 令牌 (who am I)",
              .tag = kTag,
              .permission = std::string(http::kAuthenticated),
              .allow_before_password_change = true},
             [&ctx](Request& req) -> StatusOr<Response> {
               const http::Principal& p = *req.principal();
               ZB_ASSIGN_OR_RETURN(auto conn, ctx.pool->Read());
               ZB_ASSIGN_OR_RETURN(auto identity, LoadIdentity(*conn, p.user_id, ctx.clock->NowMs(), ctx.security));
               Response r = Response::Json(MeBody(identity, p.csrf_token, ctx.security));
               r.With("Cache-Control", "no-store");
               return r;
             });

  router.Add("POST", "/api/v1/auth/logout",
             {.summary = "退出登录,注销当前会话 (sign out)",
              .tag = kTag,
              .permission = std::string(http::kAuthenticated),
              .allow_before_password_change = true,
              .success_status = 204},
             [&ctx](Request& req) -> StatusOr<Response> {
               const http::Principal& p = *req.principal();
               if (!p.session_id_hash.empty()) {
                 int64_t now = ctx.clock->NowMs();
                 ZB_RETURN_IF_ERROR(db::InTx(*ctx.pool, [&](db::Connection& c) -> Status {
                   ZB_RETURN_IF_ERROR(storage::RevokeSession(c, p.session_id_hash, now, "logout"));
                   return RecordAudit(c, req, now, "logout", "session", p.session_id_hash.substr(0, 12), {});
                 }));
               }
               Response r = Response::NoContent();
               r.With("Set-Cookie", std::string(kSessionCookie) + "=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0");
               return r;
             });

  router.Add("POST", "/api/v1/auth/password",
             {.summary = "修改本人密码 (change my password)",
              .tag = kTag,
              .permission = std::string(http::kAuthenticated),
              .allow_before_password_change = true,
              .request_schema = {{"type", "object"},
                                 {"required", {"old_password", "new_password"}},
                                 {"properties",
                                  {{"old_password", {{"type", "string"}}}, {"new_password", {{"type", "string"}}}}}},
              .success_status = 204},
             [&ctx](Request& req) -> StatusOr<Response> {
               const http::Principal& p = *req.principal();
               ZB_ASSIGN_OR_RETURN(Json body, req.JsonBody());
               ZB_RETURN_IF_ERROR(CheckObject(body, {"old_password", "new_password"}));
               std::optional<std::string> old_pw, new_pw;
               ZB_RETURN_IF_ERROR(GetString(body, "old_password", &old_pw));
               ZB_RETURN_IF_ERROR(GetString(body, "new_password", &new_pw));
               if (!old_pw) return ValidationFailed("请输入原密码", "old_password");
               if (!new_pw) return ValidationFailed("请输入新密码", "new_password");
               storage::User user;
               std::vector<std::string> recent;
               {
                 ZB_ASSIGN_OR_RETURN(auto conn, ctx.pool->Read());
                 ZB_ASSIGN_OR_RETURN(user, storage::GetUser(*conn, p.user_id));
                 ZB_ASSIGN_OR_RETURN(recent, storage::RecentPasswordHashes(*conn, p.user_id, ctx.security.password.history));
               }
               if (!domain::VerifyPassword(*old_pw, user.password_hash)) {
                 return ValidationFailed("原密码不正确 (the current password is wrong)", "old_password");
               }
               ZB_RETURN_IF_ERROR(domain::CheckPasswordPolicy(*new_pw, user.login, ctx.security.password));
               if (domain::MatchesAny(*new_pw, recent)) {
                 return ValidationFailed("新密码不能与最近 " + std::to_string(ctx.security.password.history) +
                                             " 次使用过的密码相同 (reused password)",
                                         "new_password");
               }
               int64_t now = ctx.clock->NowMs();
               std::string hash = domain::HashPassword(*new_pw);
               ZB_RETURN_IF_ERROR(db::InTx(*ctx.pool, [&](db::Connection& c) -> Status {
                 ZB_RETURN_IF_ERROR(storage::SetPassword(c, p.user_id, hash, now, /*must_change=*/false));
                 ZB_RETURN_IF_ERROR(RecordAudit(c, req, now, "change_password", "user", std::to_string(p.user_id),
                                                {{"after", {{"password", "(changed)"}}}}));
                 // Other sessions of this user end: whoever knew the old password is out.
                 return storage::RevokeOtherUserSessions(c, p.user_id, p.session_id_hash, now, "password changed")
                     .status();
               }));
               return Response::NoContent();
             });
}

}  // namespace zb::api
