// Shared by the identity repository contract tests: a migrated database,
// Write()/Read() helpers and a few org units, users and roles to build on.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "storage/org_unit_repo.h"
#include "storage/role_repo.h"
#include "storage/storage_fixture.h"
#include "storage/user_repo.h"

namespace zb::storage_test {

inline constexpr int64_t kIdT0 = 1'700'000'000'000;  // epoch ms, fixed for determinism

inline Status StatusOf(const Status& s) { return s; }
template <typename T>
Status StatusOf(const StatusOr<T>& s) {
  return s.status();
}

template <typename Engine>
class IdentityTest : public MigratedDbTest<Engine> {
 protected:
  // Runs fn(conn) in its own transaction; commits when it succeeds.
  template <typename F>
  auto Write(F&& fn) -> decltype(fn(std::declval<db::Connection&>())) {
    using R = decltype(fn(std::declval<db::Connection&>()));
    std::optional<R> out;
    Status s = db::InTx(this->pool(), [&](db::Connection& c) -> Status {
      out.emplace(fn(c));
      return StatusOf(*out);
    });
    if (out && !StatusOf(*out).ok()) return std::move(*out);
    if (!s.ok()) return R(s);
    return std::move(*out);
  }

  // Runs fn(conn) on a read lease.
  template <typename F>
  auto Read(F&& fn) -> decltype(fn(std::declval<db::Connection&>())) {
    using R = decltype(fn(std::declval<db::Connection&>()));
    auto lease = this->pool().Read();
    if (!lease.ok()) return R(lease.status());
    return fn(**lease);
  }

  StatusOr<storage::OrgUnit> Unit(std::optional<int64_t> parent, const std::string& code) {
    return Write([&](db::Connection& c) {
      storage::NewOrgUnit in;
      in.parent_id = parent;
      in.name = "单位 " + code;
      in.code = code;
      in.kind = parent ? "town" : "city";
      return storage::CreateOrgUnit(c, in, kIdT0);
    });
  }

  StatusOr<storage::User> NewUserIn(int64_t org_unit_id, const std::string& login,
                                    std::vector<int64_t> role_ids = {}) {
    return Write([&](db::Connection& c) {
      storage::NewUser in;
      in.login = login;
      in.display_name = "用户 " + login;
      in.mobile = "1380000" + std::to_string(login.size());
      in.org_unit_id = org_unit_id;
      in.password_hash = "hash-" + login;
      in.role_ids = role_ids;
      return storage::CreateUser(c, in, kIdT0);
    });
  }

  StatusOr<storage::Role> NewRoleWith(const std::string& code, std::vector<std::string> permissions,
                                      const std::string& scope = "unit", bool builtin = false,
                                      std::vector<int64_t> units = {}) {
    return Write([&](db::Connection& c) {
      storage::NewRole in;
      in.code = code;
      in.name = "角色 " + code;
      in.builtin = builtin;
      in.data_scope = scope;
      in.permissions = permissions;
      in.custom_unit_ids = units;
      return storage::CreateRole(c, in, kIdT0);
    });
  }
};

}  // namespace zb::storage_test
