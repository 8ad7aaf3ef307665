#include "domain/permissions.h"

#include <gtest/gtest.h>

#include <set>

namespace zb::domain {
namespace {

TEST(Permissions, CodesAreUniqueAndWellFormed) {
  std::set<std::string_view> seen;
  for (const auto& p : AllPermissions()) {
    EXPECT_TRUE(seen.insert(p.code).second) << p.code;
    EXPECT_NE(p.code.find(':'), std::string_view::npos) << p.code;
    EXPECT_FALSE(p.label.empty());
    EXPECT_FALSE(p.group.empty());
    EXPECT_FALSE(p.group_label.empty());
    EXPECT_TRUE(IsKnownPermission(p.code));
  }
  for (auto code : {"org:read", "org:write", "user:read", "user:write", "role:read", "role:write", "session:read",
                    "session:revoke", "token:manage", "audit:read", "audit:export", "loginlog:read", "project:read",
                    "project:write", "enterprise:read", "enterprise:write", "problem:read", "problem:assign"}) {
    EXPECT_TRUE(IsKnownPermission(code)) << code;
  }
  EXPECT_FALSE(IsKnownPermission("org:delete"));
  EXPECT_FALSE(IsKnownPermission(""));
  EXPECT_EQ(FindPermission("org:read")->label, "组织机构查看");
}

TEST(Permissions, BuiltinRolesUseOnlyKnownPermissions) {
  std::set<std::string_view> codes;
  for (const auto& r : BuiltinRoles()) {
    EXPECT_TRUE(codes.insert(r.code).second) << r.code;
    std::set<std::string_view> perms;
    for (auto p : r.permissions) {
      EXPECT_TRUE(IsKnownPermission(p)) << r.code << " " << p;
      EXPECT_TRUE(perms.insert(p).second) << r.code << " repeats " << p;
    }
  }
  EXPECT_EQ(BuiltinRoles().size(), 8u);
}

TEST(Permissions, AdminHasAllAndScopesAreAsDocumented) {
  const BuiltinRole* admin = FindBuiltinRole("admin");
  ASSERT_NE(admin, nullptr);
  EXPECT_EQ(admin->name, "系统管理员");
  EXPECT_EQ(admin->scope, DataScope::kAll);
  EXPECT_EQ(admin->permissions.size(), AllPermissions().size());
  EXPECT_EQ(FindBuiltinRole("town")->scope, DataScope::kUnitAndBelow);
  EXPECT_EQ(FindBuiltinRole("department")->scope, DataScope::kUnit);
  EXPECT_EQ(FindBuiltinRole("liaison")->scope, DataScope::kSelf);
  EXPECT_EQ(FindBuiltinRole("enterprise")->scope, DataScope::kSelf);
  EXPECT_EQ(FindBuiltinRole("readonly")->scope, DataScope::kUnitAndBelow);
  EXPECT_EQ(FindBuiltinRole("nobody"), nullptr);
}

TEST(Permissions, ReadOnlyRolesWriteNothing) {
  for (auto code : {"leader", "readonly"}) {
    for (auto p : FindBuiltinRole(code)->permissions) {
      // A leader reads, and may 督办 (docs/api-problems.md): an instruction, not an edit.
      if (std::string_view(code) == "leader" && p == "problem:supervise") continue;
      EXPECT_TRUE(p.ends_with(":read")) << code << " " << p;
    }
  }
}

}  // namespace
}  // namespace zb::domain
