// storage/user_repo, role_repo, scope_sql and migration 0002: written once,
// run on both engines.
#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include "storage/identity_fixture.h"
#include "storage/role_repo.h"
#include "storage/scope_sql.h"
#include "storage/user_repo.h"

namespace zb::storage_test {
namespace {

using storage::Role;
using storage::RoleChanges;
using storage::ScopeFilterSql;
using storage::User;
using storage::UserChanges;
using storage::UserFilter;

template <typename Engine>
class UserRepoTest : public IdentityTest<Engine> {};
TYPED_TEST_SUITE(UserRepoTest, Engines, EngineName);

template <typename Engine>
class RoleRepoTest : public IdentityTest<Engine> {};
TYPED_TEST_SUITE(RoleRepoTest, Engines, EngineName);

template <typename Engine>
class ScopeSqlTest : public IdentityTest<Engine> {};
TYPED_TEST_SUITE(ScopeSqlTest, Engines, EngineName);

template <typename Engine>
class IdentityMigrationTest : public DbTest<Engine> {};
TYPED_TEST_SUITE(IdentityMigrationTest, Engines, EngineName);

std::vector<std::string> Logins(const std::vector<User>& users) {
  std::vector<std::string> out;
  for (const User& u : users) out.push_back(u.login);
  return out;
}

// ---- migration ---------------------------------------------------------------

TYPED_TEST(IdentityMigrationTest, AppliesAfterOrgUnitsAndSeedsTheAuditHead) {
  ZB_ASSERT_OK_AND_ASSIGN(db::MigrateReport report, db::Migrate(this->pool()));
  ASSERT_GE(report.applied.size(), 2u);
  EXPECT_EQ(report.applied[0], "0001_org_units");
  EXPECT_EQ(report.applied[1], "0002_identity");
  ZB_ASSERT_OK_AND_ASSIGN(db::Lease lease, this->pool().Read());
  ZB_ASSERT_OK_AND_ASSIGN(auto head, lease->QueryOne("SELECT id, seq, last_hash FROM audit_head"));
  ASSERT_TRUE(head.has_value());
  EXPECT_EQ(head->Int("id"), 1);
  EXPECT_EQ(head->Int("seq"), 0);
  EXPECT_EQ(head->Text("last_hash"), std::string(64, '0'));
  for (const char* table : {"users", "roles", "role_permissions", "role_units", "user_roles", "password_history",
                            "sessions", "api_tokens", "login_log", "audit_log"}) {
    ZB_ASSERT_OK_AND_ASSIGN(int64_t n, this->Count(table));
    EXPECT_EQ(n, 0) << table;
  }
  // Only one head row, and the check lists hold on both engines.
  EXPECT_FALSE(this->ExecTx("INSERT INTO audit_head (id, seq, last_hash) VALUES (2, 0, 'x')").ok());
  EXPECT_FALSE(this->ExecTx("INSERT INTO roles (code, name, data_scope, created_at, updated_at) "
                            "VALUES ('r', 'r', 'everything', 1, 1)")
                   .ok());
  EXPECT_FALSE(this->ExecTx("INSERT INTO login_log (at, login, result) VALUES (1, 'a', 'maybe')").ok());
}

TEST(IdentityMigration, BothDialectsListTheSameMigrations) {
  const auto& s = db::MigrationsFor(db::Dialect::kSqlite);
  const auto& p = db::MigrationsFor(db::Dialect::kPostgres);
  ASSERT_EQ(s.size(), p.size());
  ASSERT_GE(s.size(), 2u);
  for (size_t i = 0; i < s.size(); ++i) {
    EXPECT_EQ(s[i].version, p[i].version);
    EXPECT_STREQ(s[i].name, p[i].name);
  }
  EXPECT_EQ(s[1].version, 2);
  EXPECT_STREQ(s[1].name, "0002_identity");
}

// ---- users -------------------------------------------------------------------

TYPED_TEST(UserRepoTest, CreateGetAndFindByLogin) {
  ZB_ASSERT_OK_AND_ASSIGN(auto city, this->Unit(std::nullopt, "WH"));
  ZB_ASSERT_OK_AND_ASSIGN(Role r1, this->NewRoleWith("r1", {"project:read"}));
  ZB_ASSERT_OK_AND_ASSIGN(Role r2, this->NewRoleWith("r2", {"project:write"}));
  ZB_ASSERT_OK_AND_ASSIGN(User u, this->NewUserIn(city.id, "zhang", {r2.id, r1.id, r2.id}));
  EXPECT_GT(u.id, 0);
  EXPECT_EQ(u.login, "zhang");
  EXPECT_EQ(u.org_unit_id, city.id);
  EXPECT_FALSE(u.enterprise_id.has_value());
  EXPECT_TRUE(u.active);
  EXPECT_EQ(u.failed_attempts, 0);
  EXPECT_FALSE(u.locked_until.has_value());
  EXPECT_EQ(u.password_hash, "hash-zhang");
  EXPECT_EQ(u.password_changed_at, kIdT0);
  EXPECT_TRUE(u.must_change_password);
  EXPECT_EQ(u.version, 1);
  EXPECT_EQ(u.created_at, kIdT0);
  EXPECT_EQ(u.role_ids, (std::vector<int64_t>{r1.id, r2.id}));

  ZB_ASSERT_OK_AND_ASSIGN(User got, this->Read([&](db::Connection& c) { return storage::GetUser(c, u.id); }));
  EXPECT_EQ(got.login, "zhang");
  EXPECT_EQ(got.display_name, "用户 zhang");
  EXPECT_EQ(got.role_ids, (std::vector<int64_t>{r1.id, r2.id}));

  ZB_ASSERT_OK_AND_ASSIGN(auto found,
                          this->Read([&](db::Connection& c) { return storage::FindUserByLogin(c, "zhang"); }));
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->id, u.id);
  EXPECT_EQ(found->role_ids.size(), 2u);
  ZB_ASSERT_OK_AND_ASSIGN(auto none,
                          this->Read([&](db::Connection& c) { return storage::FindUserByLogin(c, "nobody"); }));
  EXPECT_FALSE(none.has_value());

  auto missing = this->Read([&](db::Connection& c) { return storage::GetUser(c, 999999); });
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(missing.status().field(), "id");
}

TYPED_TEST(UserRepoTest, EnterpriseBindingIsStored) {
  ZB_ASSERT_OK_AND_ASSIGN(auto city, this->Unit(std::nullopt, "WH"));
  ZB_ASSERT_OK_AND_ASSIGN(User u, this->Write([&](db::Connection& c) {
    storage::NewUser in;
    in.login = "ent";
    in.display_name = "企业用户";
    in.org_unit_id = city.id;
    in.enterprise_id = 77;
    in.password_hash = "h";
    in.must_change_password = false;
    return storage::CreateUser(c, in, kIdT0);
  }));
  EXPECT_EQ(u.enterprise_id, 77);
  EXPECT_FALSE(u.must_change_password);
}

TYPED_TEST(UserRepoTest, ReadsCarryTheUnitsNameAndPath) {
  ZB_ASSERT_OK_AND_ASSIGN(auto city, this->Unit(std::nullopt, "WH"));
  ZB_ASSERT_OK_AND_ASSIGN(auto town, this->Unit(city.id, "T1"));
  ZB_ASSERT_OK_AND_ASSIGN(User created, this->NewUserIn(town.id, "qian"));
  EXPECT_EQ(created.org_unit_name, "单位 T1");
  EXPECT_EQ(created.org_path, town.path);
  UserChanges move;
  move.org_unit_id = city.id;
  ZB_ASSERT_OK_AND_ASSIGN(User moved, this->Write([&](db::Connection& c) {
    return storage::UpdateUser(c, created.id, 1, move, kIdT0 + 1);
  }));
  EXPECT_EQ(moved.org_unit_name, "单位 WH");
  EXPECT_EQ(moved.org_path, city.path);
  ZB_ASSERT_OK_AND_ASSIGN(auto page, this->Read([&](db::Connection& c) { return storage::ListUsers(c, {}); }));
  ASSERT_EQ(page.items.size(), 1u);
  EXPECT_EQ(page.items[0].org_path, city.path);
  ZB_ASSERT_OK_AND_ASSIGN(auto found,
                          this->Read([&](db::Connection& c) { return storage::FindUserByLogin(c, "qian"); }));
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->org_unit_name, "单位 WH");
}

TYPED_TEST(UserRepoTest, EnterpriseBindingCanBeChangedAndCleared) {
  ZB_ASSERT_OK_AND_ASSIGN(auto city, this->Unit(std::nullopt, "WH"));
  ZB_ASSERT_OK_AND_ASSIGN(User u, this->NewUserIn(city.id, "ent2"));
  UserChanges bind;
  bind.enterprise_id = std::optional<int64_t>(42);
  ZB_ASSERT_OK_AND_ASSIGN(User v2, this->Write([&](db::Connection& c) {
    return storage::UpdateUser(c, u.id, 1, bind, kIdT0 + 1);
  }));
  EXPECT_EQ(v2.enterprise_id, 42);
  UserChanges other;  // enterprise_id unset: kept
  other.display_name = "改名";
  ZB_ASSERT_OK_AND_ASSIGN(User v3, this->Write([&](db::Connection& c) {
    return storage::UpdateUser(c, u.id, 2, other, kIdT0 + 2);
  }));
  EXPECT_EQ(v3.enterprise_id, 42);
  UserChanges unbind;
  unbind.enterprise_id = std::optional<int64_t>();
  ZB_ASSERT_OK_AND_ASSIGN(User v4, this->Write([&](db::Connection& c) {
    return storage::UpdateUser(c, u.id, 3, unbind, kIdT0 + 3);
  }));
  EXPECT_FALSE(v4.enterprise_id.has_value());
  EXPECT_EQ(v4.display_name, "改名");
}

TYPED_TEST(UserRepoTest, DuplicateLoginIsAlreadyExistsAndRollsBack) {
  ZB_ASSERT_OK_AND_ASSIGN(auto city, this->Unit(std::nullopt, "WH"));
  ZB_ASSERT_OK(this->NewUserIn(city.id, "li").status());
  auto dup = this->NewUserIn(city.id, "li");
  EXPECT_EQ(dup.status().code(), StatusCode::kAlreadyExists);
  EXPECT_EQ(dup.status().field(), "login");
  ZB_ASSERT_OK_AND_ASSIGN(int64_t n, this->Count("users"));
  EXPECT_EQ(n, 1);
  ZB_ASSERT_OK_AND_ASSIGN(int64_t h, this->Count("password_history"));
  EXPECT_EQ(h, 1);
}

TYPED_TEST(UserRepoTest, MissingUnitOrRoleIsNotFoundNamingTheField) {
  ZB_ASSERT_OK_AND_ASSIGN(auto city, this->Unit(std::nullopt, "WH"));
  auto no_unit = this->NewUserIn(424242, "a");
  EXPECT_EQ(no_unit.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(no_unit.status().field(), "org_unit_id");
  auto no_role = this->NewUserIn(city.id, "b", {424242});
  EXPECT_EQ(no_role.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(no_role.status().field(), "role_ids");
  ZB_ASSERT_OK_AND_ASSIGN(int64_t n, this->Count("users"));
  EXPECT_EQ(n, 0);
}

TYPED_TEST(UserRepoTest, UpdateChangesFieldsAndRolesAndChecksTheVersion) {
  ZB_ASSERT_OK_AND_ASSIGN(auto city, this->Unit(std::nullopt, "WH"));
  ZB_ASSERT_OK_AND_ASSIGN(auto town, this->Unit(city.id, "T1"));
  ZB_ASSERT_OK_AND_ASSIGN(Role r1, this->NewRoleWith("r1", {"a"}));
  ZB_ASSERT_OK_AND_ASSIGN(Role r2, this->NewRoleWith("r2", {"b"}));
  ZB_ASSERT_OK_AND_ASSIGN(User u, this->NewUserIn(city.id, "wang", {r1.id}));

  UserChanges ch;
  ch.display_name = "王五";
  ch.email = "wang@example.cn";
  ch.org_unit_id = town.id;
  ch.active = false;
  ch.role_ids = std::vector<int64_t>{r2.id};
  ZB_ASSERT_OK_AND_ASSIGN(User v2, this->Write([&](db::Connection& c) {
    return storage::UpdateUser(c, u.id, 1, ch, kIdT0 + 5);
  }));
  EXPECT_EQ(v2.version, 2);
  EXPECT_EQ(v2.display_name, "王五");
  EXPECT_EQ(v2.email, "wang@example.cn");
  EXPECT_EQ(v2.mobile, u.mobile);  // unset keeps its value
  EXPECT_EQ(v2.org_unit_id, town.id);
  EXPECT_FALSE(v2.active);
  EXPECT_EQ(v2.updated_at, kIdT0 + 5);
  EXPECT_EQ(v2.created_at, kIdT0);
  EXPECT_EQ(v2.role_ids, (std::vector<int64_t>{r2.id}));

  // Unset role_ids keeps the roles.
  UserChanges only_mobile;
  only_mobile.mobile = "13900000000";
  ZB_ASSERT_OK_AND_ASSIGN(User v3, this->Write([&](db::Connection& c) {
    return storage::UpdateUser(c, u.id, 2, only_mobile, kIdT0 + 6);
  }));
  EXPECT_EQ(v3.role_ids, (std::vector<int64_t>{r2.id}));
  EXPECT_FALSE(v3.active);

  auto stale = this->Write([&](db::Connection& c) { return storage::UpdateUser(c, u.id, 1, ch, kIdT0 + 7); });
  EXPECT_EQ(stale.status().code(), StatusCode::kVersionConflict);
  auto missing = this->Write([&](db::Connection& c) { return storage::UpdateUser(c, 999999, 1, ch, kIdT0); });
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);
  UserChanges bad_role;
  bad_role.role_ids = std::vector<int64_t>{424242};
  auto br = this->Write([&](db::Connection& c) { return storage::UpdateUser(c, u.id, 3, bad_role, kIdT0); });
  EXPECT_EQ(br.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(br.status().field(), "role_ids");
  ZB_ASSERT_OK_AND_ASSIGN(User now, this->Read([&](db::Connection& c) { return storage::GetUser(c, u.id); }));
  EXPECT_EQ(now.version, 3);  // the failed update rolled back
  EXPECT_EQ(now.role_ids, (std::vector<int64_t>{r2.id}));
}

TYPED_TEST(UserRepoTest, LoginFailureAndSuccessBookkeepingLeaveTheVersion) {
  ZB_ASSERT_OK_AND_ASSIGN(auto city, this->Unit(std::nullopt, "WH"));
  ZB_ASSERT_OK_AND_ASSIGN(User u, this->NewUserIn(city.id, "zhao"));
  ZB_ASSERT_OK(this->Write([&](db::Connection& c) { return storage::RecordLoginFailure(c, u.id, 5, kIdT0 + 900000); }));
  ZB_ASSERT_OK_AND_ASSIGN(User locked, this->Read([&](db::Connection& c) { return storage::GetUser(c, u.id); }));
  EXPECT_EQ(locked.failed_attempts, 5);
  EXPECT_EQ(locked.locked_until, kIdT0 + 900000);
  EXPECT_EQ(locked.version, 1);
  ZB_ASSERT_OK(this->Write([&](db::Connection& c) { return storage::RecordLoginSuccess(c, u.id); }));
  ZB_ASSERT_OK_AND_ASSIGN(User ok, this->Read([&](db::Connection& c) { return storage::GetUser(c, u.id); }));
  EXPECT_EQ(ok.failed_attempts, 0);
  EXPECT_FALSE(ok.locked_until.has_value());
  EXPECT_EQ(ok.version, 1);
  Status missing = this->Write([&](db::Connection& c) { return storage::RecordLoginSuccess(c, 999999); });
  EXPECT_EQ(missing.code(), StatusCode::kNotFound);
  missing = this->Write([&](db::Connection& c) { return storage::RecordLoginFailure(c, 999999, 1, std::nullopt); });
  EXPECT_EQ(missing.code(), StatusCode::kNotFound);
}

TYPED_TEST(UserRepoTest, SetPasswordKeepsAHistoryNewestFirst) {
  ZB_ASSERT_OK_AND_ASSIGN(auto city, this->Unit(std::nullopt, "WH"));
  ZB_ASSERT_OK_AND_ASSIGN(User u, this->NewUserIn(city.id, "sun"));
  for (int i = 1; i <= 6; ++i) {
    ZB_ASSERT_OK(this->Write([&](db::Connection& c) {
      return storage::SetPassword(c, u.id, "p" + std::to_string(i), kIdT0 + i, false);
    }));
  }
  ZB_ASSERT_OK_AND_ASSIGN(User now, this->Read([&](db::Connection& c) { return storage::GetUser(c, u.id); }));
  EXPECT_EQ(now.password_hash, "p6");
  EXPECT_EQ(now.password_changed_at, kIdT0 + 6);
  EXPECT_FALSE(now.must_change_password);
  EXPECT_EQ(now.version, 1);
  ZB_ASSERT_OK_AND_ASSIGN(auto last5, this->Read([&](db::Connection& c) {
    return storage::RecentPasswordHashes(c, u.id, 5);
  }));
  EXPECT_EQ(last5, (std::vector<std::string>{"p6", "p5", "p4", "p3", "p2"}));
  ZB_ASSERT_OK_AND_ASSIGN(auto all, this->Read([&](db::Connection& c) {
    return storage::RecentPasswordHashes(c, u.id, 100);
  }));
  EXPECT_EQ(all.size(), 7u);
  EXPECT_EQ(all.back(), "hash-sun");  // the initial password counts
  // A reset forces a change.
  ZB_ASSERT_OK(this->Write([&](db::Connection& c) { return storage::SetPassword(c, u.id, "reset", kIdT0 + 9, true); }));
  ZB_ASSERT_OK_AND_ASSIGN(now, this->Read([&](db::Connection& c) { return storage::GetUser(c, u.id); }));
  EXPECT_TRUE(now.must_change_password);
  Status missing = this->Write([&](db::Connection& c) { return storage::SetPassword(c, 999999, "x", kIdT0, false); });
  EXPECT_EQ(missing.code(), StatusCode::kNotFound);
}

TYPED_TEST(UserRepoTest, ListFiltersPagesAndCounts) {
  ZB_ASSERT_OK_AND_ASSIGN(auto city, this->Unit(std::nullopt, "WH"));
  ZB_ASSERT_OK_AND_ASSIGN(auto t1, this->Unit(city.id, "T1"));
  ZB_ASSERT_OK_AND_ASSIGN(auto t2, this->Unit(city.id, "T2"));
  ZB_ASSERT_OK_AND_ASSIGN(Role r, this->NewRoleWith("r", {"a"}));
  ZB_ASSERT_OK(this->NewUserIn(city.id, "admin", {r.id}).status());
  for (int i = 0; i < 5; ++i) ZB_ASSERT_OK(this->NewUserIn(t1.id, "t1_user" + std::to_string(i)).status());
  ZB_ASSERT_OK_AND_ASSIGN(User off, this->NewUserIn(t2.id, "t2_off"));
  UserChanges deactivate;
  deactivate.active = false;
  ZB_ASSERT_OK(this->Write([&](db::Connection& c) { return storage::UpdateUser(c, off.id, 1, deactivate, kIdT0); })
                   .status());
  ZB_ASSERT_OK(this->NewUserIn(t2.id, "a%b_c").status());

  auto list = [&](const UserFilter& f) { return this->Read([&](db::Connection& c) { return storage::ListUsers(c, f); }); };

  UserFilter all;
  ZB_ASSERT_OK_AND_ASSIGN(auto page, list(all));
  EXPECT_EQ(page.total, 8);
  EXPECT_EQ(page.items.size(), 8u);
  EXPECT_EQ(page.items[0].login, "admin");
  EXPECT_EQ(page.items[0].role_ids, (std::vector<int64_t>{r.id}));

  UserFilter paged;
  paged.page = 2;
  paged.page_size = 3;
  ZB_ASSERT_OK_AND_ASSIGN(page, list(paged));
  EXPECT_EQ(page.total, 8);
  EXPECT_EQ(Logins(page.items), (std::vector<std::string>{"t1_user2", "t1_user3", "t1_user4"}));

  UserFilter subtree;
  subtree.org_path_prefix = t1.path;
  ZB_ASSERT_OK_AND_ASSIGN(page, list(subtree));
  EXPECT_EQ(page.total, 5);

  UserFilter kw;
  kw.keyword = "USER3";  // case-insensitive on login
  ZB_ASSERT_OK_AND_ASSIGN(page, list(kw));
  EXPECT_EQ(Logins(page.items), (std::vector<std::string>{"t1_user3"}));
  kw.keyword = "%";  // a literal, not a wildcard
  ZB_ASSERT_OK_AND_ASSIGN(page, list(kw));
  EXPECT_EQ(Logins(page.items), (std::vector<std::string>{"a%b_c"}));
  kw.keyword = "用户 ADM";  // display name
  ZB_ASSERT_OK_AND_ASSIGN(page, list(kw));
  EXPECT_EQ(Logins(page.items), (std::vector<std::string>{"admin"}));
  kw.keyword = "13800005";  // mobile ("1380000" + login length)
  ZB_ASSERT_OK_AND_ASSIGN(page, list(kw));
  EXPECT_EQ(Logins(page.items), (std::vector<std::string>{"admin", "a%b_c"}));
  EXPECT_EQ(page.total, 2);

  UserFilter inactive;
  inactive.active = false;
  ZB_ASSERT_OK_AND_ASSIGN(page, list(inactive));
  EXPECT_EQ(Logins(page.items), (std::vector<std::string>{"t2_off"}));
  inactive.active = true;
  ZB_ASSERT_OK_AND_ASSIGN(page, list(inactive));
  EXPECT_EQ(page.total, 7);

  UserFilter scoped;  // scope AND subtree AND keyword combine
  scoped.scope = ScopeFilterSql{};
  scoped.scope->unit_ids = {t2.id};
  ZB_ASSERT_OK_AND_ASSIGN(page, list(scoped));
  EXPECT_EQ(page.total, 2);
  scoped.active = true;
  ZB_ASSERT_OK_AND_ASSIGN(page, list(scoped));
  EXPECT_EQ(Logins(page.items), (std::vector<std::string>{"a%b_c"}));
}

// ---- roles -------------------------------------------------------------------

TYPED_TEST(RoleRepoTest, CreateGetFindAndList) {
  ZB_ASSERT_OK_AND_ASSIGN(auto city, this->Unit(std::nullopt, "WH"));
  ZB_ASSERT_OK_AND_ASSIGN(auto t1, this->Unit(city.id, "T1"));
  ZB_ASSERT_OK_AND_ASSIGN(Role admin, this->NewRoleWith("admin", {"user:write", "project:read"}, "all", true));
  EXPECT_GT(admin.id, 0);
  EXPECT_TRUE(admin.builtin);
  EXPECT_EQ(admin.data_scope, "all");
  EXPECT_EQ(admin.version, 1);
  EXPECT_EQ(admin.created_at, kIdT0);
  EXPECT_EQ(admin.permissions, (std::vector<std::string>{"project:read", "user:write"}));
  ZB_ASSERT_OK_AND_ASSIGN(Role custom, this->NewRoleWith("custom", {"project:read"}, "custom", false, {t1.id, city.id}));
  EXPECT_EQ(custom.custom_unit_ids, (std::vector<int64_t>{city.id, t1.id}));

  ZB_ASSERT_OK_AND_ASSIGN(Role got, this->Read([&](db::Connection& c) { return storage::GetRole(c, custom.id); }));
  EXPECT_EQ(got.code, "custom");
  EXPECT_EQ(got.permissions, (std::vector<std::string>{"project:read"}));
  EXPECT_EQ(got.custom_unit_ids, (std::vector<int64_t>{city.id, t1.id}));
  ZB_ASSERT_OK_AND_ASSIGN(auto found, this->Read([&](db::Connection& c) { return storage::FindRoleByCode(c, "admin"); }));
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->id, admin.id);
  ZB_ASSERT_OK_AND_ASSIGN(auto none, this->Read([&](db::Connection& c) { return storage::FindRoleByCode(c, "zz"); }));
  EXPECT_FALSE(none.has_value());
  ZB_ASSERT_OK_AND_ASSIGN(auto all, this->Read([&](db::Connection& c) { return storage::ListRoles(c); }));
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0].code, "admin");
  EXPECT_EQ(all[0].permissions.size(), 2u);
  EXPECT_EQ(all[1].custom_unit_ids.size(), 2u);

  auto missing = this->Read([&](db::Connection& c) { return storage::GetRole(c, 999999); });
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(missing.status().field(), "id");
}

TYPED_TEST(RoleRepoTest, DuplicateCodeBadScopeAndMissingUnit) {
  ZB_ASSERT_OK(this->NewRoleWith("dup", {"a"}).status());
  auto dup = this->NewRoleWith("dup", {"a"});
  EXPECT_EQ(dup.status().code(), StatusCode::kAlreadyExists);
  EXPECT_EQ(dup.status().field(), "code");
  EXPECT_FALSE(this->NewRoleWith("bad", {"a"}, "everything").ok());
  auto no_unit = this->NewRoleWith("nu", {"a"}, "custom", false, {424242});
  EXPECT_EQ(no_unit.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(no_unit.status().field(), "custom_unit_ids");
  ZB_ASSERT_OK_AND_ASSIGN(int64_t n, this->Count("roles"));
  EXPECT_EQ(n, 1);
}

TYPED_TEST(RoleRepoTest, UpdateReplacesListsAndChecksTheVersion) {
  ZB_ASSERT_OK_AND_ASSIGN(auto city, this->Unit(std::nullopt, "WH"));
  ZB_ASSERT_OK_AND_ASSIGN(Role r, this->NewRoleWith("r", {"a", "b"}));
  RoleChanges ch;
  ch.name = "新名称";
  ch.data_scope = "custom";
  ch.permissions = std::vector<std::string>{"c"};
  ch.custom_unit_ids = std::vector<int64_t>{city.id};
  ZB_ASSERT_OK_AND_ASSIGN(Role v2, this->Write([&](db::Connection& c) {
    return storage::UpdateRole(c, r.id, 1, ch, kIdT0 + 1);
  }));
  EXPECT_EQ(v2.version, 2);
  EXPECT_EQ(v2.name, "新名称");
  EXPECT_EQ(v2.code, "r");
  EXPECT_EQ(v2.data_scope, "custom");
  EXPECT_EQ(v2.permissions, (std::vector<std::string>{"c"}));
  EXPECT_EQ(v2.custom_unit_ids, (std::vector<int64_t>{city.id}));
  EXPECT_EQ(v2.updated_at, kIdT0 + 1);

  RoleChanges remark;
  remark.remark = "备注";
  ZB_ASSERT_OK_AND_ASSIGN(Role v3, this->Write([&](db::Connection& c) {
    return storage::UpdateRole(c, r.id, 2, remark, kIdT0 + 2);
  }));
  EXPECT_EQ(v3.remark, "备注");
  EXPECT_EQ(v3.permissions, (std::vector<std::string>{"c"}));  // unset lists stay
  EXPECT_EQ(v3.custom_unit_ids, (std::vector<int64_t>{city.id}));

  auto stale = this->Write([&](db::Connection& c) { return storage::UpdateRole(c, r.id, 1, remark, kIdT0); });
  EXPECT_EQ(stale.status().code(), StatusCode::kVersionConflict);
  auto missing = this->Write([&](db::Connection& c) { return storage::UpdateRole(c, 999999, 1, remark, kIdT0); });
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);
}

TYPED_TEST(RoleRepoTest, DeleteRefusesBuiltinAndInUseNamingTheRole) {
  ZB_ASSERT_OK_AND_ASSIGN(auto city, this->Unit(std::nullopt, "WH"));
  ZB_ASSERT_OK_AND_ASSIGN(Role builtin, this->NewRoleWith("admin", {"a"}, "all", true));
  ZB_ASSERT_OK_AND_ASSIGN(Role used, this->NewRoleWith("used", {"a"}));
  ZB_ASSERT_OK_AND_ASSIGN(Role spare, this->NewRoleWith("spare", {"a", "b"}, "custom", false, {city.id}));
  ZB_ASSERT_OK(this->NewUserIn(city.id, "u", {used.id}).status());

  Status s = this->Write([&](db::Connection& c) { return storage::DeleteRole(c, builtin.id); });
  EXPECT_EQ(s.code(), StatusCode::kConflict);
  EXPECT_NE(s.message().find("角色 admin"), std::string::npos) << s.ToString();
  s = this->Write([&](db::Connection& c) { return storage::DeleteRole(c, used.id); });
  EXPECT_EQ(s.code(), StatusCode::kConflict);
  EXPECT_NE(s.message().find("角色 used"), std::string::npos) << s.ToString();
  EXPECT_NE(s.message().find("1 个用户"), std::string::npos) << s.ToString();
  ZB_ASSERT_OK(this->Write([&](db::Connection& c) { return storage::DeleteRole(c, spare.id); }));
  s = this->Write([&](db::Connection& c) { return storage::DeleteRole(c, spare.id); });
  EXPECT_EQ(s.code(), StatusCode::kNotFound);
  ZB_ASSERT_OK_AND_ASSIGN(int64_t perms, this->Count("role_permissions"));
  EXPECT_EQ(perms, 2);  // admin's and used's; spare's went with it
  ZB_ASSERT_OK_AND_ASSIGN(int64_t units, this->Count("role_units"));
  EXPECT_EQ(units, 0);
}

TYPED_TEST(RoleRepoTest, CountUsersByRoleCountsActiveAndInactiveHolders) {
  ZB_ASSERT_OK_AND_ASSIGN(auto city, this->Unit(std::nullopt, "WH"));
  ZB_ASSERT_OK_AND_ASSIGN(Role a, this->NewRoleWith("a", {"p:1"}));
  ZB_ASSERT_OK_AND_ASSIGN(Role b, this->NewRoleWith("b", {"p:2"}));
  ZB_ASSERT_OK_AND_ASSIGN(Role unused, this->NewRoleWith("unused", {"p:3"}));
  ZB_ASSERT_OK(this->NewUserIn(city.id, "u1", {a.id, b.id}).status());
  ZB_ASSERT_OK_AND_ASSIGN(User u2, this->NewUserIn(city.id, "u2", {a.id}));
  UserChanges off;
  off.active = false;
  ZB_ASSERT_OK(this->Write([&](db::Connection& c) { return storage::UpdateUser(c, u2.id, 1, off, kIdT0); }).status());
  ZB_ASSERT_OK_AND_ASSIGN(auto counts, this->Read([&](db::Connection& c) { return storage::CountUsersByRole(c); }));
  EXPECT_EQ(counts[a.id], 2);
  EXPECT_EQ(counts[b.id], 1);
  EXPECT_EQ(counts.count(unused.id), 0u);
}

TYPED_TEST(RoleRepoTest, RolesForUser) {
  ZB_ASSERT_OK_AND_ASSIGN(auto city, this->Unit(std::nullopt, "WH"));
  ZB_ASSERT_OK_AND_ASSIGN(Role a, this->NewRoleWith("a", {"p:1", "p:2"}, "unit_and_below"));
  ZB_ASSERT_OK_AND_ASSIGN(Role b, this->NewRoleWith("b", {"p:3"}, "custom", false, {city.id}));
  ZB_ASSERT_OK_AND_ASSIGN(Role c, this->NewRoleWith("c", {"p:4"}));
  ZB_ASSERT_OK_AND_ASSIGN(User u, this->NewUserIn(city.id, "u", {b.id, a.id}));
  ZB_ASSERT_OK(this->NewUserIn(city.id, "other", {c.id}).status());
  ZB_ASSERT_OK_AND_ASSIGN(auto roles, this->Read([&](db::Connection& conn) { return storage::RolesForUser(conn, u.id); }));
  ASSERT_EQ(roles.size(), 2u);
  EXPECT_EQ(roles[0].code, "a");
  EXPECT_EQ(roles[0].data_scope, "unit_and_below");
  EXPECT_EQ(roles[0].permissions, (std::vector<std::string>{"p:1", "p:2"}));
  EXPECT_EQ(roles[1].code, "b");
  EXPECT_EQ(roles[1].custom_unit_ids, (std::vector<int64_t>{city.id}));
  ZB_ASSERT_OK_AND_ASSIGN(auto none, this->Read([&](db::Connection& conn) { return storage::RolesForUser(conn, 999999); }));
  EXPECT_TRUE(none.empty());
}

// ---- scope_sql ---------------------------------------------------------------

TEST(ScopeSql, BuildsPlaceholdersContinuingFromTheParams) {
  db::Params params = {int64_t{1}, int64_t{2}};
  ScopeFilterSql s;
  s.subtree_paths = {"/1/5/"};
  s.unit_ids = {7, 8};
  s.self_user_id = 9;
  EXPECT_EQ(storage::ScopeWhere(s, "u.path", "u.id", "x.created_by", &params),
            "(u.path LIKE $3 || '%' OR u.id IN ($4,$5) OR x.created_by = $6)");
  ASSERT_EQ(params.size(), 6u);
  EXPECT_EQ(std::get<std::string>(params[2]), "/1/5/");
  EXPECT_EQ(std::get<int64_t>(params[5]), 9);
  db::Params none;
  EXPECT_EQ(storage::ScopeWhere(ScopeFilterSql{}, "p", "i", "o", &none), "1=0");
  ScopeFilterSql all;
  all.all = true;
  all.unit_ids = {1};
  EXPECT_EQ(storage::ScopeWhere(all, "p", "i", "o", &none), "1=1");
  EXPECT_TRUE(none.empty());
  ScopeFilterSql self_only;
  self_only.self_user_id = 3;
  EXPECT_EQ(storage::ScopeWhere(self_only, "p", "i", "", &none), "1=0");  // no owner column
  EXPECT_EQ(storage::EscapeLike("a%b_c\\"), "a\\%b\\_c\\\\");
}

// Every combination of the four parts, run against real rows: users in a
// small tree, scoped by their unit (path, id) and by themselves as owner.
TYPED_TEST(ScopeSqlTest, EveryCombinationFiltersRowsOnBothEngines) {
  ZB_ASSERT_OK_AND_ASSIGN(auto city, this->Unit(std::nullopt, "C"));
  ZB_ASSERT_OK_AND_ASSIGN(auto a, this->Unit(city.id, "A"));
  ZB_ASSERT_OK_AND_ASSIGN(auto a1, this->Unit(a.id, "A1"));
  ZB_ASSERT_OK_AND_ASSIGN(auto b, this->Unit(city.id, "B"));
  ZB_ASSERT_OK_AND_ASSIGN(auto b1, this->Unit(b.id, "B1"));
  ZB_ASSERT_OK_AND_ASSIGN(User uc, this->NewUserIn(city.id, "uc"));
  ZB_ASSERT_OK_AND_ASSIGN(User ua, this->NewUserIn(a.id, "ua"));
  ZB_ASSERT_OK_AND_ASSIGN(User ua1, this->NewUserIn(a1.id, "ua1"));
  ZB_ASSERT_OK_AND_ASSIGN(User ub, this->NewUserIn(b.id, "ub"));
  ZB_ASSERT_OK_AND_ASSIGN(User ub1, this->NewUserIn(b1.id, "ub1"));
  (void)uc;
  (void)ua;

  const std::set<std::string> everyone = {"uc", "ua", "ua1", "ub", "ub1"};
  for (int mask = 0; mask < 16; ++mask) {
    ScopeFilterSql s;
    std::set<std::string> want;
    if (mask & 1) {
      s.all = true;
      want = everyone;
    } else {
      if (mask & 2) {  // subtree of A, and of B1 (two paths)
        s.subtree_paths = {a.path, b1.path};
        want.insert({"ua", "ua1", "ub1"});
      }
      if (mask & 4) {  // units B and C, not their children
        s.unit_ids = {b.id, city.id};
        want.insert({"ub", "uc"});
      }
      if (mask & 8) {  // self
        s.self_user_id = ua1.id;
        want.insert("ua1");
      }
    }
    ZB_ASSERT_OK_AND_ASSIGN(auto rows, this->Read([&](db::Connection& c) {
      db::Params params = {std::string("%")};  // a leading parameter, as callers have
      std::string where = storage::ScopeWhere(s, "o.path", "o.id", "u.id", &params);
      return c.Query("SELECT u.login FROM users u JOIN org_units o ON o.id = u.org_unit_id "
                     "WHERE u.login LIKE $1 AND " + where + " ORDER BY u.id",
                     params);
    }));
    std::set<std::string> got;
    for (const db::Row& r : rows.rows) got.insert(r.Text("login"));
    EXPECT_EQ(got, want) << "mask " << mask;

    // The same filter through ListUsers.
    UserFilter f;
    f.scope = s;
    ZB_ASSERT_OK_AND_ASSIGN(auto page, this->Read([&](db::Connection& c) { return storage::ListUsers(c, f); }));
    EXPECT_EQ(page.total, static_cast<int64_t>(want.size())) << "mask " << mask;
    auto logins = Logins(page.items);
    EXPECT_EQ(std::set<std::string>(logins.begin(), logins.end()), want) << "mask " << mask;
  }
  (void)ub;
}

}  // namespace
}  // namespace zb::storage_test
