// Org units, roles and users written straight into the test database (their
// own APIs are tested elsewhere), for tests that need more than the admin:
// the users can sign in with kUserPassword at once (no forced change).
#pragma once

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "api/test_server.h"
#include "domain/password.h"
#include "storage/org_unit_repo.h"
#include "storage/role_repo.h"
#include "storage/user_repo.h"

namespace zb::testing {

inline constexpr const char* kUserPassword = "Zb-Test-User-2026!";

// A 统一社会信用代码 that passes the GB 32100 and GB 11714 checks (a published
// one), for tests that need an enterprise.
inline constexpr const char* kValidCreditCode = "914403001922038216";

// Runs fn(conn) in a transaction and returns what it made; fails the test on error.
template <typename F>
auto MakeInDb(TestServer& s, F&& fn) {
  std::decay_t<decltype(*fn(std::declval<db::Connection&>()))> out{};
  Status st = db::InTx(s.app().pool(), [&](db::Connection& c) -> Status {
    auto made = fn(c);
    if (!made.ok()) return made.status();
    out = std::move(*made);
    return Status::Ok();
  });
  EXPECT_TRUE(st.ok()) << st.ToString();
  return out;
}

// The unit `zhuanban init` made the admin's (the root).
inline int64_t RootUnitId(TestServer& s) {
  return MakeInDb(s, [](db::Connection& c) -> StatusOr<int64_t> {
    ZB_ASSIGN_OR_RETURN(auto admin, storage::FindUserByLogin(c, "admin"));
    if (!admin) return NotFound("no admin");
    return admin->org_unit_id;
  });
}

inline storage::OrgUnit AddUnit(TestServer& s, int64_t parent_id, const std::string& code) {
  return MakeInDb(s, [&](db::Connection& c) {
    return storage::CreateOrgUnit(c, {.parent_id = parent_id, .name = "单位" + code, .code = code, .kind = "town"},
                                  s.clock().NowMs());
  });
}

// A role with `permissions` and data scope `scope` (all, unit_and_below, …).
inline int64_t AddRole(TestServer& s, const std::string& code, std::vector<std::string> permissions,
                       const std::string& scope) {
  return MakeInDb(s, [&](db::Connection& c) -> StatusOr<int64_t> {
    ZB_ASSIGN_OR_RETURN(auto role, storage::CreateRole(c,
                                                       {.code = code,
                                                        .name = "角色" + code,
                                                        .data_scope = scope,
                                                        .permissions = std::move(permissions)},
                                                       s.clock().NowMs()));
    return role.id;
  });
}

// A built-in role's id (`zhuanban init` made them).
inline int64_t BuiltinRoleId(TestServer& s, const std::string& code) {
  return MakeInDb(s, [&](db::Connection& c) -> StatusOr<int64_t> {
    ZB_ASSIGN_OR_RETURN(auto role, storage::FindRoleByCode(c, code));
    if (!role) return NotFound("no role " + code);
    return role->id;
  });
}

inline int64_t AddUser(TestServer& s, const std::string& login, int64_t unit_id, std::vector<int64_t> role_ids) {
  static const std::string hash = domain::HashPassword(kUserPassword);
  return MakeInDb(s, [&](db::Connection& c) -> StatusOr<int64_t> {
    ZB_ASSIGN_OR_RETURN(auto user, storage::CreateUser(c,
                                                       {.login = login,
                                                        .display_name = "用户" + login,
                                                        .org_unit_id = unit_id,
                                                        .password_hash = hash,
                                                        .must_change_password = false,
                                                        .role_ids = std::move(role_ids)},
                                                       s.clock().NowMs()));
    return user.id;
  });
}

// The headers that make a request as the session signed in last (TestServer
// keeps only one), saved to switch between several signed-in users.
struct Browser {
  std::map<std::string, std::string> headers;
};
inline Browser CurrentBrowser(const TestServer& s) {
  return {{{"Cookie", s.cookie()}, {"X-CSRF-Token", s.csrf()}}};
}

}  // namespace zb::testing
