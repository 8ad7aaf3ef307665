// storage/org_unit_repo: written once, run on both engines.
#include "storage/org_unit_repo.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "storage/storage_fixture.h"

namespace zb::storage_test {
namespace {

using storage::NewOrgUnit;
using storage::OrgUnit;
using storage::OrgUnitChanges;

constexpr int64_t kT0 = 1'700'000'000'000;  // epoch ms, fixed for determinism

OrgUnitChanges Rename(std::string name) {
  OrgUnitChanges c;
  c.name = std::move(name);
  return c;
}

OrgUnitChanges Recode(std::string code) {
  OrgUnitChanges c;
  c.code = std::move(code);
  return c;
}

template <typename Engine>
class OrgUnitRepoTest : public MigratedDbTest<Engine> {
 protected:
  StatusOr<OrgUnit> Create(std::optional<int64_t> parent, const std::string& code, const std::string& kind,
                           int64_t sort_order = 0) {
    OrgUnit out;
    Status s = db::InTx(this->pool(), [&](db::Connection& c) -> Status {
      NewOrgUnit in;
      in.parent_id = parent;
      in.name = "单位 " + code;
      in.short_name = code;
      in.code = code;
      in.kind = kind;
      in.sort_order = sort_order;
      ZB_ASSIGN_OR_RETURN(out, storage::CreateOrgUnit(c, in, kT0));
      return Status();
    });
    if (!s.ok()) return s;
    return out;
  }

  StatusOr<std::vector<OrgUnit>> List(std::optional<int64_t> root, bool include_inactive = false) {
    ZB_ASSIGN_OR_RETURN(db::Lease lease, this->pool().Read());
    return storage::ListOrgUnits(*lease, root, include_inactive);
  }

  StatusOr<OrgUnit> Get(int64_t id) {
    ZB_ASSIGN_OR_RETURN(db::Lease lease, this->pool().Read());
    return storage::GetOrgUnit(*lease, id);
  }

  StatusOr<OrgUnit> Update(int64_t id, int64_t version, const OrgUnitChanges& changes, int64_t now) {
    OrgUnit out;
    Status s = db::InTx(this->pool(), [&](db::Connection& c) -> Status {
      ZB_ASSIGN_OR_RETURN(out, storage::UpdateOrgUnit(c, id, version, changes, now));
      return Status();
    });
    if (!s.ok()) return s;
    return out;
  }

  StatusOr<OrgUnit> Deactivate(int64_t id, int64_t version, int64_t now) {
    OrgUnit out;
    Status s = db::InTx(this->pool(), [&](db::Connection& c) -> Status {
      ZB_ASSIGN_OR_RETURN(out, storage::DeactivateOrgUnit(c, id, version, now));
      return Status();
    });
    if (!s.ok()) return s;
    return out;
  }

  // Runs one repository write in its own Tx and returns its result.
  template <typename Fn>
  StatusOr<OrgUnit> InTx(Fn fn) {
    OrgUnit out;
    Status s = db::InTx(this->pool(), [&](db::Connection& c) -> Status {
      ZB_ASSIGN_OR_RETURN(out, fn(c));
      return Status();
    });
    if (!s.ok()) return s;
    return out;
  }

  static std::vector<std::string> Codes(const std::vector<OrgUnit>& units) {
    std::vector<std::string> out;
    for (const auto& u : units) out.push_back(u.code);
    return out;
  }
};
TYPED_TEST_SUITE(OrgUnitRepoTest, Engines, EngineName);

TYPED_TEST(OrgUnitRepoTest, CreateReturnsTheRowWithItsPath) {
  ZB_ASSERT_OK_AND_ASSIGN(OrgUnit city, this->Create(std::nullopt, "WH", "city"));
  EXPECT_GT(city.id, 0);
  EXPECT_FALSE(city.parent_id.has_value());
  EXPECT_EQ(city.name, "单位 WH");
  EXPECT_EQ(city.short_name, "WH");
  EXPECT_EQ(city.kind, "city");
  EXPECT_TRUE(city.active);
  EXPECT_EQ(city.version, 1);
  EXPECT_EQ(city.created_at, kT0);
  EXPECT_EQ(city.updated_at, kT0);
  EXPECT_EQ(city.path, "/" + std::to_string(city.id) + "/");

  ZB_ASSERT_OK_AND_ASSIGN(OrgUnit zone, this->Create(city.id, "GX", "zone"));
  ZB_ASSERT_OK_AND_ASSIGN(OrgUnit town, this->Create(zone.id, "CC", "town"));
  EXPECT_EQ(town.parent_id, zone.id);
  EXPECT_EQ(town.path, city.path + std::to_string(zone.id) + "/" + std::to_string(town.id) + "/");

  ZB_ASSERT_OK_AND_ASSIGN(OrgUnit got, this->Get(town.id));
  EXPECT_EQ(got.code, "CC");
  EXPECT_EQ(got.path, town.path);
  EXPECT_EQ(got.parent_id, zone.id);
}

TYPED_TEST(OrgUnitRepoTest, GetMissingIsNotFound) {
  auto missing = this->Get(424242);
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(missing.status().message(), "组织机构不存在");
  EXPECT_EQ(missing.status().field(), "id");
}

TYPED_TEST(OrgUnitRepoTest, CreateUnderMissingParentIsNotFound) {
  auto orphan = this->Create(int64_t{999}, "X", "town");
  EXPECT_EQ(orphan.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(orphan.status().field(), "parent_id");
}

TYPED_TEST(OrgUnitRepoTest, DuplicateCodeIsAlreadyExistsAndRollsBack) {
  ZB_ASSERT_OK(this->Create(std::nullopt, "WH", "city").status());
  auto dup = this->Create(std::nullopt, "WH", "city");
  EXPECT_EQ(dup.status().code(), StatusCode::kAlreadyExists);
  EXPECT_EQ(dup.status().field(), "code");
  ZB_ASSERT_OK_AND_ASSIGN(auto all, this->List(std::nullopt, true));
  EXPECT_EQ(all.size(), 1u);
}

TYPED_TEST(OrgUnitRepoTest, CreateInsideARolledBackTxLeavesNothing) {
  {
    ZB_ASSERT_OK_AND_ASSIGN(db::Tx tx, this->pool().Begin());
    NewOrgUnit in;
    in.name = "临时";
    in.code = "TMP";
    in.kind = "city";
    ZB_ASSERT_OK(storage::CreateOrgUnit(tx.conn(), in, kT0).status());
  }
  ZB_ASSERT_OK_AND_ASSIGN(auto all, this->List(std::nullopt, true));
  EXPECT_TRUE(all.empty());
}

TYPED_TEST(OrgUnitRepoTest, ListOrdersByDepthThenSortOrderThenId) {
  ZB_ASSERT_OK_AND_ASSIGN(OrgUnit wh, this->Create(std::nullopt, "WH", "city", 2));
  ZB_ASSERT_OK_AND_ASSIGN(OrgUnit yt, this->Create(std::nullopt, "YT", "city", 1));
  ZB_ASSERT_OK_AND_ASSIGN(OrgUnit hc, this->Create(wh.id, "HC", "county", 5));
  ZB_ASSERT_OK_AND_ASSIGN(OrgUnit gx, this->Create(wh.id, "GX", "zone", 1));
  ZB_ASSERT_OK_AND_ASSIGN(OrgUnit cc, this->Create(gx.id, "CC", "town"));
  ZB_ASSERT_OK_AND_ASSIGN(OrgUnit fs, this->Create(yt.id, "FS", "county", 1));
  ZB_ASSERT_OK_AND_ASSIGN(OrgUnit dept, this->Create(wh.id, "FGW", "department", 1));  // same sort_order as GX

  ZB_ASSERT_OK_AND_ASSIGN(auto all, this->List(std::nullopt));
  EXPECT_EQ(this->Codes(all), (std::vector<std::string>{"YT", "WH", "GX", "FS", "FGW", "HC", "CC"}));
  (void)hc;
  (void)cc;
  (void)fs;
  (void)dept;
}

TYPED_TEST(OrgUnitRepoTest, ListSubtreeIncludesTheRootAndOnlyItsDescendants) {
  ZB_ASSERT_OK_AND_ASSIGN(OrgUnit wh, this->Create(std::nullopt, "WH", "city"));
  ZB_ASSERT_OK_AND_ASSIGN(OrgUnit gx, this->Create(wh.id, "GX", "zone"));
  ZB_ASSERT_OK_AND_ASSIGN(OrgUnit cc, this->Create(gx.id, "CC", "town"));
  ZB_ASSERT_OK_AND_ASSIGN(OrgUnit v1, this->Create(cc.id, "V1", "village"));
  ZB_ASSERT_OK_AND_ASSIGN(OrgUnit hc, this->Create(wh.id, "HC", "county"));
  // Siblings enough for ids to reach two digits: the subtree of /1/2/ must
  // not catch /1/20/ or /1/21/.
  for (int i = 0; i < 16; ++i) {
    ZB_ASSERT_OK(this->Create(wh.id, "T" + std::to_string(i), "town").status());
  }
  ASSERT_EQ(gx.path, "/" + std::to_string(wh.id) + "/" + std::to_string(gx.id) + "/");
  ZB_ASSERT_OK_AND_ASSIGN(auto sub, this->List(gx.id));
  EXPECT_EQ(this->Codes(sub), (std::vector<std::string>{"GX", "CC", "V1"}));
  ZB_ASSERT_OK_AND_ASSIGN(auto leaf, this->List(v1.id));
  EXPECT_EQ(this->Codes(leaf), (std::vector<std::string>{"V1"}));
  ZB_ASSERT_OK_AND_ASSIGN(auto county, this->List(hc.id));
  EXPECT_EQ(this->Codes(county), (std::vector<std::string>{"HC"}));
  ZB_ASSERT_OK_AND_ASSIGN(auto all, this->List(wh.id));
  EXPECT_EQ(all.size(), 21u);

  auto missing = this->List(int64_t{99999});
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);
}

TYPED_TEST(OrgUnitRepoTest, UpdateChangesGivenFieldsAndBumpsVersion) {
  ZB_ASSERT_OK_AND_ASSIGN(OrgUnit u, this->Create(std::nullopt, "WH", "city", 3));
  ZB_ASSERT_OK_AND_ASSIGN(OrgUnit v2, this->Update(u.id, 1, Rename("威海市"), kT0 + 10));
  EXPECT_EQ(v2.name, "威海市");
  EXPECT_EQ(v2.short_name, "WH");  // unchanged
  EXPECT_EQ(v2.code, "WH");
  EXPECT_EQ(v2.sort_order, 3);
  EXPECT_EQ(v2.version, 2);
  EXPECT_EQ(v2.created_at, kT0);
  EXPECT_EQ(v2.updated_at, kT0 + 10);

  OrgUnitChanges more;
  more.short_name = "";
  more.code = "WH-1";
  more.sort_order = 0;
  ZB_ASSERT_OK_AND_ASSIGN(OrgUnit v3, this->Update(u.id, 2, more, kT0 + 20));
  EXPECT_EQ(v3.short_name, "");
  EXPECT_EQ(v3.code, "WH-1");
  EXPECT_EQ(v3.sort_order, 0);
  EXPECT_EQ(v3.version, 3);
  ZB_ASSERT_OK_AND_ASSIGN(OrgUnit got, this->Get(u.id));
  EXPECT_EQ(got.code, "WH-1");
  EXPECT_EQ(got.version, 3);
}

TYPED_TEST(OrgUnitRepoTest, StaleVersionIsVersionConflictAndChangesNothing) {
  ZB_ASSERT_OK_AND_ASSIGN(OrgUnit u, this->Create(std::nullopt, "WH", "city"));
  ZB_ASSERT_OK(this->Update(u.id, 1, Rename("甲"), kT0 + 1).status());
  auto stale = this->Update(u.id, 1, Rename("乙"), kT0 + 2);
  EXPECT_EQ(stale.status().code(), StatusCode::kVersionConflict) << stale.status().ToString();
  ZB_ASSERT_OK_AND_ASSIGN(OrgUnit got, this->Get(u.id));
  EXPECT_EQ(got.name, "甲");
  EXPECT_EQ(got.version, 2);
}

TYPED_TEST(OrgUnitRepoTest, UpdateMissingIsNotFound) {
  auto r = this->Update(777, 1, Rename("x"), kT0);
  EXPECT_EQ(r.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(r.status().field(), "id");
}

TYPED_TEST(OrgUnitRepoTest, UpdateToAnExistingCodeIsAlreadyExists) {
  ZB_ASSERT_OK(this->Create(std::nullopt, "WH", "city").status());
  ZB_ASSERT_OK_AND_ASSIGN(OrgUnit yt, this->Create(std::nullopt, "YT", "city"));
  auto r = this->Update(yt.id, 1, Recode("WH"), kT0);
  EXPECT_EQ(r.status().code(), StatusCode::kAlreadyExists);
  EXPECT_EQ(r.status().field(), "code");
}

TYPED_TEST(OrgUnitRepoTest, DeactivateHidesFromDefaultListing) {
  ZB_ASSERT_OK_AND_ASSIGN(OrgUnit wh, this->Create(std::nullopt, "WH", "city"));
  ZB_ASSERT_OK_AND_ASSIGN(OrgUnit gx, this->Create(wh.id, "GX", "zone"));
  ZB_ASSERT_OK_AND_ASSIGN(OrgUnit off, this->Deactivate(gx.id, 1, kT0 + 5));
  EXPECT_FALSE(off.active);
  EXPECT_EQ(off.version, 2);
  EXPECT_EQ(off.updated_at, kT0 + 5);

  ZB_ASSERT_OK_AND_ASSIGN(auto active, this->List(std::nullopt));
  EXPECT_EQ(this->Codes(active), (std::vector<std::string>{"WH"}));
  ZB_ASSERT_OK_AND_ASSIGN(auto every, this->List(std::nullopt, true));
  EXPECT_EQ(this->Codes(every), (std::vector<std::string>{"WH", "GX"}));
  ZB_ASSERT_OK_AND_ASSIGN(OrgUnit got, this->Get(gx.id));
  EXPECT_FALSE(got.active);

  auto stale = this->Deactivate(gx.id, 1, kT0 + 6);
  EXPECT_EQ(stale.status().code(), StatusCode::kVersionConflict);
  auto missing = this->Deactivate(31337, 1, kT0 + 6);
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);
}

TYPED_TEST(OrgUnitRepoTest, MoveRewritesTheSubtreePathsAndKeepsOthers) {
  // WH ─ LS ─ XL ─ V1        after moving LS under GX:  WH ─ GX ─ LS ─ XL ─ V1
  //    └ GX                                             (GX itself does not change)
  ZB_ASSERT_OK_AND_ASSIGN(OrgUnit wh, this->Create(std::nullopt, "WH", "city"));
  ZB_ASSERT_OK_AND_ASSIGN(OrgUnit ls, this->Create(wh.id, "LS", "county"));
  ZB_ASSERT_OK_AND_ASSIGN(OrgUnit xl, this->Create(ls.id, "XL", "town"));
  ZB_ASSERT_OK_AND_ASSIGN(OrgUnit v1, this->Create(xl.id, "V1", "village"));
  ZB_ASSERT_OK_AND_ASSIGN(OrgUnit gx, this->Create(wh.id, "GX", "zone"));
  ZB_ASSERT_OK_AND_ASSIGN(OrgUnit moved, this->InTx([&](db::Connection& c) {
    return storage::MoveOrgUnit(c, ls.id, gx.id, 1, kT0 + 9);
  }));
  EXPECT_EQ(moved.parent_id, gx.id);
  EXPECT_EQ(moved.path, gx.path + std::to_string(ls.id) + "/");
  EXPECT_EQ(moved.version, 2);
  EXPECT_EQ(moved.updated_at, kT0 + 9);
  ZB_ASSERT_OK_AND_ASSIGN(OrgUnit v1_now, this->Get(v1.id));
  EXPECT_EQ(v1_now.path, moved.path + std::to_string(xl.id) + "/" + std::to_string(v1.id) + "/");
  EXPECT_EQ(v1_now.version, 1) << "descendants keep their version: only their path follows";
  ZB_ASSERT_OK_AND_ASSIGN(auto under_gx, this->List(gx.id));
  EXPECT_EQ(this->Codes(under_gx), (std::vector<std::string>{"GX", "LS", "XL", "V1"}));
  ZB_ASSERT_OK_AND_ASSIGN(OrgUnit gx_now, this->Get(gx.id));
  EXPECT_EQ(gx_now.path, gx.path);
}

TYPED_TEST(OrgUnitRepoTest, MoveUnderItselfOrADescendantIsRefusedAndChangesNothing) {
  ZB_ASSERT_OK_AND_ASSIGN(OrgUnit wh, this->Create(std::nullopt, "WH", "city"));
  ZB_ASSERT_OK_AND_ASSIGN(OrgUnit ls, this->Create(wh.id, "LS", "county"));
  ZB_ASSERT_OK_AND_ASSIGN(OrgUnit xl, this->Create(ls.id, "XL", "town"));
  for (int64_t target : {ls.id, xl.id}) {
    auto bad = this->InTx([&](db::Connection& c) { return storage::MoveOrgUnit(c, ls.id, target, 1, kT0); });
    EXPECT_EQ(bad.status().code(), StatusCode::kValidationFailed);
    EXPECT_EQ(bad.status().field(), "parent_id");
  }
  auto root = this->InTx([&](db::Connection& c) { return storage::MoveOrgUnit(c, wh.id, ls.id, 1, kT0); });
  EXPECT_EQ(root.status().code(), StatusCode::kValidationFailed);
  auto missing = this->InTx([&](db::Connection& c) { return storage::MoveOrgUnit(c, ls.id, 31337, 1, kT0); });
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(missing.status().field(), "parent_id");
  auto stale = this->InTx([&](db::Connection& c) { return storage::MoveOrgUnit(c, xl.id, wh.id, 7, kT0); });
  EXPECT_EQ(stale.status().code(), StatusCode::kVersionConflict);
  ZB_ASSERT_OK_AND_ASSIGN(OrgUnit xl_now, this->Get(xl.id));
  EXPECT_EQ(xl_now.path, xl.path);
  EXPECT_EQ(xl_now.parent_id, ls.id);
}

TYPED_TEST(OrgUnitRepoTest, ActivateUndoesDeactivate) {
  ZB_ASSERT_OK_AND_ASSIGN(OrgUnit wh, this->Create(std::nullopt, "WH", "city"));
  ZB_ASSERT_OK_AND_ASSIGN(OrgUnit gx, this->Create(wh.id, "GX", "zone"));
  ZB_ASSERT_OK(this->Deactivate(gx.id, 1, kT0 + 1).status());
  ZB_ASSERT_OK_AND_ASSIGN(OrgUnit on, this->InTx([&](db::Connection& c) {
    return storage::ActivateOrgUnit(c, gx.id, 2, kT0 + 2);
  }));
  EXPECT_TRUE(on.active);
  EXPECT_EQ(on.version, 3);
  ZB_ASSERT_OK_AND_ASSIGN(auto active, this->List(std::nullopt));
  EXPECT_EQ(this->Codes(active), (std::vector<std::string>{"WH", "GX"}));
}

TYPED_TEST(OrgUnitRepoTest, ListThroughAScopeShowsOnlyWhatItAdmits) {
  ZB_ASSERT_OK_AND_ASSIGN(OrgUnit wh, this->Create(std::nullopt, "WH", "city"));
  ZB_ASSERT_OK_AND_ASSIGN(OrgUnit ls, this->Create(wh.id, "LS", "county"));
  ZB_ASSERT_OK(this->Create(ls.id, "XL", "town").status());
  ZB_ASSERT_OK_AND_ASSIGN(OrgUnit gx, this->Create(wh.id, "GX", "zone"));
  ZB_ASSERT_OK_AND_ASSIGN(db::Lease lease, this->pool().Read());
  storage::ScopeFilterSql subtree;
  subtree.subtree_paths = {ls.path};
  subtree.unit_ids = {gx.id};
  ZB_ASSERT_OK_AND_ASSIGN(auto seen, storage::ListOrgUnits(*lease, std::nullopt, false, subtree));
  EXPECT_EQ(this->Codes(seen), (std::vector<std::string>{"LS", "GX", "XL"}));
  ZB_ASSERT_OK_AND_ASSIGN(auto nothing, storage::ListOrgUnits(*lease, std::nullopt, false, storage::ScopeFilterSql{}));
  EXPECT_TRUE(nothing.empty());
}

TYPED_TEST(OrgUnitRepoTest, DependentsCountActiveChildrenOnly) {
  ZB_ASSERT_OK_AND_ASSIGN(OrgUnit wh, this->Create(std::nullopt, "WH", "city"));
  ZB_ASSERT_OK_AND_ASSIGN(OrgUnit a, this->Create(wh.id, "A", "town"));
  ZB_ASSERT_OK_AND_ASSIGN(OrgUnit b, this->Create(wh.id, "B", "town"));
  ZB_ASSERT_OK(this->Create(a.id, "A1", "village").status());  // a grandchild does not count for WH
  ZB_ASSERT_OK(this->Deactivate(b.id, 1, kT0).status());
  ZB_ASSERT_OK_AND_ASSIGN(db::Lease lease, this->pool().Read());
  ZB_ASSERT_OK_AND_ASSIGN(auto deps, storage::CountUnitDependents(*lease, wh.id));
  EXPECT_EQ(deps.active_children, 1);
  EXPECT_EQ(deps.active_users, 0);
}

}  // namespace
}  // namespace zb::storage_test
