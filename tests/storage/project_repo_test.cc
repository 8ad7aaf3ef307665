// storage/project_repo: written once, run on both engines.
#include "storage/project_repo.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "storage/enterprise_repo.h"
#include "storage/org_unit_repo.h"
#include "storage/storage_fixture.h"
#include "storage/user_repo.h"

namespace zb::storage_test {
namespace {

using storage::AnnualPlan;
using storage::Project;
using storage::ProjectData;

constexpr int64_t kT0 = 1'700'000'000'000;  // 2023-11-15 in China

template <typename Engine>
class ProjectRepoTest : public MigratedDbTest<Engine> {
 protected:
  void SetUp() override {
    MigratedDbTest<Engine>::SetUp();
    if (::testing::Test::HasFatalFailure()) return;
    Status s = db::InTx(this->pool(), [&](db::Connection& c) -> Status {
      ZB_ASSIGN_OR_RETURN(auto district, storage::CreateOrgUnit(c, {.name = "莱山区", .code = "LS", .kind = "county"}, kT0));
      district_ = district.id;
      ZB_ASSIGN_OR_RETURN(auto dept, storage::CreateOrgUnit(c,
                                                            {.parent_id = district_,
                                                             .name = "自然资源局",
                                                             .code = "ZRZY",
                                                             .kind = "department"},
                                                            kT0));
      dept_ = dept.id;
      ZB_ASSIGN_OR_RETURN(auto firm, storage::CreateEnterprise(c,
                                                               {.name = "华新新材料",
                                                                .credit_code = "914403001922038216",
                                                                .org_unit_id = district_},
                                                               kT0));
      firm_ = firm.id;
      for (const char* login : {"leader", "li", "wang"}) {
        ZB_ASSIGN_OR_RETURN(auto u, storage::CreateUser(c,
                                                        {.login = login,
                                                         .display_name = login,
                                                         .org_unit_id = district_,
                                                         .password_hash = "x"},
                                                        kT0));
        users_.push_back(u.id);
      }
      ZB_ASSIGN_OR_RETURN(auto team, c.QueryOne("INSERT INTO teams (name, version, created_at, updated_at) "
                                                "VALUES ('华新项目专班', 1, $1, $1) RETURNING id",
                                                {kT0}));
      team_ = team->Int("id");
      return Status();
    });
    ASSERT_TRUE(s.ok()) << s.ToString();
  }

  template <typename Fn>
  StatusOr<Project> Write(Fn fn) {
    Project out;
    Status s = db::InTx(this->pool(), [&](db::Connection& c) -> Status {
      ZB_ASSIGN_OR_RETURN(out, fn(c));
      return Status();
    });
    if (!s.ok()) return s;
    return out;
  }

  StatusOr<Project> Create(ProjectData d) {
    return Write([&](db::Connection& c) { return storage::CreateProject(c, d, users_[0], kT0); });
  }

  ProjectData Minimal(const std::string& name) {
    ProjectData d;
    d.name = name;
    d.org_unit_id = district_;
    return d;
  }

  int64_t district_ = 0, dept_ = 0, firm_ = 0, team_ = 0;
  std::vector<int64_t> users_;
};
TYPED_TEST_SUITE(ProjectRepoTest, Engines, EngineName);

TYPED_TEST(ProjectRepoTest, GeneratedCodesCountPerYearAndSkipHandMadeOnes) {
  ZB_ASSERT_OK_AND_ASSIGN(Project a, this->Create(this->Minimal("甲")));
  EXPECT_EQ(a.data.code, "XM-2023-0001");
  ProjectData manual = this->Minimal("乙");
  manual.code = "XM-2023-0002";
  ZB_ASSERT_OK(this->Create(manual).status());
  ZB_ASSERT_OK_AND_ASSIGN(Project c, this->Create(this->Minimal("丙")));
  EXPECT_EQ(c.data.code, "XM-2023-0003") << "0002 was taken by hand";
  auto dup = this->Create(manual);
  EXPECT_EQ(dup.status().code(), StatusCode::kAlreadyExists);
  EXPECT_EQ(dup.status().field(), "code");
}

TYPED_TEST(ProjectRepoTest, CreateStoresEveryFieldAndList) {
  ProjectData d = this->Minimal("华新新材料年产 5 万吨高性能材料项目");
  d.enterprise_id = this->firm_;
  d.board = "materials";
  d.category = "manufacturing";
  d.level = "municipal";
  d.project_type = "continuing";
  d.total_investment = 1'250'000'000;
  d.construction_content = "新建厂房 8 万平方米";
  d.address = "莱山经济开发区";
  d.lng = 121.4473;
  d.lat = 37.4638;
  d.planned_started_on = "2026-03-01";
  d.leader_user_id = this->users_[0];
  d.responsible_unit_id = this->dept_;
  d.liaison_ids = {this->users_[2], this->users_[1], this->users_[2]};
  d.tags = {"省重点", "外资"};
  d.plans = {{2027, 300'000'000, false, true, false}, {2026, 500'000'000, true, false, false}};
  d.team_ids = {this->team_};
  ZB_ASSERT_OK_AND_ASSIGN(Project p, this->Create(d));
  EXPECT_EQ(p.stage, "planning");
  EXPECT_EQ(p.version, 1);
  EXPECT_EQ(p.created_by, this->users_[0]);
  EXPECT_EQ(p.enterprise_name, "华新新材料");
  EXPECT_EQ(p.org_unit_name, "莱山区");
  EXPECT_EQ(p.data.total_investment, 1'250'000'000);
  ASSERT_TRUE(p.data.lng.has_value());
  EXPECT_DOUBLE_EQ(*p.data.lng, 121.4473);
  EXPECT_EQ(p.data.planned_started_on, "2026-03-01");
  EXPECT_FALSE(p.data.actual_started_on.has_value());
  EXPECT_EQ(p.data.liaison_ids, (std::vector<int64_t>{this->users_[1], this->users_[2]}));
  EXPECT_EQ(p.data.tags, (std::vector<std::string>{"外资", "省重点"}));
  EXPECT_EQ(p.data.plans, (std::vector<AnnualPlan>{{2026, 500'000'000, true, false, false},
                                                   {2027, 300'000'000, false, true, false}}));
  EXPECT_EQ(p.data.team_ids, (std::vector<int64_t>{this->team_}));
}

TYPED_TEST(ProjectRepoTest, MissingReferencesAreNamedAndWriteNothing) {
  auto check = [&](auto mutate, const char* field) {
    ProjectData d = this->Minimal("坏引用");
    mutate(d);
    auto r = this->Create(d);
    EXPECT_EQ(r.status().code(), StatusCode::kNotFound) << field;
    EXPECT_EQ(r.status().field(), field);
  };
  check([](ProjectData& d) { d.org_unit_id = 31337; }, "org_unit_id");
  check([](ProjectData& d) { d.enterprise_id = 31337; }, "enterprise_id");
  check([](ProjectData& d) { d.leader_user_id = 31337; }, "leader_user_id");
  check([](ProjectData& d) { d.responsible_unit_id = 31337; }, "responsible_unit_id");
  check([&](ProjectData& d) { d.liaison_ids = {this->users_[1], 31337}; }, "liaison_ids");
  check([](ProjectData& d) { d.team_ids = {31337}; }, "team_ids");
  ZB_ASSERT_OK_AND_ASSIGN(Project next, this->Create(this->Minimal("好的")));
  EXPECT_EQ(next.data.code, "XM-2023-0001") << "the refused ones used no number";
}

TYPED_TEST(ProjectRepoTest, UpdateWritesTheWholeRecordUnderTheVersion) {
  ProjectData d = this->Minimal("甲");
  d.enterprise_id = this->firm_;
  d.tags = {"外资"};
  d.plans = {{2026, 1, true, false, false}};
  ZB_ASSERT_OK_AND_ASSIGN(Project p, this->Create(d));
  ProjectData changed = p.data;
  changed.name = "甲(二期)";
  changed.enterprise_id.reset();
  changed.tags.clear();
  changed.plans = {{2027, 2, false, false, true}};
  changed.code = "LS-2026-A1";
  ZB_ASSERT_OK_AND_ASSIGN(Project u, this->Write([&](db::Connection& c) {
    return storage::UpdateProject(c, p.id, 1, changed, kT0 + 5);
  }));
  EXPECT_EQ(u.data.name, "甲(二期)");
  EXPECT_EQ(u.data.code, "LS-2026-A1");
  EXPECT_FALSE(u.data.enterprise_id.has_value());
  EXPECT_EQ(u.enterprise_name, "");
  EXPECT_TRUE(u.data.tags.empty());
  EXPECT_EQ(u.data.plans, (std::vector<AnnualPlan>{{2027, 2, false, false, true}}));
  EXPECT_EQ(u.version, 2);
  EXPECT_EQ(u.updated_at, kT0 + 5);
  EXPECT_EQ(u.stage, "planning");
  auto stale = this->Write([&](db::Connection& c) { return storage::UpdateProject(c, p.id, 1, changed, kT0); });
  EXPECT_EQ(stale.status().code(), StatusCode::kVersionConflict);
  auto missing = this->Write([&](db::Connection& c) { return storage::UpdateProject(c, 31337, 1, changed, kT0); });
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);
}

TYPED_TEST(ProjectRepoTest, AnUpdateWritesOnlyWhatChangedAndNothingWhenNothingDid) {
  ProjectData d = this->Minimal("华新膜材料项目");
  d.enterprise_id = this->firm_;
  d.construction_content = "新建生产车间";
  d.liaison_ids = {this->users_[1]};
  d.tags = {"外资", "省重点"};
  d.plans = {{2026, 100, true, false, false}};
  d.team_ids = {this->team_};
  ZB_ASSERT_OK_AND_ASSIGN(Project p, this->Create(d));
  auto update = [&](const Project& from, const ProjectData& data, int64_t now) {
    return this->Write([&](db::Connection& c) { return storage::UpdateProject(c, from.id, from.version, data, now); });
  };
  auto stored = [&]() -> Project {
    auto lease = this->pool().Read();
    EXPECT_TRUE(lease.ok());
    auto got = storage::GetProject(**lease, p.id);
    EXPECT_TRUE(got.ok()) << got.status().ToString();
    return got.ok() ? *got : Project{};
  };
  auto finds = [&](const std::string& q) {
    auto lease = this->pool().Read();
    EXPECT_TRUE(lease.ok());
    storage::ProjectFilter f;
    f.q = q;
    auto page = storage::ListProjects(**lease, f);
    EXPECT_TRUE(page.ok()) << page.status().ToString();
    return page.ok() && page->total == 1 && page->items[0].id == p.id;
  };

  // The same record (its lists in another order): nothing written.
  ProjectData same = p.data;
  same.tags = {"省重点", "外资"};
  ZB_ASSERT_OK_AND_ASSIGN(Project unchanged, update(p, same, kT0 + 5));
  EXPECT_EQ(unchanged.version, 1);
  EXPECT_EQ(stored().version, 1);
  EXPECT_EQ(stored().updated_at, kT0);

  // One list: that list changes, the others and the names stay.
  ProjectData tags_only = p.data;
  tags_only.tags = {"招商引资"};
  ZB_ASSERT_OK_AND_ASSIGN(Project tagged, update(p, tags_only, kT0 + 6));
  for (const Project& x : {tagged, stored()}) {
    EXPECT_EQ(x.version, 2);
    EXPECT_EQ(x.updated_at, kT0 + 6);
    EXPECT_EQ(x.data.tags, (std::vector<std::string>{"招商引资"}));
    EXPECT_EQ(x.data.liaison_ids, (std::vector<int64_t>{this->users_[1]}));
    EXPECT_EQ(x.liaison_names, (std::vector<std::string>{"li"}));
    EXPECT_EQ(x.data.plans, (std::vector<AnnualPlan>{{2026, 100, true, false, false}}));
    EXPECT_EQ(x.data.team_ids, (std::vector<int64_t>{this->team_}));
    EXPECT_EQ(x.team_names, (std::vector<std::string>{"华新项目专班"}));
    EXPECT_EQ(x.enterprise_name, "华新新材料");
  }

  // A reference: the names read with the row follow it.
  ProjectData liaisons = tagged.data;
  liaisons.liaison_ids = {this->users_[2], this->users_[0]};
  liaisons.enterprise_id.reset();
  ZB_ASSERT_OK_AND_ASSIGN(Project moved, update(tagged, liaisons, kT0 + 7));
  for (const Project& x : {moved, stored()}) {
    EXPECT_EQ(x.version, 3);
    EXPECT_EQ(x.liaison_names, (std::vector<std::string>{"leader", "wang"}));
    EXPECT_EQ(x.enterprise_name, "");
    EXPECT_EQ(x.data.tags, (std::vector<std::string>{"招商引资"}));
  }
  EXPECT_FALSE(finds("华新新材料")) << "the enterprise's name left the search text with it";

  // A field outside the search text: still found by its name; a new name:
  // found by it, no longer by the old one.
  ProjectData amount = moved.data;
  amount.total_investment = 5'000'000;
  ZB_ASSERT_OK_AND_ASSIGN(Project richer, update(moved, amount, kT0 + 8));
  EXPECT_EQ(richer.data.total_investment, 5'000'000);
  EXPECT_TRUE(finds("膜材料"));
  ProjectData renamed = richer.data;
  renamed.name = "莱山智能装备产业园";
  ZB_ASSERT_OK_AND_ASSIGN(Project r, update(richer, renamed, kT0 + 9));
  EXPECT_EQ(r.data.name, "莱山智能装备产业园");
  EXPECT_EQ(stored().data.name, "莱山智能装备产业园");
  EXPECT_TRUE(finds("智能装备"));
  EXPECT_TRUE(finds("lsznzb")) << "pinyin initials of the new name";
  EXPECT_FALSE(finds("膜材料"));

  // Over a record read earlier: refused once the project has moved on.
  ProjectData elsewhere = richer.data;
  elsewhere.address = "莱山经济开发区";
  auto stale = this->Write([&](db::Connection& c) { return storage::UpdateProject(c, richer, elsewhere, kT0 + 10); });
  EXPECT_EQ(stale.status().code(), StatusCode::kVersionConflict);
  EXPECT_EQ(stored().data.name, "莱山智能装备产业园");
}

TYPED_TEST(ProjectRepoTest, TransitionsMoveTheStageSetTheActualDateAndAreRecorded) {
  ZB_ASSERT_OK_AND_ASSIGN(Project p, this->Create(this->Minimal("甲")));
  storage::Transition sign{.to_stage = "signed",
                           .on_date = "2026-01-10",
                           .actual_date_column = "actual_signed_on",
                           .note = "签约仪式",
                           .user_id = this->users_[0]};
  ZB_ASSERT_OK_AND_ASSIGN(Project signed_p, this->Write([&](db::Connection& c) {
    return storage::RecordTransition(c, p.id, 1, "planning", sign, kT0 + 1);
  }));
  EXPECT_EQ(signed_p.stage, "signed");
  EXPECT_EQ(signed_p.stage_since, "2026-01-10");
  EXPECT_EQ(signed_p.data.actual_signed_on, "2026-01-10");
  EXPECT_EQ(signed_p.version, 2);

  storage::Transition build{.to_stage = "under_construction", .on_date = "2026-03-01",
                            .actual_date_column = "actual_started_on"};
  ZB_ASSERT_OK(this->Write([&](db::Connection& c) {
                     return storage::RecordTransition(c, p.id, 2, "signed", build, kT0 + 2);
                   }).status());
  storage::Transition pause{.to_stage = "suspended", .suspended_from = "under_construction", .on_date = "2026-06-01",
                            .note = "资金未到位"};
  ZB_ASSERT_OK_AND_ASSIGN(Project paused, this->Write([&](db::Connection& c) {
    return storage::RecordTransition(c, p.id, 3, "under_construction", pause, kT0 + 3);
  }));
  EXPECT_EQ(paused.stage, "suspended");
  EXPECT_EQ(paused.suspended_from, "under_construction");
  EXPECT_EQ(paused.data.actual_started_on, "2026-03-01");

  // Planned from a stage the project has left: refused, nothing recorded.
  auto wrong_from = this->Write([&](db::Connection& c) {
    return storage::RecordTransition(c, p.id, 4, "under_construction", build, kT0 + 4);
  });
  EXPECT_FALSE(wrong_from.ok());
  auto stale = this->Write([&](db::Connection& c) {
    return storage::RecordTransition(c, p.id, 1, "suspended", build, kT0 + 4);
  });
  EXPECT_EQ(stale.status().code(), StatusCode::kVersionConflict);

  ZB_ASSERT_OK_AND_ASSIGN(db::Lease lease, this->pool().Read());
  ZB_ASSERT_OK_AND_ASSIGN(auto events, storage::ListStageEvents(*lease, p.id));
  ASSERT_EQ(events.size(), 3u);
  EXPECT_EQ(events[0].from_stage, "planning");
  EXPECT_EQ(events[0].to_stage, "signed");
  EXPECT_EQ(events[0].note, "签约仪式");
  EXPECT_EQ(events[0].user_id, this->users_[0]);
  EXPECT_EQ(events[2].to_stage, "suspended");
  EXPECT_EQ(events[2].on_date, "2026-06-01");
}

}  // namespace
}  // namespace zb::storage_test
