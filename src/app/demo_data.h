// Deterministic demo data: the same seed gives the same records, so a demo
// can be rebuilt and a benchmark repeated. Names are made of parts an office
// in 烟台 would recognise (字号 + 行业 + 组织形式); credit codes pass both
// checks but are made up (domain::MakeCreditCode), never a real company's.
//
// The demo project library (DemoProjects, DemoTeams) is built over what init
// has already stored — the units of seed.cc's DemoUnits (by code), the demo
// accounts and DemoStaffAccounts (by login) and the demo enterprises — and
// dates every record relative to the day init runs, so a demo made in any
// year looks current: projects started last year are 续建, the annual plans
// are this year's (and last year's for the older ones).
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/date.h"
#include "domain/project.h"
#include "storage/enterprise_repo.h"
#include "storage/project_repo.h"
#include "storage/team_repo.h"

namespace zb::app {

// `count` enterprises spread over `unit_ids` (round robin after a shuffle),
// with industries from the 行业 dictionary codes, about a third 规上, a
// contact each and a few tags. created_by is left unset.
std::vector<storage::NewEnterprise> DemoEnterprises(const std::vector<int64_t>& unit_ids, int count,
                                                    uint64_t seed);

// Accounts init --demo creates without printing a password: the 区领导 who
// act as 包保领导 and 专班组长 (the `leader` account is the 区长) and the
// 包联人员 of the 项目服务中心 and departments. An admin resets a password
// to sign in as one of them.
struct DemoStaff {
  std::string_view login;
  std::string_view display_name;
  std::string_view unit_code;  // a DemoUnits code, "LS" = the district
  std::string_view role_code;  // leader | liaison
};
const std::vector<DemoStaff>& DemoStaffAccounts();

// What init created, that projects refer to.
struct DemoDistrict {
  Date today;                              // the clock's day: every date is relative to it
  std::map<std::string, int64_t> units;    // unit code → id ("LS" the district, "LS-KFQ", "LS-GXJ", …)
  std::map<std::string, int64_t> users;    // login → id: the printed demo accounts and DemoStaffAccounts
  std::vector<storage::Enterprise> firms;  // the demo enterprises as stored
};

// One lifecycle move: from 谋划 along the main line, then 停缓建 or 终止.
struct DemoMove {
  domain::ProjectStage to;
  Date on;  // on or before DemoDistrict::today, after the previous move
  std::string note;
};

struct DemoProject {
  storage::ProjectData data;  // code empty (generated); team_ids empty (see DemoTeams)
  Date registered;            // when the office entered it: created_at, and the year in its code
  std::vector<DemoMove> moves;
  domain::ProjectStage stage = domain::ProjectStage::kPlanning;  // after the moves
};

// `count` projects over the district: manufacturing and services by the
// demo enterprises (mostly in the development zone and the subdistricts),
// roads, pipes, schools, hospitals and 旧村改造 by the district; levels,
// types, investments with a long tail, planned dates, annual plans, stages
// spread as a district's ledger has them, 包保领导, 责任部门, 包联人员, tags.
std::vector<DemoProject> DemoProjects(const DemoDistrict& district, int count, uint64_t seed);

struct DemoTeam {
  storage::TeamData data;       // one 组长 (a 区领导), 副组长, 组员
  std::vector<size_t> projects;  // indices into the DemoProjects list, 1–10
};

// The 专班: by industry chain (新材料, 高端装备, …), by task (城市更新,
// 重大基础设施, 在谈项目招引, 开发区项目建设) and one each for the largest
// 省重点 investments, serving the largest fitting projects.
std::vector<DemoTeam> DemoTeams(const DemoDistrict& district, const std::vector<DemoProject>& projects);

}  // namespace zb::app
