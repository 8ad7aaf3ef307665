// storage::ForEachProject over most of the table (a whole-table export):
// the names and lists it reads once per walk must be exactly what a
// project's own read (GetProject) gives, on both engines.
#include <gtest/gtest.h>

#include <algorithm>
#include <sstream>
#include <string>
#include <vector>

#include "storage/enterprise_repo.h"
#include "storage/org_unit_repo.h"
#include "storage/project_repo.h"
#include "storage/storage_fixture.h"
#include "storage/user_repo.h"
#include "storage/warning_store.h"

namespace zb::storage_test {
namespace {

using storage::Project;
using storage::ProjectFilter;

constexpr int64_t kT0 = 1'700'000'000'000;
constexpr int kProjects = 2500;  // 3 chunks of the walk

// Every field of a project, one per line: equal texts, equal projects.
std::string Describe(const Project& p) {
  std::ostringstream o;
  auto opt = [](const auto& v) {
    std::ostringstream s;
    if (v) {
      s << *v;
    } else {
      s << "∅";
    }
    return s.str();
  };
  auto list = [](const auto& v) {
    std::ostringstream s;
    for (const auto& x : v) s << x << "|";
    return s.str();
  };
  const storage::ProjectData& d = p.data;
  o << "id " << p.id << "\ncode " << d.code << "\nname " << d.name << "\nenterprise " << opt(d.enterprise_id)
    << " " << p.enterprise_name << "\nunit " << d.org_unit_id << " " << p.org_unit_name << " " << p.org_path
    << "\nboard " << d.board << " category " << d.category << " level " << d.level << " type " << d.project_type
    << "\ninvestment " << d.total_investment << "\ncontent " << d.construction_content << "\naddress " << d.address
    << "\nlng " << opt(d.lng) << " lat " << opt(d.lat) << "\ndates " << opt(d.planned_signed_on) << " "
    << opt(d.actual_signed_on) << " " << opt(d.planned_started_on) << " " << opt(d.actual_started_on) << " "
    << opt(d.planned_completed_on) << " " << opt(d.actual_completed_on) << " " << opt(d.planned_operating_on) << " "
    << opt(d.actual_operating_on) << "\nleader " << opt(d.leader_user_id) << " " << p.leader_name
    << "\nresponsible " << opt(d.responsible_unit_id) << " " << p.responsible_unit_name << " "
    << p.responsible_unit_path << "\nliaisons " << list(d.liaison_ids) << " " << list(p.liaison_names) << "\ntags "
    << list(d.tags) << "\nplans ";
  for (const auto& plan : d.plans) {
    o << plan.year << ":" << plan.planned_investment << ":" << plan.goal_start << plan.goal_complete
      << plan.goal_operate << "|";
  }
  o << "\nteams " << list(d.team_ids) << " " << list(p.team_names) << "\nstage " << p.stage << " "
    << opt(p.suspended_from) << " " << opt(p.stage_since) << "\nwarning " << p.warning_colour << " "
    << storage::WarningReasonsJson(p.warning_reasons) << " " << p.warning_valid_until << " " << p.warning_red_nodes << " " << p.warning_yellow_nodes << "\ncreated_by "
    << opt(p.created_by) << " version " << p.version << " at " << p.created_at << " " << p.updated_at << "\n";
  return o.str();
}

template <typename Engine>
class ProjectWalkTest : public MigratedDbTest<Engine> {
 protected:
  void SetUp() override {
    MigratedDbTest<Engine>::SetUp();
    if (::testing::Test::HasFatalFailure()) return;
    Status s = db::InTx(this->pool(), [&](db::Connection& c) -> Status {
      auto unit = [&](std::optional<int64_t> parent, const char* name, const char* code,
                      const char* kind) -> StatusOr<storage::OrgUnit> {
        return storage::CreateOrgUnit(c, {.parent_id = parent, .name = name, .code = code, .kind = kind}, kT0);
      };
      ZB_ASSIGN_OR_RETURN(district_, unit(std::nullopt, "莱山区", "LS", "county"));
      ZB_ASSIGN_OR_RETURN(zone_, unit(district_.id, "莱山经济开发区", "KFQ", "zone"));
      ZB_ASSIGN_OR_RETURN(town_, unit(district_.id, "解甲庄街道", "JJZ", "town"));
      ZB_ASSIGN_OR_RETURN(dept_, unit(district_.id, "住建局", "ZJJ", "department"));
      for (const char* login : {"leader", "liaison", "other"}) {
        ZB_ASSIGN_OR_RETURN(auto u, storage::CreateUser(c,
                                                        {.login = login,
                                                         .display_name = std::string("用户") + login,
                                                         .org_unit_id = district_.id,
                                                         .password_hash = "x"},
                                                        kT0));
        users_.push_back(u.id);
      }
      ZB_ASSIGN_OR_RETURN(auto firm, storage::CreateEnterprise(c,
                                                               {.name = "华新新材料有限公司",
                                                                .credit_code = "914403001922038216",
                                                                .org_unit_id = zone_.id},
                                                               kT0));
      firm_ = firm.id;
      for (const char* name : {"新材料专班", "光伏专班"}) {
        ZB_ASSIGN_OR_RETURN(auto team, c.QueryOne("INSERT INTO teams (name, version, created_at, updated_at) "
                                                  "VALUES ($1, 1, $2, $2) RETURNING id",
                                                  {std::string(name), kT0}));
        teams_.push_back(team->Int("id"));
      }
      // kProjects projects in one statement: every other one in the town,
      // some with an enterprise, a 包保领导, a 责任部门.
      ZB_RETURN_IF_ERROR(c.Exec(
          "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < " + std::to_string(kProjects) +
              ") INSERT INTO projects (code, name, org_unit_id, enterprise_id, leader_user_id, responsible_unit_id, "
              "total_investment, construction_content, planned_started_on, created_at, updated_at) "
              "SELECT 'W-' || i, '批量项目' || i, "
              "CASE WHEN i % 2 = 0 THEN CAST($1 AS BIGINT) ELSE CAST($2 AS BIGINT) END, "
              "CASE WHEN i % 3 = 0 THEN CAST($3 AS BIGINT) END, CASE WHEN i % 5 = 0 THEN CAST($4 AS BIGINT) END, "
              "CASE WHEN i % 7 = 0 THEN CAST($5 AS BIGINT) END, i * 10000, '建设内容 & <' || i || '>', "
              "CASE WHEN i % 4 = 0 THEN '2026-03-01' END, CAST($6 AS BIGINT), CAST($6 AS BIGINT) + i % 97 FROM n",
          {town_.id, zone_.id, firm_, users_[0], dept_.id, kT0}));
      // Lists, inserted out of their read order: two liaisons, tags whose
      // order is the engine's, plans by year, 专班, warnings.
      ZB_RETURN_IF_ERROR(c.Exec("INSERT INTO project_liaisons (project_id, user_id) SELECT id, CAST($1 AS BIGINT) "
                                "FROM projects WHERE id % 3 = 1",
                                {users_[2]}));
      ZB_RETURN_IF_ERROR(c.Exec("INSERT INTO project_liaisons (project_id, user_id) SELECT id, CAST($1 AS BIGINT) "
                                "FROM projects WHERE id % 3 = 1",
                                {users_[1]}));
      for (const char* tag : {"招商引资", "B 类", "a 类", "省市重点"}) {
        ZB_RETURN_IF_ERROR(c.Exec("INSERT INTO project_tags (project_id, tag) SELECT id, $1 FROM projects "
                                  "WHERE id % 4 <> 2",
                                  {std::string(tag)}));
      }
      for (int year : {2027, 2025, 2026}) {
        ZB_RETURN_IF_ERROR(c.Exec("INSERT INTO project_annual_plans (project_id, year, planned_investment, "
                                  "goal_start, goal_complete, goal_operate) SELECT id, CAST($1 AS BIGINT), "
                                  "id * CAST($1 AS BIGINT), id % 2, 0, 1 FROM projects WHERE id % 5 <> 0",
                                  {int64_t{year}}));
      }
      ZB_RETURN_IF_ERROR(c.Exec("INSERT INTO project_teams (project_id, team_id) SELECT id, CAST($1 AS BIGINT) "
                                "FROM projects WHERE id % 11 = 0",
                                {teams_[1]}));
      ZB_RETURN_IF_ERROR(c.Exec("INSERT INTO project_teams (project_id, team_id) SELECT id, CAST($1 AS BIGINT) "
                                "FROM projects WHERE id % 11 = 0",
                                {teams_[0]}));
      return c.Exec("INSERT INTO project_warnings (project_id, colour, reasons, red_nodes, yellow_nodes, "
                    "valid_until, computed_on, calendar_version, settings_version) SELECT id, "
                    "CASE WHEN id % 2 = 0 THEN 'red' ELSE 'yellow' END, "
                    "'[\"计划开工已逾期 ' || id || ' 天\",{\"k\":\"overdue\",\"s\":\"施工许可\",\"b\":-' || id || "
                    "'}]', id % 3, id % 5, '2026-12-' || (10 + id % 9), '2026-11-25', 1, 1 "
                    "FROM projects WHERE id % 6 <> 5");
    });
    ASSERT_TRUE(s.ok()) << s.ToString();
  }

  // ForEachProject's projects under `f`, each described.
  std::vector<std::string> Walk(const ProjectFilter& f) {
    std::vector<std::string> seen;
    auto lease = this->pool().Read();
    EXPECT_TRUE(lease.ok()) << lease.status().ToString();
    if (!lease.ok()) return seen;
    Status s = storage::ForEachProject(**lease, f, [&](const Project& p) {
      seen.push_back(Describe(p));
      return Status();
    });
    EXPECT_TRUE(s.ok()) << s.ToString();
    return seen;
  }

  // GetProject of each id in `ids`, described.
  std::vector<std::string> ReadOneByOne(const std::vector<int64_t>& ids) {
    std::vector<std::string> out;
    auto lease = this->pool().Read();
    EXPECT_TRUE(lease.ok()) << lease.status().ToString();
    if (!lease.ok()) return out;
    for (int64_t id : ids) {
      auto p = storage::GetProject(**lease, id);
      EXPECT_TRUE(p.ok()) << p.status().ToString();
      if (p.ok()) out.push_back(Describe(*p));
    }
    return out;
  }

  std::vector<int64_t> Ids(const ProjectFilter& f) {
    auto lease = this->pool().Read();
    EXPECT_TRUE(lease.ok()) << lease.status().ToString();
    if (!lease.ok()) return {};
    auto ids = storage::MatchingProjectIds(**lease, f);
    EXPECT_TRUE(ids.ok()) << ids.status().ToString();
    return ids.ok() ? *ids : std::vector<int64_t>();
  }

  storage::OrgUnit district_, zone_, town_, dept_;
  std::vector<int64_t> users_, teams_;
  int64_t firm_ = 0;
};

TYPED_TEST_SUITE(ProjectWalkTest, Engines, EngineName);

TYPED_TEST(ProjectWalkTest, AWholeTableWalkReadsEveryProjectAsItsOwnReadDoes) {
  ProjectFilter all;  // updated_at descending: all over the ids
  const std::vector<int64_t> ids = this->Ids(all);
  ASSERT_EQ(ids.size(), static_cast<size_t>(kProjects));
  const std::vector<std::string> walked = this->Walk(all);
  const std::vector<std::string> one_by_one = this->ReadOneByOne(ids);
  ASSERT_EQ(walked.size(), one_by_one.size());
  for (size_t i = 0; i < walked.size(); ++i) ASSERT_EQ(walked[i], one_by_one[i]) << "row " << i;
  // The data is what the lists hold (not two equally empty reads).
  auto has = [&](const std::string& text) {
    return std::any_of(walked.begin(), walked.end(),
                       [&](const std::string& d) { return d.find(text) != std::string::npos; });
  };
  EXPECT_TRUE(has("liaisons " + std::to_string(this->users_[1]) + "|" + std::to_string(this->users_[2]) +
                  "| 用户liaison|用户other|"));
  EXPECT_TRUE(has("plans 2025:"));
  EXPECT_TRUE(has("teams " + std::to_string(this->teams_[0]) + "|" + std::to_string(this->teams_[1]) +
                  "| 新材料专班|光伏专班|"));
  EXPECT_TRUE(has("enterprise " + std::to_string(this->firm_) + " 华新新材料有限公司"));
  EXPECT_TRUE(has("responsible " + std::to_string(this->dept_.id) + " 住建局 " + this->dept_.path));
  EXPECT_TRUE(has(" 用户leader\n"));
  EXPECT_TRUE(has("warning red [\"计划开工已逾期"));
  EXPECT_TRUE(has("{\"b\":-12,\"k\":\"overdue\",\"s\":\"施工许可\"}] 2026-12-13 "));
}

TYPED_TEST(ProjectWalkTest, AScopedWalkOverHalfTheTableKeepsToItsScope) {
  ProjectFilter town;
  town.scope = storage::ScopeFilterSql{.subtree_paths = {this->town_.path}};
  town.sort = {{"total_investment", false}};
  const std::vector<int64_t> ids = this->Ids(town);
  // Half the projects are in the town; the other half's rows must not come.
  ASSERT_EQ(ids.size(), static_cast<size_t>(kProjects / 2));
  const std::vector<std::string> walked = this->Walk(town);
  const std::vector<std::string> one_by_one = this->ReadOneByOne(ids);
  ASSERT_EQ(walked.size(), one_by_one.size());
  for (size_t i = 0; i < walked.size(); ++i) ASSERT_EQ(walked[i], one_by_one[i]) << "row " << i;
  for (const std::string& d : walked) {
    ASSERT_NE(d.find("unit " + std::to_string(this->town_.id) + " 解甲庄街道 "), std::string::npos) << d;
  }
}

}  // namespace
}  // namespace zb::storage_test
