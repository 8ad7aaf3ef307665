#include "app/seed.h"

#include <algorithm>
#include <string_view>
#include <vector>

#include "app/demo_data.h"
#include "app/demo_plans.h"
#include "app/demo_problems.h"
#include "domain/data_scope.h"
#include "domain/dictionaries.h"
#include "domain/password.h"
#include "domain/permissions.h"
#include "domain/project.h"
#include "storage/dict_repo.h"
#include "storage/enterprise_repo.h"
#include "storage/org_unit_repo.h"
#include "storage/project_repo.h"
#include "storage/role_repo.h"
#include "storage/team_repo.h"
#include "storage/template_repo.h"
#include "storage/user_repo.h"
#include "storage/warning_store.h"

namespace zb::app {

namespace {

struct SeedUnit {
  const char* code;
  const char* parent_code;  // nullptr: under the root
  const char* name;
  const char* short_name;
  const char* kind;
};

// A district as seed 003 (烟台市莱山区) describes it: the 项目服务 bureau
// and the departments problems are assigned to, the development zone, the
// subdistricts, and a few villages/communities.
const std::vector<SeedUnit>& DemoUnits() {
  static const std::vector<SeedUnit> kUnits = {
      {"LS-XMFW", nullptr, "项目服务中心(重点办)", "重点办", "department"},
      {"LS-FGJ", nullptr, "发展和改革局", "发改局", "department"},
      {"LS-ZRZY", nullptr, "自然资源局", "自然资源局", "department"},
      {"LS-XZSP", nullptr, "行政审批服务局", "审批局", "department"},
      {"LS-ZJJ", nullptr, "住房和城乡建设局", "住建局", "department"},
      {"LS-STHJ", nullptr, "生态环境分局", "生态环境分局", "department"},
      {"LS-GXJ", nullptr, "工业和信息化局", "工信局", "department"},
      {"LS-CZJ", nullptr, "财政局", "财政局", "department"},
      {"LS-SWJ", nullptr, "商务局", "商务局", "department"},
      {"LS-JTJ", nullptr, "教育和体育局", "教体局", "department"},
      {"LS-WJJ", nullptr, "卫生健康局", "卫健局", "department"},
      {"LS-GDGS", nullptr, "国网供电公司莱山供电中心", "供电公司", "department"},
      {"LS-KFQ", nullptr, "莱山经济开发区", "开发区", "zone"},
      {"LS-KFQ-ZSJ", "LS-KFQ", "开发区招商局", "招商局", "department"},
      {"LS-KFQ-JSJ", "LS-KFQ", "开发区建设管理部", "建管部", "department"},
      {"LS-JJZ", nullptr, "解甲庄街道", "解甲庄", "town"},
      {"LS-JJZ-BS", "LS-JJZ", "北山社区", "北山", "village"},
      {"LS-JJZ-ZS", "LS-JJZ", "枣山社区", "枣山", "village"},
      {"LS-CJ", nullptr, "初家街道", "初家", "town"},
      {"LS-YGZ", nullptr, "院格庄街道", "院格庄", "town"},
      {"LS-BHL", nullptr, "滨海路街道", "滨海路", "town"},
      {"LS-HHL", nullptr, "黄海路街道", "黄海路", "town"},
      {"LS-MJ", nullptr, "马家都街道", "马家都", "town"},
  };
  return kUnits;
}

constexpr int kDemoEnterprises = 200;
constexpr int kDemoProjects = 300;
constexpr int kDemoProblems = 400;
constexpr uint64_t kDemoSeed = 2026;

// Demo accounts, one per kind of user the seeds describe, each in its unit
// (unit code; nullptr = the district itself) with one built-in role.
struct SeedUser {
  const char* login;
  const char* display_name;
  const char* unit_code;
  const char* role_code;
};

const std::vector<SeedUser>& DemoUsers() {
  static const std::vector<SeedUser> kUsers = {
      {"leader", "王建国", nullptr, "leader"},
      {"xmfw", "李明", "LS-XMFW", "bureau"},
      {"jjz", "赵丽", "LS-JJZ", "town"},
      {"zrzy", "孙伟", "LS-ZRZY", "department"},
      {"baolian", "周敏", "LS-KFQ", "liaison"},
  };
  return kUsers;
}

// The built-in roles of domain/permissions.h, by code → id.
StatusOr<std::vector<std::pair<std::string, int64_t>>> CreateBuiltinRoles(db::Connection& c, int64_t now) {
  std::vector<std::pair<std::string, int64_t>> ids;
  for (const auto& b : domain::BuiltinRoles()) {
    storage::NewRole role{.code = std::string(b.code),
                          .name = std::string(b.name),
                          .builtin = true,
                          .data_scope = std::string(domain::DataScopeCode(b.scope))};
    for (auto p : b.permissions) role.permissions.emplace_back(p);
    ZB_ASSIGN_OR_RETURN(auto made, storage::CreateRole(c, role, now));
    ids.emplace_back(made.code, made.id);
  }
  return ids;
}

// The demo project library: the 专班 first (projects name the teams that
// serve them), then each project registered on its day and moved through
// its stages on theirs, as the office would have recorded them.
Status SeedDemoProjects(db::Connection& c, const DemoDistrict& district, int64_t now, std::string& report) {
  std::vector<DemoProject> projects = DemoProjects(district, kDemoProjects, kDemoSeed);
  std::vector<DemoTeam> teams = DemoTeams(district, projects);
  for (const DemoTeam& t : teams) {
    ZB_ASSIGN_OR_RETURN(auto made, storage::CreateTeam(c, t.data, now));
    for (size_t i : t.projects) projects[i].data.team_ids.push_back(made.id);
  }
  const int64_t office = district.users.at("xmfw");  // 项目服务中心 keeps the ledger
  // A moment on `day` in office hours, never after now.
  auto at = [&](Date day, int64_t minutes) {
    return std::min(now, StartOfDayMs(day) + (8 * 60 + 30 + minutes) * 60'000);
  };
  int64_t minute = 0, first_id = 0, last_id = 0;
  for (DemoProject& p : projects) {
    minute = (minute + 37) % 480;
    ZB_ASSIGN_OR_RETURN(auto made, storage::CreateProject(c, p.data, office, at(p.registered, minute)));
    if (first_id == 0) first_id = made.id;
    last_id = made.id;
    domain::ProjectLifecycleState state;
    for (const DemoMove& m : p.moves) {
      ZB_ASSIGN_OR_RETURN(auto effect, domain::PlanTransition(state, m.to, m.on));
      storage::Transition move{.to_stage = std::string(domain::ProjectStageCode(effect.to)),
                               .on_date = m.on.ToString(),
                               .note = m.note,
                               .user_id = office};
      if (effect.suspended_from) move.suspended_from = std::string(domain::ProjectStageCode(*effect.suspended_from));
      if (effect.sets) move.actual_date_column = std::string(domain::ActualDateField(*effect.sets));
      ZB_ASSIGN_OR_RETURN(made,
                          storage::RecordTransition(c, made.id, made.version, made.stage, move, at(m.on, minute)));
      state = {effect.to, effect.suspended_from, m.on};
    }
  }
  report += "demo: created " + std::to_string(projects.size()) + " projects with their stage history and " +
            std::to_string(teams.size()) + " 专班\n";
  // Their node plans with progress, then every project's warning.
  ZB_ASSIGN_OR_RETURN(DemoPlanReport plans, GiveDemoPlans(c, first_id, last_id, district.today, kDemoSeed, now));
  ZB_ASSIGN_OR_RETURN(storage::WarningContext wctx, storage::LoadWarningContext(c, district.today));
  ZB_RETURN_IF_ERROR(storage::RecomputeAll(c, wctx).status());
  report += "demo: gave " + std::to_string(plans.plans) + " projects a node plan (" +
            std::to_string(plans.progress_entries) + " progress entries)\n";
  ZB_ASSIGN_OR_RETURN(int64_t problems, SeedDemoProblems(c, office, district.today, kDemoSeed, kDemoProblems));
  report += "demo: raised " + std::to_string(problems) + " ledger items (问题诉求) with their timelines\n";
  return Status::Ok();
}

}  // namespace

StatusOr<std::string> InitDatabase(db::Pool& pool, const InitOptions& options, const Clock& clock) {
  std::string report;
  Status s = db::InTx(pool, [&](db::Connection& c) -> Status {
    ZB_ASSIGN_OR_RETURN(auto existing, storage::ListOrgUnits(c, std::nullopt, true));
    if (!existing.empty()) {
      // A database made before issue 5 gets the built-in node templates.
      ZB_ASSIGN_OR_RETURN(int templates, storage::SeedBuiltinNodeTemplates(c, clock.NowMs()));
      report = "database already initialised: " + std::to_string(existing.size()) + " org units; " +
               (templates ? "added " + std::to_string(templates) + " node templates\n" : "nothing changed\n");
      return Status::Ok();
    }
    int64_t now = clock.NowMs();
    std::string root_name = options.root_name;
    if (root_name.empty()) root_name = options.demo ? "莱山区" : "本级单位";
    ZB_ASSIGN_OR_RETURN(auto root, storage::CreateOrgUnit(c,
                                                          {.name = root_name,
                                                           .short_name = root_name,
                                                           .code = options.demo ? "LS" : "ROOT",
                                                           .kind = "county"},
                                                          now));
    report = "created root org unit " + root.name + " (id " + std::to_string(root.id) + ")\n";
    ZB_ASSIGN_OR_RETURN(auto roles, CreateBuiltinRoles(c, now));
    report += "created " + std::to_string(roles.size()) + " built-in roles\n";
    int64_t sort = 0;
    for (const auto& d : domain::DefaultDictItems()) {
      ZB_RETURN_IF_ERROR(storage::CreateDictItem(c,
                                                 {.dict_type = std::string(d.dict_type),
                                                  .code = std::string(d.code),
                                                  .label = std::string(d.label),
                                                  .sort_order = ++sort},
                                                 now)
                             .status());
    }
    report += "created " + std::to_string(sort) + " dictionary items (行业, 产业板块, 项目类别, 问题类别)\n";
    ZB_ASSIGN_OR_RETURN(int templates, storage::SeedBuiltinNodeTemplates(c, now));
    report += "created " + std::to_string(templates) + " node templates (节点模板)\n";
    int64_t admin_role = 0;
    for (const auto& [code, id] : roles) {
      if (code == "admin") admin_role = id;
    }
    std::string password = domain::GenerateInitialPassword("admin", domain::PasswordPolicy{});
    ZB_RETURN_IF_ERROR(storage::CreateUser(c,
                                           {.login = "admin",
                                            .display_name = "系统管理员",
                                            .org_unit_id = root.id,
                                            .password_hash = domain::HashPassword(password),
                                            .must_change_password = true,
                                            .role_ids = {admin_role}},
                                           now)
                           .status());
    report += "admin password (shown once): " + password + "\n";
    if (!options.demo) return Status::Ok();
    std::vector<std::pair<std::string, int64_t>> ids;
    int64_t order = 0;
    for (const SeedUnit& u : DemoUnits()) {
      int64_t parent = root.id;
      if (u.parent_code) {
        for (const auto& [code, id] : ids) {
          if (code == u.parent_code) parent = id;
        }
      }
      ZB_ASSIGN_OR_RETURN(auto made, storage::CreateOrgUnit(c,
                                                            {.parent_id = parent,
                                                             .name = u.name,
                                                             .short_name = u.short_name,
                                                             .code = u.code,
                                                             .kind = u.kind,
                                                             .sort_order = ++order},
                                                            now));
      ids.emplace_back(u.code, made.id);
    }
    report += "demo: created " + std::to_string(ids.size()) + " org units under " + root.name + "\n";
    DemoDistrict district{.today = LocalDate(now)};
    district.units["LS"] = root.id;
    for (const auto& [code, id] : ids) district.units[code] = id;
    {
      // Enterprises in the development zone, the subdistricts and the district itself.
      std::vector<int64_t> homes = {root.id};
      for (const SeedUnit& u : DemoUnits()) {
        if (std::string_view(u.kind) == "zone" || std::string_view(u.kind) == "town") {
          for (const auto& [code, id] : ids) {
            if (code == u.code) homes.push_back(id);
          }
        }
      }
      auto firms = DemoEnterprises(homes, kDemoEnterprises, kDemoSeed);
      for (const auto& firm : firms) {
        ZB_ASSIGN_OR_RETURN(auto made, storage::CreateEnterprise(c, firm, now));
        district.firms.push_back(std::move(made));
      }
      report += "demo: created " + std::to_string(firms.size()) + " enterprises\n";
    }
    // The demo accounts (password printed), then the staff on projects and
    // 专班 (password never shown: an admin resets one to sign in as them).
    auto create_user = [&](std::string_view login, std::string_view name, std::string_view unit_code,
                           std::string_view role_code) -> StatusOr<std::string> {
      int64_t role = 0;
      for (const auto& [code, id] : roles) {
        if (code == role_code) role = id;
      }
      std::string pw = domain::GenerateInitialPassword(std::string(login), domain::PasswordPolicy{});
      ZB_ASSIGN_OR_RETURN(auto made, storage::CreateUser(c,
                                                         {.login = std::string(login),
                                                          .display_name = std::string(name),
                                                          .org_unit_id = district.units.at(std::string(unit_code)),
                                                          .password_hash = domain::HashPassword(pw),
                                                          .must_change_password = true,
                                                          .role_ids = {role}},
                                                         now));
      district.users[made.login] = made.id;
      return pw;
    };
    for (const SeedUser& u : DemoUsers()) {
      ZB_ASSIGN_OR_RETURN(std::string pw, create_user(u.login, u.display_name, u.unit_code ? u.unit_code : "LS",
                                                      u.role_code));
      report += "demo user " + std::string(u.login) + " (" + u.display_name + ") password (shown once): " + pw + "\n";
    }
    for (const DemoStaff& u : DemoStaffAccounts()) {
      ZB_RETURN_IF_ERROR(create_user(u.login, u.display_name, u.unit_code, u.role_code).status());
    }
    report += "demo: created " + std::to_string(DemoStaffAccounts().size()) +
              " staff accounts (区领导, 包联人员) without a printed password\n";
    return SeedDemoProjects(c, district, now, report);
  });
  ZB_RETURN_IF_ERROR(s);
  return report;
}

}  // namespace zb::app
