// storage/project_repo lists, facets, counts and search: written once, run
// on both engines.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "domain/project.h"
#include "storage/enterprise_repo.h"
#include "storage/org_unit_repo.h"
#include "storage/project_repo.h"
#include "storage/storage_fixture.h"
#include "storage/user_repo.h"

namespace zb::storage_test {
namespace {

using storage::FacetCount;
using storage::Project;
using storage::ProjectData;
using storage::ProjectFilter;
using storage::ProjectPage;
using storage::StartKindFilter;
using Ids = std::vector<int64_t>;
using Facet = std::vector<std::pair<std::string, int64_t>>;

constexpr int64_t kT0 = 1'700'000'000'000;  // 2023-11-15 in China

template <typename Engine>
class ProjectListTest : public MigratedDbTest<Engine> {
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
      ZB_ASSIGN_OR_RETURN(village_, unit(town_.id, "孙家村", "SJC", "village"));
      ZB_ASSIGN_OR_RETURN(dept1_, unit(district_.id, "自然资源局", "ZRZY", "department"));
      ZB_ASSIGN_OR_RETURN(dept2_, unit(district_.id, "住建局", "ZJJ", "department"));
      for (const char* login : {"creator", "leader", "liaison", "other"}) {
        ZB_ASSIGN_OR_RETURN(auto u, storage::CreateUser(c,
                                                        {.login = login,
                                                         .display_name = login,
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
      ZB_ASSIGN_OR_RETURN(auto firm2, storage::CreateEnterprise(c,
                                                                {.name = "鲁东光伏科技有限公司",
                                                                 .credit_code = "9144030071526726XG",
                                                                 .org_unit_id = town_.id},
                                                                kT0));
      firm2_ = firm2.id;
      ZB_ASSIGN_OR_RETURN(auto team, c.QueryOne("INSERT INTO teams (name, version, created_at, updated_at) "
                                                "VALUES ('新材料专班', 1, $1, $1) RETURNING id",
                                                {kT0}));
      team_ = team->Int("id");
      return Status();
    });
    ASSERT_TRUE(s.ok()) << s.ToString();
  }

  ProjectData Base(const std::string& name, int64_t unit_id) {
    ProjectData d;
    d.name = name;
    d.org_unit_id = unit_id;
    return d;
  }

  StatusOr<Project> Create(const ProjectData& d, std::optional<int64_t> creator = std::nullopt) {
    std::optional<Project> out;
    Status s = db::InTx(this->pool(), [&](db::Connection& c) -> Status {
      ZB_ASSIGN_OR_RETURN(out, storage::CreateProject(c, d, creator ? creator : users_[0], kT0));
      return Status();
    });
    if (!s.ok()) return s;
    return *out;
  }

  // A lifecycle move as the API makes it: planned by the domain, dated `on`.
  Status MoveTo(int64_t id, const char* to, const char* on) {
    return db::InTx(this->pool(), [&](db::Connection& c) -> Status {
      ZB_ASSIGN_OR_RETURN(Project p, storage::GetProject(c, id));
      domain::ProjectLifecycleState state{.stage = *domain::ParseProjectStage(p.stage)};
      if (p.suspended_from) state.suspended_from = domain::ParseProjectStage(*p.suspended_from);
      if (p.stage_since) state.stage_since = *Date::Parse(*p.stage_since);
      ZB_ASSIGN_OR_RETURN(Date date, Date::Parse(on));
      ZB_ASSIGN_OR_RETURN(auto effect, domain::PlanTransition(state, *domain::ParseProjectStage(to), date));
      storage::Transition move{.to_stage = std::string(domain::ProjectStageCode(effect.to)), .on_date = on};
      if (effect.suspended_from) move.suspended_from = std::string(domain::ProjectStageCode(*effect.suspended_from));
      if (effect.sets) {
        static const std::map<domain::ActualDate, std::string> kColumn = {
            {domain::ActualDate::kSigned, "actual_signed_on"},
            {domain::ActualDate::kStarted, "actual_started_on"},
            {domain::ActualDate::kCompleted, "actual_completed_on"},
            {domain::ActualDate::kOperating, "actual_operating_on"}};
        move.actual_date_column = kColumn.at(*effect.sets);
      }
      return storage::RecordTransition(c, id, p.version, p.stage, move, kT0).status();
    });
  }

  StatusOr<ProjectPage> List(ProjectFilter f) {
    ZB_ASSIGN_OR_RETURN(db::Lease lease, this->pool().Read());
    return storage::ListProjects(*lease, f);
  }

  // The ids of the page, in order (a failure reads as an id -1).
  Ids IdsOf(const ProjectFilter& f) {
    auto page = List(f);
    EXPECT_TRUE(page.ok()) << page.status().ToString();
    if (!page.ok()) return {-1};
    Ids out;
    for (const auto& p : page->items) out.push_back(p.id);
    return out;
  }

  // Ids in any order (for filters, where order is not the point).
  Ids SetOf(ProjectFilter f) {
    f.page_size = 100;
    Ids ids = IdsOf(f);
    std::sort(ids.begin(), ids.end());
    return ids;
  }

  Ids Sorted(Ids ids) {
    std::sort(ids.begin(), ids.end());
    return ids;
  }

  static Facet AsPairs(const std::vector<FacetCount>& v) {
    Facet out;
    for (const auto& c : v) out.emplace_back(c.value, c.count);
    return out;
  }

  Status Exec(const std::string& sql, const db::Params& params = {}) { return this->ExecTx(sql, params); }

  // Four projects that differ in every filterable way: a and b moved.
  struct Four {
    Project a, b, c, d;
  };
  Four MakeFour() {
    Four f;
    ProjectData a = Base("甲 新材料项目", zone_.id);
    a.board = "materials";
    a.category = "manufacturing";
    a.level = "provincial";
    a.project_type = "new";
    a.total_investment = 500;
    a.enterprise_id = firm_;
    a.leader_user_id = users_[1];
    a.responsible_unit_id = dept1_.id;
    a.tags = {"外资"};
    a.plans = {{2024, 10, true, false, false}};
    a.team_ids = {team_};
    a.planned_started_on = "2024-03-01";
    ProjectData b = Base("乙 光伏项目", town_.id);
    b.board = "energy";
    b.category = "manufacturing";
    b.level = "municipal";
    b.project_type = "continuing";
    b.total_investment = 300;
    b.enterprise_id = firm2_;
    b.responsible_unit_id = dept2_.id;
    b.tags = {"省重点"};
    b.plans = {{2025, 20, false, true, false}};
    b.planned_started_on = "2024-06-01";
    ProjectData c = Base("丙 道路工程", village_.id);
    c.board = "other";
    c.category = "infrastructure";
    c.level = "county";
    c.project_type = "expansion";
    c.total_investment = 300;
    c.liaison_ids = {users_[2]};
    ProjectData d = Base("丁 学校", district_.id);
    d.category = "livelihood";
    d.level = "general";
    d.project_type = "renovation";
    d.total_investment = 100;
    auto make = [&](const ProjectData& data, std::optional<int64_t> creator = std::nullopt) {
      auto p = Create(data, creator);
      EXPECT_TRUE(p.ok()) << p.status().ToString();
      return p.ok() ? *p : Project{};
    };
    f.a = make(a);
    f.b = make(b);
    f.c = make(c);
    f.d = make(d, users_[3]);
    EXPECT_TRUE(MoveTo(f.a.id, "signed", "2024-01-05").ok());
    EXPECT_TRUE(MoveTo(f.b.id, "under_construction", "2024-02-01").ok());
    return f;
  }

  storage::OrgUnit district_, zone_, town_, village_, dept1_, dept2_;
  std::vector<int64_t> users_;  // creator, leader, liaison, other
  int64_t firm_ = 0, firm2_ = 0, team_ = 0;
};
TYPED_TEST_SUITE(ProjectListTest, Engines, EngineName);

TYPED_TEST(ProjectListTest, EveryFilterNarrowsTheList) {
  auto [a, b, c, d] = this->MakeFour();
  auto set = [&](auto mutate) {
    ProjectFilter f;
    mutate(f);
    return this->SetOf(f);
  };
  const Ids all = this->Sorted({a.id, b.id, c.id, d.id});
  EXPECT_EQ(set([](ProjectFilter&) {}), all);
  EXPECT_EQ(set([&](ProjectFilter& f) { f.org_path_prefix = this->town_.path; }), this->Sorted({b.id, c.id}))
      << "the subtree includes the village";
  EXPECT_EQ(set([](ProjectFilter& f) { f.stages = {"signed"}; }), Ids{a.id});
  EXPECT_EQ(set([](ProjectFilter& f) { f.stages = {"signed", "planning"}; }), this->Sorted({a.id, c.id, d.id}));
  EXPECT_EQ(set([](ProjectFilter& f) { f.levels = {"provincial", "municipal"}; }), this->Sorted({a.id, b.id}));
  EXPECT_EQ(set([](ProjectFilter& f) { f.categories = {"manufacturing"}; }), this->Sorted({a.id, b.id}));
  EXPECT_EQ(set([](ProjectFilter& f) { f.boards = {"energy"}; }), Ids{b.id});
  EXPECT_EQ(set([](ProjectFilter& f) { f.types = {"continuing", "expansion"}; }), this->Sorted({b.id, c.id}));
  EXPECT_EQ(set([&](ProjectFilter& f) { f.leader_user_id = this->users_[1]; }), Ids{a.id});
  EXPECT_EQ(set([&](ProjectFilter& f) { f.responsible_unit_id = this->dept2_.id; }), Ids{b.id});
  EXPECT_EQ(set([&](ProjectFilter& f) { f.enterprise_id = this->firm_; }), Ids{a.id});
  EXPECT_EQ(set([&](ProjectFilter& f) { f.only_enterprise_id = this->firm2_; }), Ids{b.id});
  EXPECT_EQ(set([&](ProjectFilter& f) { f.team_id = this->team_; }), Ids{a.id});
  EXPECT_EQ(set([](ProjectFilter& f) { f.tag = "外资"; }), Ids{a.id});
  EXPECT_EQ(set([](ProjectFilter& f) { f.year = 2025; }), Ids{b.id});
  EXPECT_EQ(set([](ProjectFilter& f) { f.min_investment = 300; }), this->Sorted({a.id, b.id, c.id}));
  EXPECT_EQ(set([](ProjectFilter& f) { f.max_investment = 300; }), this->Sorted({b.id, c.id, d.id}));
  EXPECT_EQ(set([](ProjectFilter& f) {
              f.min_investment = 300;
              f.max_investment = 300;
            }),
            this->Sorted({b.id, c.id}));
  EXPECT_EQ(set([](ProjectFilter& f) { f.date_ranges = {{"planned_started_on", "2024-04-01", std::nullopt}}; }),
            Ids{b.id});
  EXPECT_EQ(set([](ProjectFilter& f) { f.date_ranges = {{"planned_started_on", std::nullopt, "2024-03-01"}}; }),
            Ids{a.id})
      << "inclusive, and a project without the date never matches";
  EXPECT_EQ(set([](ProjectFilter& f) { f.date_ranges = {{"actual_started_on", "2024-02-01", "2024-02-01"}}; }),
            Ids{b.id});
  EXPECT_EQ(set([](ProjectFilter& f) {
              f.categories = {"manufacturing"};
              f.types = {"continuing"};
            }),
            Ids{b.id})
      << "filters combine with AND";

  ProjectFilter bad;
  bad.date_ranges = {{"name", "2024-01-01", std::nullopt}};
  auto refused = this->List(bad);
  EXPECT_EQ(refused.status().code(), StatusCode::kValidationFailed);
  EXPECT_EQ(refused.status().field(), "name");
}

TYPED_TEST(ProjectListTest, SortsAscendingAndDescendingWithTiesByIdAndPages) {
  auto [a, b, c, d] = this->MakeFour();
  auto order = [&](std::vector<storage::SortKey> keys) {
    ProjectFilter f;
    f.sort = std::move(keys);
    return this->IdsOf(f);
  };
  // b and c tie on 300: id breaks the tie, in the key's direction.
  EXPECT_EQ(order({{"total_investment", false}}), (Ids{d.id, b.id, c.id, a.id}));
  EXPECT_EQ(order({{"total_investment", true}}), (Ids{a.id, c.id, b.id, d.id}));
  // Code point order: 丁 U+4E01 < 丙 U+4E19 < 乙 U+4E59 < 甲 U+7532.
  EXPECT_EQ(order({{"name", false}}), (Ids{d.id, c.id, b.id, a.id}));
  EXPECT_EQ(order({{"name", true}}), (Ids{a.id, b.id, c.id, d.id}));
  // Projects without the date come last both ways.
  EXPECT_EQ(order({{"planned_started_on", false}}), (Ids{a.id, b.id, c.id, d.id}));
  EXPECT_EQ(order({{"planned_started_on", true}}), (Ids{b.id, a.id, d.id, c.id}));
  // Stage in lifecycle order (谋划 < 签约 < 在建), level highest first.
  EXPECT_EQ(order({{"stage", false}}), (Ids{c.id, d.id, a.id, b.id}));
  EXPECT_EQ(order({{"stage", true}}), (Ids{b.id, a.id, d.id, c.id}));
  EXPECT_EQ(order({{"level", false}}), (Ids{a.id, b.id, c.id, d.id}));
  // 孙家村 < 莱山区 < 莱山经济开发区 < 解甲庄街道 by code point.
  EXPECT_EQ(order({{"org_unit_name", false}}), (Ids{c.id, d.id, a.id, b.id}));
  EXPECT_EQ(order({{"total_investment", false}, {"name", true}}), (Ids{d.id, b.id, c.id, a.id}));
  EXPECT_EQ(order({{"code", false}}), (Ids{a.id, b.id, c.id, d.id})) << "XM-2023-0001 …";
  // Default: the last updated first (the two moved ones were updated last; same clock, so by id).
  EXPECT_EQ(order({}), (Ids{d.id, c.id, b.id, a.id}));

  ProjectFilter paged;
  paged.sort = {{"total_investment", false}};
  paged.page_size = 2;
  paged.page = 2;
  ZB_ASSERT_OK_AND_ASSIGN(ProjectPage page2, this->List(paged));
  EXPECT_EQ(page2.total, 4);
  ASSERT_EQ(page2.items.size(), 2u);
  EXPECT_EQ(page2.items[0].id, c.id);
  EXPECT_EQ(page2.items[1].id, a.id);
  // The page carries every list, for every row.
  EXPECT_EQ(page2.items[1].data.tags, (std::vector<std::string>{"外资"}));
  EXPECT_EQ(page2.items[1].data.team_ids, (Ids{this->team_}));
  EXPECT_EQ(page2.items[1].team_names, (std::vector<std::string>{"新材料专班"}));
  EXPECT_EQ(page2.items[1].data.plans.size(), 1u);
  EXPECT_EQ(page2.items[0].data.liaison_ids, (Ids{this->users_[2]}));
  EXPECT_EQ(page2.items[0].liaison_names, (std::vector<std::string>{"liaison"}));
  EXPECT_EQ(page2.items[1].enterprise_name, "华新新材料有限公司");
  EXPECT_EQ(page2.items[1].leader_name, "leader");
  paged.page = 3;
  ZB_ASSERT_OK_AND_ASSIGN(ProjectPage page3, this->List(paged));
  EXPECT_EQ(page3.total, 4);
  EXPECT_TRUE(page3.items.empty());

  ProjectFilter bad;
  bad.sort = {{"password_hash", false}};
  auto refused = this->List(bad);
  EXPECT_EQ(refused.status().code(), StatusCode::kValidationFailed);
  EXPECT_EQ(refused.status().field(), "sort");
}

TYPED_TEST(ProjectListTest, ScopeIsTheUnitOrTheResponsibleDepartmentOrThePerson) {
  auto [a, b, c, d] = this->MakeFour();
  auto scoped = [&](storage::ScopeFilterSql scope) {
    ProjectFilter f;
    f.scope = std::move(scope);
    return this->SetOf(f);
  };
  EXPECT_EQ(scoped({.all = true}), this->Sorted({a.id, b.id, c.id, d.id}));
  EXPECT_EQ(scoped({}), Ids{}) << "an empty scope sees nothing";
  EXPECT_EQ(scoped({.subtree_paths = {this->town_.path}}), this->Sorted({b.id, c.id}));
  EXPECT_EQ(scoped({.unit_ids = {this->village_.id}}), Ids{c.id});
  // A 责任部门 sees the projects it is responsible for, wherever they are.
  EXPECT_EQ(scoped({.unit_ids = {this->dept2_.id}}), Ids{b.id});
  EXPECT_EQ(scoped({.subtree_paths = {this->dept1_.path}}), Ids{a.id});
  EXPECT_EQ(scoped({.subtree_paths = {this->town_.path}, .unit_ids = {this->dept1_.id}}),
            this->Sorted({a.id, b.id, c.id}));
  // 仅本人: what they lead, liaise on or created.
  EXPECT_EQ(scoped({.self_user_id = this->users_[1]}), Ids{a.id});
  EXPECT_EQ(scoped({.self_user_id = this->users_[2]}), Ids{c.id});
  EXPECT_EQ(scoped({.self_user_id = this->users_[3]}), Ids{d.id});
  EXPECT_EQ(scoped({.unit_ids = {this->dept2_.id}, .self_user_id = this->users_[3]}), this->Sorted({b.id, d.id}));

  // Totals and facets count only what the scope sees.
  ProjectFilter f;
  f.scope = storage::ScopeFilterSql{.subtree_paths = {this->town_.path}};
  ZB_ASSERT_OK_AND_ASSIGN(ProjectPage page, this->List(f));
  EXPECT_EQ(page.total, 2);
  EXPECT_EQ(page.counts.total_investment, 600);
  EXPECT_EQ(this->AsPairs(page.facets.org_unit),
            (Facet{{std::to_string(this->town_.id), 1}, {std::to_string(this->village_.id), 1}}));
}

TYPED_TEST(ProjectListTest, EachFacetIgnoresItsOwnDimension) {
  auto [a, b, c, d] = this->MakeFour();
  ProjectFilter none;
  ZB_ASSERT_OK_AND_ASSIGN(ProjectPage all, this->List(none));
  EXPECT_EQ(all.total, 4);
  EXPECT_EQ(this->AsPairs(all.facets.stage), (Facet{{"planning", 2}, {"signed", 1}, {"under_construction", 1}}))
      << "by count, then value";
  EXPECT_EQ(this->AsPairs(all.facets.category),
            (Facet{{"manufacturing", 2}, {"infrastructure", 1}, {"livelihood", 1}}));
  EXPECT_EQ(all.counts.total_investment, 1200);
  ASSERT_EQ(all.facets.org_unit.size(), 4u);
  for (const auto& u : all.facets.org_unit) {
    if (u.value == std::to_string(this->zone_.id)) EXPECT_EQ(u.label, "莱山经济开发区");
  }

  ProjectFilter f;
  f.stages = {"planning"};
  f.levels = {"county"};
  ZB_ASSERT_OK_AND_ASSIGN(ProjectPage page, this->List(f));
  EXPECT_EQ(page.total, 1);
  ASSERT_EQ(page.items.size(), 1u);
  EXPECT_EQ(page.items[0].id, c.id);
  EXPECT_EQ(this->AsPairs(page.facets.stage), (Facet{{"planning", 1}})) << "under level=county only";
  EXPECT_EQ(this->AsPairs(page.facets.level), (Facet{{"county", 1}, {"general", 1}})) << "under stage=planning only";
  EXPECT_EQ(this->AsPairs(page.facets.category), (Facet{{"infrastructure", 1}}));
  EXPECT_EQ(this->AsPairs(page.facets.org_unit), (Facet{{std::to_string(this->village_.id), 1}}));
  EXPECT_EQ(page.counts.total_investment, 300);

  // The 属地 subtree is the org_unit facet's own dimension.
  ProjectFilter sub;
  sub.org_path_prefix = this->town_.path;
  ZB_ASSERT_OK_AND_ASSIGN(ProjectPage in_town, this->List(sub));
  EXPECT_EQ(in_town.total, 2);
  EXPECT_EQ(in_town.facets.org_unit.size(), 4u) << "every unit stays clickable";
  EXPECT_EQ(this->AsPairs(in_town.facets.stage), (Facet{{"planning", 1}, {"under_construction", 1}}));

  // Without facets: the total only.
  ProjectFilter bare;
  bare.with_facets = false;
  bare.levels = {"county", "general"};
  ZB_ASSERT_OK_AND_ASSIGN(ProjectPage plain, this->List(bare));
  EXPECT_EQ(plain.total, 2);
  EXPECT_TRUE(plain.facets.stage.empty());
  EXPECT_EQ(plain.counts.total_investment, 0);
}

// 开工 / 复工 / 开复工 per StartKindFilter's rules, on hand-made histories.
TYPED_TEST(ProjectListTest, CountsStartedAndResumedFromTheHistory) {
  std::map<std::string, int64_t> id;
  auto make = [&](const std::string& key, const char* type,
                  std::vector<std::pair<const char*, const char*>> moves) {
    ProjectData d = this->Base(key, this->district_.id);
    d.project_type = type;
    auto p = this->Create(d);
    ASSERT_TRUE(p.ok()) << p.status().ToString();
    id[key] = p->id;
    for (auto [to, on] : moves) ASSERT_TRUE(this->MoveTo(p->id, to, on).ok()) << key << " → " << to;
  };
  make("P1 新建 2024 开工", "new", {{"under_construction", "2024-03-01"}});
  make("P2 续建 在建至今", "continuing", {{"under_construction", "2023-05-01"}});
  make("P3 续建 2023 竣工", "continuing", {{"under_construction", "2022-04-01"}, {"completed", "2023-10-01"}});
  make("P4 续建 停后 2024 复工", "continuing",
       {{"under_construction", "2023-04-01"}, {"suspended", "2023-11-01"}, {"under_construction", "2024-04-10"}});
  make("P5 续建 停缓建中", "continuing", {{"under_construction", "2023-04-01"}, {"suspended", "2023-11-01"}});
  make("P6 续建 2024 竣工", "continuing", {{"under_construction", "2023-04-01"}, {"completed", "2024-06-01"}});
  make("P7 续建 2025 竣工", "continuing", {{"under_construction", "2023-04-01"}, {"completed", "2025-02-01"}});
  make("P8 新建 2023 开工", "new", {{"under_construction", "2023-06-01"}});
  make("P9 续建 导入即在建", "continuing", {});
  ZB_ASSERT_OK(this->Exec("UPDATE projects SET stage = 'under_construction' WHERE id = $1", {id["P9 续建 导入即在建"]}));
  make("P10 扩建 2024 开工", "expansion", {{"under_construction", "2024-02-01"}});
  make("P11 续建 2025 开工", "continuing", {{"under_construction", "2025-03-01"}});
  make("P12 续建 未开工", "continuing", {});
  make("P13 续建 停后终止", "continuing",
       {{"under_construction", "2023-04-01"}, {"suspended", "2023-11-01"}, {"terminated", "2024-01-01"}});
  if (this->HasFatalFailure()) return;

  auto counts = [&](int64_t year) {
    ProjectFilter f;
    f.start_year = year;
    auto page = this->List(f);
    EXPECT_TRUE(page.ok()) << page.status().ToString();
    return page.ok() ? page->counts : storage::ProjectCounts{};
  };
  auto kind = [&](int64_t year, StartKindFilter k) {
    ProjectFilter f;
    f.start_year = year;
    f.start_kind = k;
    return this->SetOf(f);
  };
  auto ids = [&](std::vector<std::string> keys) {
    Ids out;
    for (const auto& k : keys) out.push_back(id.at(k));
    return this->Sorted(out);
  };
  storage::ProjectCounts y2024 = counts(2024);
  EXPECT_EQ(y2024.started, 2);
  EXPECT_EQ(y2024.resumed, 5);
  EXPECT_EQ(y2024.started_or_resumed, 7);
  EXPECT_EQ(kind(2024, StartKindFilter::kStarted), ids({"P1 新建 2024 开工", "P10 扩建 2024 开工"}));
  EXPECT_EQ(kind(2024, StartKindFilter::kResumed),
            ids({"P2 续建 在建至今", "P4 续建 停后 2024 复工", "P6 续建 2024 竣工", "P7 续建 2025 竣工",
                 "P9 续建 导入即在建"}));
  EXPECT_EQ(kind(2024, StartKindFilter::kStartedOrResumed).size(), 7u);

  // 2023: every move into 在建 that year is 开工; P3 (在建 since 2022, done
  // in October) and P9 (在建, start never recorded) are 复工.
  storage::ProjectCounts y2023 = counts(2023);
  EXPECT_EQ(y2023.started, 7);
  EXPECT_EQ(kind(2023, StartKindFilter::kResumed), ids({"P3 续建 2023 竣工", "P9 续建 导入即在建"}));
  EXPECT_EQ(kind(2025, StartKindFilter::kStarted), ids({"P11 续建 2025 开工"}));

  // The start_kind filter also narrows the facets and counts.
  ProjectFilter resumed;
  resumed.start_year = 2024;
  resumed.start_kind = StartKindFilter::kResumed;
  ZB_ASSERT_OK_AND_ASSIGN(ProjectPage page, this->List(resumed));
  EXPECT_EQ(page.total, 5);
  EXPECT_EQ(page.counts.started, 0);
  EXPECT_EQ(page.counts.resumed, 5);
  int64_t staged = 0;
  for (const auto& s : page.facets.stage) staged += s.count;
  EXPECT_EQ(staged, 5);
}

TYPED_TEST(ProjectListTest, SearchFindsSubstringsAcrossScriptsAndPinyinInitials) {
  auto make = [&](const char* name, const char* content, std::optional<int64_t> firm = std::nullopt) {
    ProjectData d = this->Base(name, this->district_.id);
    d.construction_content = content;
    d.enterprise_id = firm;
    auto p = this->Create(d);
    EXPECT_TRUE(p.ok()) << p.status().ToString();
    return p.ok() ? p->id : -1;
  };
  const int64_t road = make("烟台文双线道路改造工程", "新建沥青路面 4.2 公里");
  const int64_t dongguan = make("東莞開發區光伏電站項目", "屋頂分佈式光伏");
  const int64_t laishan = make("莱山区光伏项目", "新建 100% 绿电车间", this->firm_);
  auto found = [&](const std::string& q) {
    ProjectFilter f;
    f.q = q;
    return this->SetOf(f);
  };
  EXPECT_EQ(found("文双线"), Ids{road}) << "a substring of the name";
  EXPECT_EQ(found("wsx"), Ids{road}) << "pinyin initials of the name";
  EXPECT_EQ(found("WSX"), Ids{road}) << "any case";
  EXPECT_EQ(found("ytwsx"), Ids{road});
  EXPECT_EQ(found("开发区"), Ids{dongguan}) << "simplified finds traditional";
  EXPECT_EQ(found("萊山區"), Ids{laishan}) << "traditional finds simplified";
  EXPECT_EQ(found("光伏項目"), Ids{laishan}) << "電站項目 is not 光伏项目";
  EXPECT_EQ(found("光伏"), this->Sorted({dongguan, laishan})) << "two characters: no trigram, still found";
  EXPECT_EQ(found("沥青"), Ids{road}) << "construction content";
  EXPECT_EQ(found("光"), this->Sorted({dongguan, laishan})) << "one character";
  EXPECT_EQ(found("华新新材"), Ids{laishan}) << "the enterprise's name";
  EXPECT_EQ(found("xm-2023-0003"), Ids{laishan}) << "the code, any case";
  EXPECT_EQ(found("光伏 莱山"), Ids{laishan}) << "every term must occur";
  EXPECT_EQ(found("莱山 光"), Ids{laishan}) << "short and long terms together";
  EXPECT_EQ(found("100%"), Ids{laishan}) << "% is a character, not a wildcard";
  EXPECT_EQ(found("0%绿"), Ids{});
  EXPECT_EQ(found("光_"), Ids{}) << "_ is a character, not a wildcard";
  EXPECT_EQ(found("光伏\"項目"), Ids{}) << "a quote is a character";
  EXPECT_EQ(found("ｗｓｘ"), Ids{road}) << "full-width letters";
  EXPECT_EQ(found("双线道路 沥青"), Ids{road}) << "terms from two fields";
  EXPECT_EQ(found("线道 沥"), Ids{road});
  EXPECT_EQ(found("   "), this->Sorted({road, dongguan, laishan})) << "blanks only: no condition";
  EXPECT_EQ(found("工程 新建"), Ids{road});
  EXPECT_EQ(found("程新"), Ids{}) << "no match across two fields";

  // The facets and total follow the search.
  ProjectFilter f;
  f.q = "光伏";
  ZB_ASSERT_OK_AND_ASSIGN(ProjectPage page, this->List(f));
  EXPECT_EQ(page.total, 2);
  EXPECT_EQ(this->AsPairs(page.facets.stage), (Facet{{"planning", 2}}));
}

TYPED_TEST(ProjectListTest, SearchTextFollowsEditsAndEnterpriseRenames) {
  ProjectData d = this->Base("华新新材料项目", this->district_.id);
  d.enterprise_id = this->firm_;
  ZB_ASSERT_OK_AND_ASSIGN(Project p, this->Create(d));
  auto found = [&](const std::string& q) {
    ProjectFilter f;
    f.q = q;
    return this->SetOf(f);
  };
  EXPECT_EQ(found("hxxclxm"), Ids{p.id});
  // An edit rewrites the text.
  ProjectData changed = p.data;
  changed.name = "鲁东高端装备项目";
  changed.code = "LS-A1";
  ZB_ASSERT_OK(db::InTx(this->pool(), [&](db::Connection& c) {
    return storage::UpdateProject(c, p.id, p.version, changed, kT0 + 1).status();
  }));
  EXPECT_EQ(found("高端装备"), Ids{p.id});
  EXPECT_EQ(found("ldgdzbxm"), Ids{p.id});
  EXPECT_EQ(found("ls-a1"), Ids{p.id});
  EXPECT_EQ(found("hxxclxm"), Ids{}) << "the old name's initials are gone";
  EXPECT_EQ(found("华新新材料有限公司"), Ids{p.id}) << "still the enterprise's name";
  // Renaming the enterprise rewrites its projects' text.
  ZB_ASSERT_OK(db::InTx(this->pool(), [&](db::Connection& c) {
    return storage::UpdateEnterprise(c, this->firm_, 1, {.name = "烟台明德重工有限公司"}, kT0 + 2).status();
  }));
  EXPECT_EQ(found("明德重工"), Ids{p.id});
  EXPECT_EQ(found("华新新材料"), Ids{});
}

TYPED_TEST(ProjectListTest, RebuildWritesMissingAndPlainSearchText) {
  ZB_ASSERT_OK_AND_ASSIGN(Project a, this->Create(this->Base("東莞開發區項目", this->district_.id)));
  ZB_ASSERT_OK_AND_ASSIGN(Project b, this->Create(this->Base("文双线工程", this->district_.id)));
  const bool sqlite = this->kDialect == db::Dialect::kSqlite;
  const char* id = sqlite ? "rowid" : "project_id";
  // What migration 0005 leaves for older rows: a plain copy, or nothing —
  // and on SQLite migration 0019's index of that text, whatever it is.
  auto grams = [&](const char* sql, int64_t project) {
    if (sqlite) ZB_ASSERT_OK(this->Exec(sql, {project}));
  };
  grams("INSERT INTO project_search_grams (project_search_grams, rowid, body) "
        "SELECT 'delete', rowid, body FROM project_search WHERE rowid = $1",
        a.id);
  ZB_ASSERT_OK(this->Exec(std::string("UPDATE project_search SET body = '東莞開發區項目', folded = 0 WHERE ") + id +
                              " = $1",
                          {a.id}));
  grams("INSERT INTO project_search_grams (rowid, body) SELECT rowid, body FROM project_search WHERE rowid = $1", a.id);
  grams("INSERT INTO project_search_grams (project_search_grams, rowid, body) "
        "SELECT 'delete', rowid, body FROM project_search WHERE rowid = $1",
        b.id);
  ZB_ASSERT_OK(this->Exec(std::string("DELETE FROM project_search WHERE ") + id + " = $1", {b.id}));
  ProjectFilter f;
  f.q = "开发区";
  EXPECT_EQ(this->SetOf(f), Ids{});
  int64_t rebuilt = 0;
  ZB_ASSERT_OK(db::InTx(this->pool(), [&](db::Connection& c) -> Status {
    ZB_ASSIGN_OR_RETURN(rebuilt, storage::RebuildProjectSearch(c));
    return Status();
  }));
  EXPECT_EQ(rebuilt, 2);
  EXPECT_EQ(this->SetOf(f), Ids{a.id});
  f.q = "wsx";
  EXPECT_EQ(this->SetOf(f), Ids{b.id});
  f.q = "开发";
  EXPECT_EQ(this->SetOf(f), Ids{a.id}) << "two characters: the folded text, through the short terms' index";
  f.q = "開發";
  EXPECT_EQ(this->SetOf(f), Ids{a.id});
  f.q = "sx";
  EXPECT_EQ(this->SetOf(f), Ids{b.id});
  ZB_ASSERT_OK(db::InTx(this->pool(), [&](db::Connection& c) -> Status {
    ZB_ASSIGN_OR_RETURN(rebuilt, storage::RebuildProjectSearch(c));
    return Status();
  }));
  EXPECT_EQ(rebuilt, 0) << "nothing left to do";
}

// Totals, facets and counts are cached: every kind of write that changes
// them must show in the next list.
TYPED_TEST(ProjectListTest, WritesShowInTheNextListsFiguresAtOnce) {
  auto [a, b, c, d] = this->MakeFour();
  ProjectFilter f;
  f.start_year = 2024;
  auto figures = [&] {
    auto page = this->List(f);
    EXPECT_TRUE(page.ok()) << page.status().ToString();
    return page.ok() ? *page : ProjectPage{};
  };
  ProjectPage before = figures();
  EXPECT_EQ(before.counts.started, 1) << "b: 在建 since 2024-02-01";
  EXPECT_EQ(before.counts.resumed, 0);
  // A move (and its stage event).
  ZB_ASSERT_OK(this->MoveTo(d.id, "under_construction", "2024-05-01"));
  ProjectPage moved = figures();
  EXPECT_EQ(moved.counts.started, 2);
  EXPECT_EQ(this->AsPairs(moved.facets.stage), (Facet{{"under_construction", 2}, {"planning", 1}, {"signed", 1}}));
  // A new project.
  ZB_ASSERT_OK(this->Create(this->Base("戊", this->zone_.id)).status());
  EXPECT_EQ(figures().total, 5);
  // An edit of a list (包联人员) changes what 仅本人 sees.
  f.scope = storage::ScopeFilterSql{.self_user_id = this->users_[2]};
  EXPECT_EQ(figures().total, 1);
  ZB_ASSERT_OK_AND_ASSIGN(db::Lease lease, this->pool().Read());
  ZB_ASSERT_OK_AND_ASSIGN(Project current, storage::GetProject(*lease, a.id));
  ProjectData with_liaison = current.data;
  with_liaison.liaison_ids = {this->users_[2]};
  with_liaison.total_investment = 700;
  ZB_ASSERT_OK(db::InTx(this->pool(), [&](db::Connection& c) {
    return storage::UpdateProject(c, a.id, current.version, with_liaison, kT0 + 1).status();
  }));
  EXPECT_EQ(figures().total, 2);
  EXPECT_EQ(figures().counts.total_investment, 1000);
  // A renamed unit relabels the org_unit facet.
  f.scope.reset();
  ZB_ASSERT_OK(db::InTx(this->pool(), [&](db::Connection& c) {
    return storage::UpdateOrgUnit(c, this->village_.id, this->village_.version, {.name = "孙家社区"}, kT0 + 2)
        .status();
  }));
  bool relabelled = false;
  for (const auto& u : figures().facets.org_unit) relabelled = relabelled || u.label == "孙家社区";
  EXPECT_TRUE(relabelled);
}

TYPED_TEST(ProjectListTest, ForEachStreamsEveryMatchInOrderWithoutPaging) {
  // 2 500 projects, more than two chunks, written in one statement.
  ZB_ASSERT_OK(this->Exec("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2500) "
                          "INSERT INTO projects (code, name, org_unit_id, total_investment, created_at, updated_at) "
                          "SELECT 'B-' || i, '批量项目' || i, CAST($1 AS BIGINT), i % 7, CAST($2 AS BIGINT), CAST($2 AS BIGINT) FROM n",
                          {this->zone_.id, kT0}));
  ZB_ASSERT_OK(this->Exec("INSERT INTO project_tags (project_id, tag) SELECT id, '批量' FROM projects WHERE code = 'B-7'"));
  ZB_ASSERT_OK(this->Create(this->Base("不在开发区", this->town_.id)).status());
  ProjectFilter f;
  f.org_path_prefix = this->zone_.path;
  f.sort = {{"total_investment", true}};
  f.page = 3;
  f.page_size = 5;  // ignored
  std::vector<Project> seen;
  ZB_ASSERT_OK_AND_ASSIGN(db::Lease lease, this->pool().Read());
  ZB_ASSERT_OK(storage::ForEachProject(*lease, f, [&](const Project& p) {
    seen.push_back(p);
    return Status();
  }));
  ASSERT_EQ(seen.size(), 2500u);
  for (size_t i = 1; i < seen.size(); ++i) {
    const Project& x = seen[i - 1];
    const Project& y = seen[i];
    ASSERT_TRUE(x.data.total_investment > y.data.total_investment ||
                (x.data.total_investment == y.data.total_investment && x.id > y.id))
        << i;
  }
  auto tagged = std::find_if(seen.begin(), seen.end(), [](const Project& p) { return p.data.code == "B-7"; });
  ASSERT_NE(tagged, seen.end());
  EXPECT_EQ(tagged->data.tags, (std::vector<std::string>{"批量"}));
  EXPECT_EQ(tagged->org_unit_name, "莱山经济开发区");

  // The callback's error stops the walk and comes back.
  int calls = 0;
  Status stopped = storage::ForEachProject(*lease, f, [&](const Project&) {
    return ++calls == 3 ? Conflict("够了 (enough)") : Status();
  });
  EXPECT_EQ(stopped.code(), StatusCode::kConflict);
  EXPECT_EQ(calls, 3);
}

TYPED_TEST(ProjectListTest, FindsAProjectByItsCode) {
  ProjectData d = this->Base("甲", this->district_.id);
  d.tags = {"外资"};
  ZB_ASSERT_OK_AND_ASSIGN(Project p, this->Create(d));
  ZB_ASSERT_OK_AND_ASSIGN(db::Lease lease, this->pool().Read());
  ZB_ASSERT_OK_AND_ASSIGN(auto found, storage::FindProjectByCode(*lease, p.data.code));
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->id, p.id);
  EXPECT_EQ(found->data.tags, (std::vector<std::string>{"外资"}));
  ZB_ASSERT_OK_AND_ASSIGN(auto missing, storage::FindProjectByCode(*lease, "XM-1999-0001"));
  EXPECT_FALSE(missing.has_value());
}

}  // namespace
}  // namespace zb::storage_test
