// storage/team_repo: 专班 teams, written once, run on both engines.
#include "storage/team_repo.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "storage/org_unit_repo.h"
#include "storage/project_repo.h"
#include "storage/storage_fixture.h"
#include "storage/user_repo.h"

namespace zb::storage_test {
namespace {

using storage::Team;
using storage::TeamData;
using storage::TeamMember;

constexpr int64_t kT0 = 1'700'000'000'000;

template <typename Engine>
class TeamRepoTest : public MigratedDbTest<Engine> {
 protected:
  void SetUp() override {
    MigratedDbTest<Engine>::SetUp();
    if (::testing::Test::HasFatalFailure()) return;
    Status s = db::InTx(this->pool(), [&](db::Connection& c) -> Status {
      ZB_ASSIGN_OR_RETURN(auto district,
                          storage::CreateOrgUnit(c, {.name = "莱山区", .code = "LS", .kind = "county"}, kT0));
      district_ = district.id;
      ZB_ASSIGN_OR_RETURN(
          auto dept,
          storage::CreateOrgUnit(
              c, {.parent_id = district_, .name = "工业和信息化局", .code = "GXJ", .kind = "department"}, kT0));
      dept_ = dept.id;
      // Four users: 王区长 in the district, the others in the department.
      const char* names[] = {"王区长", "李局长", "张科长", "赵科员"};
      for (int i = 0; i < 4; ++i) {
        ZB_ASSIGN_OR_RETURN(auto u, storage::CreateUser(c,
                                                        {.login = "u" + std::to_string(i),
                                                         .display_name = names[i],
                                                         .org_unit_id = i == 0 ? district_ : dept_,
                                                         .password_hash = "x"},
                                                        kT0));
        users_.push_back(u.id);
      }
      return Status();
    });
    ASSERT_TRUE(s.ok()) << s.ToString();
  }

  template <typename T, typename Fn>
  StatusOr<T> Write(Fn fn) {
    std::optional<T> out;
    Status s = db::InTx(this->pool(), [&](db::Connection& c) -> Status {
      ZB_ASSIGN_OR_RETURN(out, fn(c));
      return Status();
    });
    if (!s.ok()) return s;
    return std::move(*out);
  }

  StatusOr<Team> Create(const TeamData& d) {
    return Write<Team>([&](db::Connection& c) { return storage::CreateTeam(c, d, kT0); });
  }

  StatusOr<Team> Read(int64_t id) {
    auto lease = this->pool().Read();
    if (!lease.ok()) return lease.status();
    return storage::GetTeam(**lease, id);
  }

  // A project of the district linked to `team`.
  StatusOr<storage::Project> Project(const std::string& code, int64_t team) {
    storage::ProjectData d;
    d.code = code;
    d.name = "项目" + code;
    d.org_unit_id = district_;
    d.responsible_unit_id = dept_;
    d.team_ids = {team};
    return Write<storage::Project>([&](db::Connection& c) { return storage::CreateProject(c, d, std::nullopt, kT0); });
  }

  TeamData Data(const std::string& name) {
    return {.name = name,
            .remark = "区级统筹",
            .members = {{.user_id = users_[3], .role = "member"},
                        {.user_id = users_[1], .role = "deputy"},
                        {.user_id = users_[2], .role = "member"},
                        {.user_id = users_[0], .role = "leader"}}};
  }

  int64_t district_ = 0, dept_ = 0;
  std::vector<int64_t> users_;
};
TYPED_TEST_SUITE(TeamRepoTest, Engines, EngineName);

std::vector<std::string> MemberNames(const Team& t) {
  std::vector<std::string> out;
  for (const auto& m : t.members) out.push_back(m.name + "/" + m.role);
  return out;
}

TYPED_TEST(TeamRepoTest, CreateReadsBackLeaderThenDeputiesThenMembersInTheirOrder) {
  ZB_ASSERT_OK_AND_ASSIGN(Team t, this->Create(this->Data("万华新材料项目专班")));
  EXPECT_EQ(t.name, "万华新材料项目专班");
  EXPECT_EQ(t.remark, "区级统筹");
  EXPECT_EQ(t.version, 1);
  EXPECT_EQ(t.created_at, kT0);
  EXPECT_EQ(t.project_count, 0);
  EXPECT_EQ(MemberNames(t),
            (std::vector<std::string>{"王区长/leader", "李局长/deputy", "赵科员/member", "张科长/member"}));
  EXPECT_EQ(t.members[0].org_unit_name, "莱山区");
  EXPECT_EQ(t.members[1].org_unit_name, "工业和信息化局");
  ZB_ASSERT_OK_AND_ASSIGN(Team again, this->Read(t.id));
  EXPECT_EQ(again.members, t.members);
  auto missing = this->Read(t.id + 100);
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(missing.status().field(), "id");
}

TYPED_TEST(TeamRepoTest, NamesAreUniqueAndMembersMustBeDistinctExistingUsers) {
  ZB_ASSERT_OK(this->Create(this->Data("城市更新专班")).status());
  auto dup = this->Create(this->Data("城市更新专班"));
  EXPECT_EQ(dup.status().code(), StatusCode::kAlreadyExists);
  EXPECT_EQ(dup.status().field(), "name");

  TeamData twice = this->Data("重复成员专班");
  twice.members.push_back({.user_id = this->users_[2], .role = "deputy"});
  auto d = this->Create(twice);
  EXPECT_EQ(d.status().code(), StatusCode::kAlreadyExists);
  EXPECT_EQ(d.status().field(), "members");

  TeamData ghost = this->Data("无名专班");
  ghost.members.push_back({.user_id = this->users_.back() + 100, .role = "member"});
  auto g = this->Create(ghost);
  EXPECT_EQ(g.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(g.status().field(), "members");

  // Neither refused write left a team behind.
  auto lease = this->pool().Read();
  ASSERT_TRUE(lease.ok());
  ZB_ASSERT_OK_AND_ASSIGN(auto page, storage::ListTeams(**lease, {}));
  EXPECT_EQ(page.total, 1);
}

TYPED_TEST(TeamRepoTest, UpdateReplacesMembersUnderTheVersionCheck) {
  ZB_ASSERT_OK_AND_ASSIGN(Team t, this->Create(this->Data("医养健康专班")));
  TeamData d{
      .name = "医养健康产业专班",
      .remark = "",
      .members = {{.user_id = this->users_[1], .role = "leader"}, {.user_id = this->users_[2], .role = "member"}}};
  ZB_ASSERT_OK_AND_ASSIGN(Team u, this->template Write<Team>(
                                      [&](db::Connection& c) { return storage::UpdateTeam(c, t.id, 1, d, kT0 + 5); }));
  EXPECT_EQ(u.version, 2);
  EXPECT_EQ(u.updated_at, kT0 + 5);
  EXPECT_EQ(u.created_at, kT0);
  EXPECT_EQ(u.name, "医养健康产业专班");
  EXPECT_EQ(MemberNames(u), (std::vector<std::string>{"李局长/leader", "张科长/member"}));

  auto stale =
      this->template Write<Team>([&](db::Connection& c) { return storage::UpdateTeam(c, t.id, 1, d, kT0 + 9); });
  EXPECT_EQ(stale.status().code(), StatusCode::kVersionConflict);
  auto missing =
      this->template Write<Team>([&](db::Connection& c) { return storage::UpdateTeam(c, t.id + 100, 1, d, kT0 + 9); });
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);
  ZB_ASSERT_OK_AND_ASSIGN(Team now, this->Read(t.id));
  EXPECT_EQ(now.version, 2) << "the stale write changed nothing";

  ZB_ASSERT_OK(this->Create(this->Data("文旅专班")).status());
  d.name = "文旅专班";
  auto taken =
      this->template Write<Team>([&](db::Connection& c) { return storage::UpdateTeam(c, t.id, 2, d, kT0 + 9); });
  EXPECT_EQ(taken.status().code(), StatusCode::kAlreadyExists);
  EXPECT_EQ(taken.status().field(), "name");
}

TYPED_TEST(TeamRepoTest, ListsByNameWithKeywordPagingMembersAndProjectCounts) {
  int64_t infra = 0;
  for (const char* name : {"城市更新专班", "高端装备专班", "基础设施专班", "新材料专班", "城市道路专班"}) {
    ZB_ASSERT_OK_AND_ASSIGN(Team t, this->Create(this->Data(name)));
    if (std::string(name) == "基础设施专班") infra = t.id;
  }
  ZB_ASSERT_OK(this->Project("XM-2026-0002", infra).status());
  ZB_ASSERT_OK(this->Project("XM-2026-0001", infra).status());
  auto lease = this->pool().Read();
  ASSERT_TRUE(lease.ok());

  ZB_ASSERT_OK_AND_ASSIGN(auto all, storage::ListTeams(**lease, {.page_size = 3}));
  EXPECT_EQ(all.total, 5);
  ASSERT_EQ(all.items.size(), 3u);
  std::vector<std::string> names;
  for (const auto& t : all.items) names.push_back(t.name);
  // By name in the database's order for names (code points in the test clusters).
  EXPECT_EQ(names, (std::vector<std::string>{"城市更新专班", "城市道路专班", "基础设施专班"}));
  for (const auto& t : all.items) EXPECT_EQ(t.members.size(), 4u) << t.name;
  EXPECT_EQ(all.items[2].project_count, 2);
  EXPECT_EQ(all.items[0].project_count, 0);

  ZB_ASSERT_OK_AND_ASSIGN(auto second, storage::ListTeams(**lease, {.page = 2, .page_size = 3}));
  EXPECT_EQ(second.items.size(), 2u);

  ZB_ASSERT_OK_AND_ASSIGN(auto city, storage::ListTeams(**lease, {.keyword = "城市"}));
  EXPECT_EQ(city.total, 2);
  ZB_ASSERT_OK_AND_ASSIGN(auto pct, storage::ListTeams(**lease, {.keyword = "%"}));
  EXPECT_EQ(pct.total, 0) << "the keyword is text, not a LIKE pattern";

  ZB_ASSERT_OK_AND_ASSIGN(auto projects, storage::ListTeamProjects(**lease, infra));
  ASSERT_EQ(projects.size(), 2u);
  EXPECT_EQ(projects[0].code, "XM-2026-0001");
  EXPECT_EQ(projects[1].code, "XM-2026-0002");
  EXPECT_EQ(projects[0].org_path, "/" + std::to_string(this->district_) + "/");
  EXPECT_EQ(projects[0].responsible_unit_path,
            "/" + std::to_string(this->district_) + "/" + std::to_string(this->dept_) + "/");
}

TYPED_TEST(TeamRepoTest, DeleteIsRefusedWhileATeamServesProjects) {
  ZB_ASSERT_OK_AND_ASSIGN(Team busy, this->Create(this->Data("数字经济专班")));
  ZB_ASSERT_OK_AND_ASSIGN(Team idle, this->Create(this->Data("现代海洋专班")));
  ZB_ASSERT_OK_AND_ASSIGN(auto project, this->Project("XM-2026-0007", busy.id));

  Status refused = db::InTx(this->pool(), [&](db::Connection& c) { return storage::DeleteTeam(c, busy.id); });
  EXPECT_EQ(refused.code(), StatusCode::kConflict);
  EXPECT_EQ(refused.field(), "id");
  ZB_EXPECT_OK(this->Read(busy.id).status());

  ZB_ASSERT_OK(db::InTx(this->pool(), [&](db::Connection& c) { return storage::DeleteTeam(c, idle.id); }));
  EXPECT_EQ(this->Read(idle.id).status().code(), StatusCode::kNotFound);
  Status again = db::InTx(this->pool(), [&](db::Connection& c) { return storage::DeleteTeam(c, idle.id); });
  EXPECT_EQ(again.code(), StatusCode::kNotFound);

  // Unlinked from its project, the busy team can go too.
  storage::ProjectData d = project.data;
  d.team_ids.clear();
  ZB_ASSERT_OK(this->template Write<storage::Project>([&](db::Connection& c) {
                     return storage::UpdateProject(c, project.id, project.version, d, kT0 + 1);
                   })
                   .status());
  ZB_ASSERT_OK(db::InTx(this->pool(), [&](db::Connection& c) { return storage::DeleteTeam(c, busy.id); }));
}

}  // namespace
}  // namespace zb::storage_test
