// storage/template_repo, plan_repo, attachment_repo and warning_store:
// templates, plans kept across edits, progress, and the materialised
// warnings. Written once, run on both engines. The calendar here is plain
// weekends (WorkCalendar()), so the dates below are easy to check by hand.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "domain/node_templates.h"
#include "storage/attachment_repo.h"
#include "storage/org_unit_repo.h"
#include "storage/plan_repo.h"
#include "storage/project_repo.h"
#include "storage/storage_fixture.h"
#include "storage/template_repo.h"
#include "storage/user_repo.h"
#include "storage/warning_store.h"

namespace zb::storage_test {
namespace {

using domain::NodeEvent;
using storage::Plan;
using storage::PlanLinkInput;
using storage::PlanNodeInput;

constexpr int64_t kT0 = 1'795'400'000'000;  // 2026-11-23

Date D(const char* text) { return *Date::Parse(text); }

template <typename Engine>
class PlanStoreTest : public MigratedDbTest<Engine> {
 protected:
  void SetUp() override {
    MigratedDbTest<Engine>::SetUp();
    if (::testing::Test::HasFatalFailure()) return;
    Status s = db::InTx(this->pool(), [&](db::Connection& c) -> Status {
      ZB_ASSIGN_OR_RETURN(auto district,
                          storage::CreateOrgUnit(c, {.name = "莱山区", .code = "LS", .kind = "county"}, kT0));
      ZB_ASSIGN_OR_RETURN(auto u, storage::CreateUser(c,
                                                      {.login = "li", .display_name = "李工",
                                                       .org_unit_id = district.id, .password_hash = "x"},
                                                      kT0));
      user_ = u.id;
      storage::ProjectData d;
      d.name = "华新新材料项目";
      d.org_unit_id = district.id;
      d.category = "manufacturing";
      ZB_ASSIGN_OR_RETURN(auto p, storage::CreateProject(c, d, user_, kT0));
      project_ = p.id;
      d.name = "没有计划的项目";
      d.planned_started_on = "2026-11-10";  // this month, not started: yellow by the office rules
      ZB_ASSIGN_OR_RETURN(auto q, storage::CreateProject(c, d, user_, kT0));
      bare_ = q.id;
      return Status();
    });
    ASSERT_TRUE(s.ok()) << s.ToString();
    ctx_.today = D("2026-11-23");  // a Monday
    ctx_.calendar = std::make_shared<const WorkCalendar>();
  }

  // 拿地 (5 days) → 报建 (3 days) → 开工 (milestone, target Friday 11-27).
  Status CreateThreeNodePlan() {
    return db::InTx(this->pool(), [&](db::Connection& c) -> Status {
      std::vector<PlanNodeInput> nodes = {{.key = "land", .name = "拿地", .duration = 5},
                                          {.key = "permit", .name = "报建", .duration = 3},
                                          {.key = "start",
                                           .name = "开工",
                                           .duration = 0,
                                           .event = NodeEvent::kStarted,
                                           .target = D("2026-11-27")}};
      ZB_RETURN_IF_ERROR(storage::CreatePlan(c, project_, std::nullopt, "", nodes, {{0, 1, 0}, {1, 2, 0}}, user_, kT0));
      return storage::RecomputeProject(c, project_, ctx_);
    });
  }

  Plan Load() {
    auto conn = this->pool().Read();
    EXPECT_TRUE(conn.ok());
    auto plan = storage::GetPlan(**conn, project_);
    EXPECT_TRUE(plan.ok() && plan->has_value()) << plan.status().ToString();
    return plan.ok() && *plan ? **plan : Plan{};
  }

  storage::StoredWarning Warning(int64_t id) {
    auto conn = this->pool().Read();
    auto w = storage::GetProjectWarning(**conn, id);
    EXPECT_TRUE(w.ok() && w->has_value()) << w.status().ToString();
    return w.ok() && *w ? **w : storage::StoredWarning{};
  }

  int64_t user_ = 0, project_ = 0, bare_ = 0;
  storage::WarningContext ctx_;
};
TYPED_TEST_SUITE(PlanStoreTest, Engines, EngineName);

TYPED_TEST(PlanStoreTest, BuiltinTemplatesSeedOnceWithOneDefaultPerCategory) {
  ZB_ASSERT_OK(db::InTx(this->pool(), [&](db::Connection& c) -> Status {
    ZB_ASSIGN_OR_RETURN(int first, storage::SeedBuiltinNodeTemplates(c, kT0));
    EXPECT_EQ(first, static_cast<int>(domain::BuiltinNodeTemplates().size()));
    ZB_ASSIGN_OR_RETURN(int again, storage::SeedBuiltinNodeTemplates(c, kT0));
    EXPECT_EQ(again, 0);
    ZB_ASSIGN_OR_RETURN(auto def, storage::DefaultNodeTemplate(c, "manufacturing"));
    EXPECT_TRUE(def.has_value());
    if (!def) return Status();
    EXPECT_EQ(def->def.nodes.size(), domain::BuiltinNodeTemplates().front().nodes.size());
    EXPECT_EQ(def->def.links.size(), domain::BuiltinNodeTemplates().front().links.size());
    // A copy made the default takes the flag from the built-in one.
    domain::NodeTemplateDef copy = def->def;
    copy.name = "制造业(快速审批)";
    ZB_ASSIGN_OR_RETURN(auto made, storage::CreateNodeTemplate(c, copy, true, this->user_, kT0));
    ZB_ASSIGN_OR_RETURN(auto now_default, storage::DefaultNodeTemplate(c, "manufacturing"));
    EXPECT_EQ(now_default->id, made.id);
    ZB_ASSIGN_OR_RETURN(auto old, storage::GetNodeTemplate(c, def->id));
    EXPECT_FALSE(old.is_default);
    auto stale = storage::UpdateNodeTemplate(c, made.id, 7, copy, true, this->user_, kT0);
    EXPECT_EQ(stale.status().code(), StatusCode::kVersionConflict);
    return Status();
  }));
  // A name another template has (the failed statement ends its transaction).
  Status dup = db::InTx(this->pool(), [&](db::Connection& c) -> Status {
    ZB_ASSIGN_OR_RETURN(auto list, storage::ListNodeTemplates(c, "manufacturing"));
    domain::NodeTemplateDef renamed = list.front().def;
    renamed.name = list.back().def.name;
    return storage::UpdateNodeTemplate(c, list.front().id, list.front().version, renamed, false, this->user_, kT0)
        .status();
  });
  EXPECT_EQ(dup.code(), StatusCode::kAlreadyExists);
  EXPECT_EQ(dup.field(), "name");
}

TYPED_TEST(PlanStoreTest, ReplacingNodesKeepsListedOnesWithTheirProgress) {
  ZB_ASSERT_OK(this->CreateThreeNodePlan());
  Plan plan = this->Load();
  ASSERT_EQ(plan.nodes.size(), 3u);
  const int64_t land = plan.nodes[0].id, permit = plan.nodes[1].id, start = plan.nodes[2].id;
  ZB_ASSERT_OK(db::InTx(this->pool(), [&](db::Connection& c) -> Status {
    return storage::AddNodeProgress(c, {.node_id = land,
                                        .project_id = this->project_,
                                        .started_on = D("2026-11-16"),
                                        .note = "已摘牌",
                                        .user_id = this->user_,
                                        .at = kT0})
        .status();
  }));
  // 报建 dropped, 环评 added between; 拿地 renamed.
  ZB_ASSERT_OK(db::InTx(this->pool(), [&](db::Connection& c) -> Status {
    ZB_ASSIGN_OR_RETURN(int64_t v, storage::TouchPlan(c, this->project_, 1, this->user_, kT0));
    EXPECT_EQ(v, 2);
    return storage::WritePlanNodes(
        c, this->project_,
        {{.id = land, .key = "land", .name = "土地摘牌", .duration = 5},
         {.key = "eia", .name = "环评", .duration = 10},
         {.id = start, .key = "start", .name = "开工", .duration = 0, .event = NodeEvent::kStarted,
          .target = D("2026-12-31")}},
        {{0, 1, 2}, {1, 2, 0}});
  }));
  plan = this->Load();
  ASSERT_EQ(plan.nodes.size(), 3u);
  EXPECT_EQ(plan.version, 2);
  EXPECT_EQ(plan.nodes[0].id, land);
  EXPECT_EQ(plan.nodes[0].name, "土地摘牌");
  EXPECT_EQ(plan.nodes[0].actual_start, D("2026-11-16")) << "progress survives the edit";
  EXPECT_EQ(plan.nodes[1].name, "环评");
  EXPECT_NE(plan.nodes[1].id, permit);
  EXPECT_EQ(plan.nodes[2].id, start);
  ASSERT_EQ(plan.links.size(), 2u);
  EXPECT_EQ(plan.links[0].lag + plan.links[1].lag, 2);
  auto conn = this->pool().Read();
  ZB_ASSERT_OK_AND_ASSIGN(auto entries, storage::ListNodeProgress(**conn, land));
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(entries[0].note, "已摘牌");
  EXPECT_EQ(entries[0].user_name, "李工");
  // A stale version and a node of another plan are refused.
  Status stale = db::InTx(this->pool(), [&](db::Connection& c) -> Status {
    return storage::TouchPlan(c, this->project_, 1, this->user_, kT0).status();
  });
  EXPECT_EQ(stale.code(), StatusCode::kVersionConflict);
  Status foreign = db::InTx(this->pool(), [&](db::Connection& c) -> Status {
    return storage::WritePlanNodes(c, this->project_, {{.id = permit, .key = "x", .name = "x", .duration = 1}}, {});
  });
  EXPECT_EQ(foreign.field(), "nodes[0].id");
}

TYPED_TEST(PlanStoreTest, AnEventNodeReadsTheProjectsActualDate) {
  ZB_ASSERT_OK(this->CreateThreeNodePlan());
  ZB_ASSERT_OK(db::InTx(this->pool(), [&](db::Connection& c) -> Status {
    return c.Exec("UPDATE projects SET actual_started_on = '2026-11-20' WHERE id = $1", {this->project_});
  }));
  Plan plan = this->Load();
  EXPECT_EQ(plan.nodes[2].actual_finish, D("2026-11-20"));
  EXPECT_EQ(plan.nodes[2].actual_start, D("2026-11-20"));
  EXPECT_FALSE(plan.nodes[0].actual_finish.has_value());
}

TYPED_TEST(PlanStoreTest, RecomputeMaterialisesTheScheduleAndTheProjectsColour) {
  ZB_ASSERT_OK(this->CreateThreeNodePlan());
  Plan plan = this->Load();
  // Forward from Monday 11-23: 拿地 11-23…11-27, 报建 11-30…12-02, 开工 on
  // 12-03 — four working days after its target Friday 11-27.
  // Stored day-invariantly: nothing is done, so every forecast is an
  // offset from today (拿地 finishes on its 5th working day, 开工 is the 9th).
  const WorkCalendar& cal = *this->ctx_.calendar;
  EXPECT_EQ(plan.nodes[0].stored.forecast_finish, (domain::DayInvariantDate{std::nullopt, 4}));
  EXPECT_EQ(plan.nodes[0].stored.forecast_finish.At(this->ctx_.today, cal), D("2026-11-27"));
  EXPECT_EQ(plan.nodes[2].stored.forecast_finish.At(this->ctx_.today, cal), D("2026-12-03"));
  EXPECT_EQ(plan.nodes[2].stored.forecast_finish.At(D("2026-11-24"), cal), D("2026-12-04"));
  EXPECT_EQ(plan.nodes[2].stored.latest_finish, D("2026-11-27"));
  EXPECT_EQ(plan.nodes[0].stored.colour, "red");
  storage::StoredWarning w = this->Warning(this->project_);
  EXPECT_EQ(w.colour, "red");
  EXPECT_EQ(w.MaxSlipOn(this->ctx_.today, cal), 4);
  EXPECT_EQ(w.max_slip, 0) << "nothing done: all of the slip grows with the day";
  EXPECT_TRUE(w.max_slip_offset.has_value());
  const std::vector<std::string> said = storage::RenderWarningReasons(w.reasons, w.valid_until, this->ctx_.today, cal);
  EXPECT_TRUE(std::find(said.begin(), said.end(), "开工 预计推迟 4 个工作日") != said.end())
      << storage::WarningReasonsJson(w.reasons);
  EXPECT_EQ(w.computed_on, "2026-11-23");
  // 拿地 is due today and forecast late (red); tomorrow it is overdue, a
  // new reason: the row holds through today only.
  EXPECT_EQ(w.valid_until, "2026-11-23");
}

TYPED_TEST(PlanStoreTest, ANewDayRecomputesOnlyTheRowsThatRunOut) {
  ZB_ASSERT_OK(this->CreateThreeNodePlan());
  auto run = [&](const storage::WarningContext& ctx) {
    storage::RecomputeStats stats;
    Status s = db::InTx(this->pool(), [&](db::Connection& c) -> Status {
      ZB_ASSIGN_OR_RETURN(stats, storage::RecomputeStale(c, ctx));
      return Status();
    });
    EXPECT_TRUE(s.ok()) << s.ToString();
    return stats;
  };
  auto stale = [&](const storage::WarningContext& ctx) {
    auto conn = this->pool().Read();
    auto s = storage::WarningsStale(**conn, ctx);
    EXPECT_TRUE(s.ok());
    return s.ok() && *s;
  };
  // What the plan API computes afresh for a day, rendered.
  auto now = [&](Date day) {
    storage::WarningContext ctx = this->ctx_;
    ctx.today = day;
    auto conn = this->pool().Read();
    auto e = storage::EvaluateProjectNow(**conn, this->project_, ctx);
    EXPECT_TRUE(e.ok()) << e.status().ToString();
    return e.ok() ? storage::RenderWarningReasons(e->warning.reasons, e->warning.valid_until, day, *ctx.calendar)
                  : std::vector<std::string>{};
  };
  const WorkCalendar& cal = *this->ctx_.calendar;
  EXPECT_TRUE(stale(this->ctx_)) << "the project without a plan has no row yet";
  storage::RecomputeStats first = run(this->ctx_);
  EXPECT_EQ(first.projects, 1) << "RecomputeProject already wrote the planned one";
  EXPECT_EQ(first.warnings_written, 1);
  storage::StoredWarning bare = this->Warning(this->bare_);
  EXPECT_EQ(bare.colour, "yellow") << "planned to start this month, not started";
  EXPECT_EQ(bare.valid_until, "2026-11-30") << "from December it says 计划开工 2026-11-10,尚未开工";
  EXPECT_FALSE(stale(this->ctx_));
  EXPECT_EQ(run(this->ctx_).projects, 0);

  // The next day 拿地 is overdue: only the late plan's row ran out.
  storage::WarningContext tomorrow = this->ctx_;
  tomorrow.today = D("2026-11-24");
  EXPECT_TRUE(stale(tomorrow));
  storage::RecomputeStats next = run(tomorrow);
  EXPECT_EQ(next.projects, 1);
  EXPECT_EQ(next.warnings_written, 1);
  EXPECT_EQ(next.nodes_written, 0) << "every forecast moved a day, but its stored form holds for any day, "
                                       "and no node's colour changed";
  EXPECT_EQ(this->Load().nodes[2].stored.forecast_finish.At(tomorrow.today, cal), D("2026-12-04"));
  storage::StoredWarning late = this->Warning(this->project_);
  EXPECT_EQ(late.MaxSlipOn(tomorrow.today, cal), 5);
  EXPECT_EQ(late.valid_until, "2026-11-26") << "报建 is overdue from Friday";
  EXPECT_EQ(this->Warning(this->bare_).computed_on, "2026-11-23") << "a row still valid is not rewritten";
  EXPECT_FALSE(stale(tomorrow));

  // Wednesday: nothing runs out, yet the stored words are the day's.
  storage::WarningContext wednesday = this->ctx_;
  wednesday.today = D("2026-11-25");
  EXPECT_FALSE(stale(wednesday));
  EXPECT_EQ(run(wednesday).projects, 0);
  late = this->Warning(this->project_);
  const std::vector<std::string> said = storage::RenderWarningReasons(late.reasons, late.valid_until, wednesday.today, cal);
  EXPECT_EQ(said, now(wednesday.today));
  EXPECT_TRUE(std::find(said.begin(), said.end(), "开工 预计推迟 6 个工作日") != said.end())
      << storage::WarningReasonsJson(late.reasons);
  EXPECT_TRUE(std::find(said.begin(), said.end(), "拿地 已逾期 2 个工作日") != said.end())
      << storage::WarningReasonsJson(late.reasons);
  EXPECT_EQ(late.MaxSlipOn(wednesday.today, cal), 6);
  // Read past its last day (the day's recompute not run yet), a row says
  // what it said on that day, never a count it never had.
  EXPECT_EQ(storage::RenderWarningReasons(late.reasons, late.valid_until, D("2026-12-10"), cal),
            storage::RenderWarningReasons(late.reasons, late.valid_until, D("2026-11-26"), cal));
}

// The reasons column round-trips every form, hostile names included, and
// is written exactly as the JSON library writes it (rows are compared as
// text to decide whether to rewrite them).
TEST(WarningReasonsJson, RoundTripsAndMatchesTheLibrarysDump) {
  using K = domain::WarningReason::Kind;
  const std::vector<domain::WarningReason> reasons = {
      {K::kOverdue, "施工\"许可\\ <b>\x01", std::nullopt, -9431},
      {K::kSlip, "开工", -9, -9412},
      {K::kDueSoon, "竣工", 9500, std::nullopt},
      {K::kText, "计划开工 2026-05-10,已超 3 个月未开工", std::nullopt, std::nullopt}};
  const std::string text = storage::WarningReasonsJson(reasons);
  EXPECT_EQ(storage::WarningReasonsFromJson(text), reasons);
  nlohmann::json library = nlohmann::json::array();
  for (const auto& r : reasons) {
    if (r.kind == K::kText) {
      library.push_back(r.subject);
      continue;
    }
    nlohmann::json item = {{"k", domain::WarningReasonKindCode(r.kind)}, {"s", r.subject}};
    if (r.fixed) item["a"] = *r.fixed;
    if (r.offset) item["b"] = *r.offset;
    library.push_back(item);
  }
  EXPECT_EQ(text, library.dump());
  EXPECT_EQ(storage::WarningReasonsJson({}), "[]");
  // What a reader meets that the engine never wrote is skipped, not a crash.
  EXPECT_TRUE(storage::WarningReasonsFromJson("{").empty());
  EXPECT_EQ(storage::WarningReasonsFromJson(R"(["旧原因", {"k": "nope", "s": "x"}, {"k": "slip"}, 3])").size(), 1u);
}

}  // namespace
}  // namespace zb::storage_test
