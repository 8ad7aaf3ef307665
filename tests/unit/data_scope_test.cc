#include "domain/data_scope.h"

#include <gtest/gtest.h>

namespace zb::domain {
namespace {

TEST(DataScope, CodesAndLabelsParse) {
  EXPECT_EQ(ParseDataScope("unit_and_below"), DataScope::kUnitAndBelow);
  EXPECT_EQ(ParseDataScope("本单位及以下"), DataScope::kUnitAndBelow);
  EXPECT_EQ(ParseDataScope("自定义单位"), DataScope::kCustom);
  EXPECT_FALSE(ParseDataScope("everything").has_value());
  EXPECT_EQ(DataScopes().size(), 5u);
  for (const auto& d : DataScopes()) {
    EXPECT_EQ(ParseDataScope(d.code), d.scope);
    EXPECT_EQ(DataScopeCode(d.scope), d.code);
    EXPECT_EQ(DataScopeLabel(d.scope), d.label);
  }
}

TEST(ScopeFilter, UnitPlusCustomGivesExactIds) {
  ScopeFilter f = ComputeScopeFilter(
      {{DataScope::kUnit, {}}, {DataScope::kCustom, {30, 7, 12}}}, 12, "/1/5/12/");
  EXPECT_FALSE(f.all);
  EXPECT_EQ(f.unit_ids, (std::vector<int64_t>{7, 12, 30}));
  EXPECT_TRUE(f.subtree_paths.empty());
  EXPECT_FALSE(f.self);
  EXPECT_TRUE(ScopeAllowsUnit(f, 30, "/1/30/"));
  EXPECT_FALSE(ScopeAllowsUnit(f, 31, "/1/5/12/31/"));  // exact units, not their children
}

TEST(ScopeFilter, AllShortCircuitsEverything) {
  ScopeFilter f = ComputeScopeFilter(
      {{DataScope::kUnitAndBelow, {}}, {DataScope::kSelf, {}}, {DataScope::kAll, {}}}, 12, "/1/5/12/");
  EXPECT_TRUE(f.all);
  EXPECT_TRUE(f.subtree_paths.empty());
  EXPECT_TRUE(f.unit_ids.empty());
  EXPECT_FALSE(f.self);
  EXPECT_TRUE(ScopeAllowsUnit(f, 99, "/99/"));
}

TEST(ScopeFilter, SelfOnly) {
  ScopeFilter f = ComputeScopeFilter({{DataScope::kSelf, {}}}, 12, "/1/5/12/");
  EXPECT_TRUE(f.self);
  EXPECT_FALSE(ScopeEmpty(f));
  EXPECT_FALSE(ScopeAllowsUnit(f, 12, "/1/5/12/"));
  EXPECT_TRUE(ScopeAllows(f, 12, "/1/5/12/", true));
  EXPECT_FALSE(ScopeAllows(f, 12, "/1/5/12/", false));
}

TEST(ScopeFilter, NoRolesSeeNothing) {
  ScopeFilter f = ComputeScopeFilter({}, 12, "/1/5/12/");
  EXPECT_TRUE(ScopeEmpty(f));
  EXPECT_FALSE(ScopeAllowsUnit(f, 12, "/1/5/12/"));
  EXPECT_FALSE(ScopeAllows(f, 12, "/1/5/12/", true));
}

TEST(ScopeFilter, UserWithoutAUnitGetsNothingFromUnitScopes) {
  ScopeFilter f = ComputeScopeFilter({{DataScope::kUnit, {}}, {DataScope::kUnitAndBelow, {}}}, 0, "");
  EXPECT_TRUE(ScopeEmpty(f));
  f = ComputeScopeFilter({{DataScope::kUnitAndBelow, {}}}, 12, "1/5/12");  // malformed path
  EXPECT_TRUE(ScopeEmpty(f));
}

TEST(ScopeFilter, PathPrefixMustEndAtASegment) {
  ScopeFilter f = ComputeScopeFilter({{DataScope::kUnitAndBelow, {}}}, 5, "/1/5/");
  EXPECT_EQ(f.subtree_paths, (std::vector<std::string>{"/1/5/"}));
  EXPECT_TRUE(ScopeAllowsUnit(f, 5, "/1/5/"));
  EXPECT_TRUE(ScopeAllowsUnit(f, 12, "/1/5/12/"));
  EXPECT_FALSE(ScopeAllowsUnit(f, 50, "/1/50/"));
  EXPECT_FALSE(ScopeAllowsUnit(f, 1, "/1/"));
}

TEST(ScopeFilter, NormaliseDropsCoveredSubtreesButKeepsSiblingsWithLongerNames) {
  ScopeFilter f{.subtree_paths = {"/1/5/12/", "/1/50/", "/1/5/", "/1/5/", "bad"}, .unit_ids = {9, 3, 9}};
  NormalizeScopeFilter(f);
  EXPECT_EQ(f.subtree_paths, (std::vector<std::string>{"/1/5/", "/1/50/"}));
  EXPECT_EQ(f.unit_ids, (std::vector<int64_t>{3, 9}));
  ScopeFilter all{.all = true, .subtree_paths = {"/1/"}, .unit_ids = {3}, .self = true};
  NormalizeScopeFilter(all);
  EXPECT_TRUE(all.all);
  EXPECT_TRUE(all.subtree_paths.empty() && all.unit_ids.empty() && !all.self);
  ScopeFilter twice = ComputeScopeFilter({{DataScope::kUnitAndBelow, {}}, {DataScope::kUnitAndBelow, {}}}, 5, "/1/5/");
  EXPECT_EQ(twice.subtree_paths.size(), 1u);
}

TEST(ScopeFilter, UnitAndBelowPlusUnitKeepsTheRedundantId) {
  ScopeFilter f = ComputeScopeFilter(
      {{DataScope::kUnitAndBelow, {}}, {DataScope::kUnit, {}}, {DataScope::kCustom, {12, 40}}}, 5, "/1/5/");
  EXPECT_EQ(f.subtree_paths, (std::vector<std::string>{"/1/5/"}));
  EXPECT_EQ(f.unit_ids, (std::vector<int64_t>{5, 12, 40}));  // 5 and 12 are covered but kept (documented)
  EXPECT_TRUE(ScopeAllowsUnit(f, 40, "/1/2/40/"));
}

TEST(ScopeFilter, UnitPathValidity) {
  EXPECT_TRUE(IsValidUnitPath("/1/"));
  EXPECT_TRUE(IsValidUnitPath("/1/5/12/"));
  EXPECT_FALSE(IsValidUnitPath("/"));
  EXPECT_FALSE(IsValidUnitPath("/1/5"));
  EXPECT_FALSE(IsValidUnitPath("/1//5/"));
  EXPECT_FALSE(IsValidUnitPath("/1/05/"));
  EXPECT_FALSE(IsValidUnitPath("/1/a/"));
}

}  // namespace
}  // namespace zb::domain
