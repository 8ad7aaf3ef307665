// 挂图作战 (/api/v1/gantt) on both engines: the first screen (`limit`) is the
// whole answer's first rows, and the answer the route keeps per scope and
// filter (api/gantt.cc, migration 0014) follows every write a row shows —
// a node's dates, a plan applied, a project renamed or moved, the warnings
// recomputed for new thresholds or a calendar change, and a write made
// outside the server — and a late plan's forecast, anchored to today, moves
// with the day on the chart while the day's recompute rewrites no node row
// (plan_nodes keeps the day-invariant form, migration 0021).
#include <gtest/gtest.h>

#include <string>

#include "api/identity_helpers.h"
#include "api/test_server.h"
#include "storage/db.h"
#include "storage/warning_store.h"

namespace zb::testing {
namespace {

constexpr int64_t k9am = 9 * 3'600'000;

class Gantt : public ::testing::Test {
 protected:
  void SetUp() override {
    s_.clock().SetToday(*Date::Parse("2026-09-21"), k9am);  // a Monday
    s_.SignInAsAdmin();
    const int64_t root = RootUnitId(s_);
    town_a_ = AddUnit(s_, root, "JJZ").id;
    town_b_ = AddUnit(s_, root, "HLS").id;
    // 施工许可 (5 working days) → 开工 (the project's 开工 event).
    auto t = s_.SendJson("POST", "/api/v1/node-templates",
                         {{"name", "两步模板"},
                          {"category", "manufacturing"},
                          {"nodes",
                           {{{"key", "permit"}, {"name", "施工许可"}, {"duration", 5}},
                            {{"key", "start"}, {"name", "开工"}, {"duration", 0}, {"event", "started"}}}},
                          {"links", {{{"from", "permit"}, {"to", "start"}}}}});
    ASSERT_EQ(t.status, 201) << t.body;
    template_id_ = t.json()["id"].get<int64_t>();
    planned_ = Create("计划内项目", town_a_, "2026-10-16");
    ApplyPlan(planned_);
    unplanned_ = Create("未编计划项目", town_b_, "2026-11-02");
    third_ = Create("第三个项目", town_b_, "");
  }

  int64_t Create(const std::string& name, int64_t unit, const std::string& planned_start) {
    Json body = {{"name", name}, {"org_unit_id", unit}, {"category", "manufacturing"}};
    if (!planned_start.empty()) body["planned_started_on"] = planned_start;
    auto r = s_.SendJson("POST", "/api/v1/projects", body);
    EXPECT_EQ(r.status, 201) << r.body;
    return r.json()["id"].get<int64_t>();
  }

  void ApplyPlan(int64_t project) {
    auto plan = s_.SendJson("POST", "/api/v1/projects/" + std::to_string(project) + "/plan",
                            {{"template_id", template_id_}});
    ASSERT_EQ(plan.status, 201) << plan.body;
  }

  Json Get(const std::string& query = "?group=unit") {
    auto r = s_.Get("/api/v1/gantt" + query);
    EXPECT_EQ(r.status, 200) << r.body;
    return r.json();
  }

  static Json RowOf(const Json& gantt, int64_t id) {
    for (const auto& row : gantt["rows"]) {
      if (row[0] == id) return row;
    }
    return nullptr;
  }

  // PATCH a project with its current version.
  void Patch(int64_t project, const Json& fields) {
    const std::string path = "/api/v1/projects/" + std::to_string(project);
    Json body = fields;
    body["version"] = s_.Get(path).json()["version"];
    auto r = s_.SendJson("PATCH", path, body);
    ASSERT_EQ(r.status, 200) << r.body;
  }

  TestServer s_;
  int64_t town_a_ = 0, town_b_ = 0, template_id_ = 0;
  int64_t planned_ = 0, unplanned_ = 0, third_ = 0;
};

TEST_F(Gantt, AFirstScreenIsTheFirstRowsOfTheWholeAnswerWithItsTotal) {
  Json all = Get();
  ASSERT_EQ(all["rows"].size(), 3u);
  EXPECT_EQ(all["total"], 3);

  Json first = Get("?group=unit&limit=2");
  EXPECT_EQ(first["total"], 3);
  ASSERT_EQ(first["rows"].size(), 2u);
  EXPECT_EQ(first["rows"][0], all["rows"][0]);
  EXPECT_EQ(first["rows"][1], all["rows"][1]);
  // The time axis is the whole answer's, so the chart does not move when the rest comes.
  EXPECT_EQ(first["from"], all["from"]);
  EXPECT_EQ(first["to"], all["to"]);
  EXPECT_EQ(first["overrides"], all["overrides"]);
  EXPECT_EQ(first["today"], all["today"]);

  EXPECT_EQ(Get("?group=unit&limit=50")["rows"], all["rows"]);
  EXPECT_EQ(Get("?warning=red&limit=1")["total"], Get("?warning=red")["rows"].size());
  for (const char* bad : {"0", "-1", "two"}) {
    auto r = s_.Get(std::string("/api/v1/gantt?limit=") + bad);
    EXPECT_EQ(r.status, 422) << bad;
    EXPECT_EQ(r.json()["error"]["field"], "limit") << bad;
  }
}

TEST_F(Gantt, TheKeptAnswerFollowsEveryWriteARowShows) {
  const std::string plan_path = "/api/v1/projects/" + std::to_string(planned_) + "/plan";
  Json before = Get();
  EXPECT_EQ(RowOf(before, planned_)[8], "2026-10-16");  // the plan ends at 开工's target

  // A node's dates: 开工's target a week later moves the plan's end and the milestone.
  Json plan = s_.Get(plan_path).json();
  int64_t start_node = 0, permit_node = 0;
  for (const auto& n : plan["nodes"]) {
    (n["key"] == "start" ? start_node : permit_node) = n["id"].get<int64_t>();
  }
  auto moved = s_.SendJson("PATCH", plan_path + "/nodes/" + std::to_string(start_node),
                           {{"target", "2026-10-23"}, {"version", plan["version"]}});
  ASSERT_EQ(moved.status, 200) << moved.body;
  Json after = Get();
  EXPECT_EQ(RowOf(after, planned_)[8], "2026-10-23");
  EXPECT_EQ(RowOf(after, planned_)[10][0][2], "2026-10-23");

  // Progress: 施工许可 done today brings 开工's forecast forward — to what
  // the plan's own page computes afresh.
  auto done = s_.SendJson("POST", plan_path + "/nodes/" + std::to_string(permit_node) + "/progress",
                          {{"started_on", "2026-09-21"}, {"finished_on", "2026-09-21"}});
  ASSERT_EQ(done.status, 200) << done.body;
  std::string forecast;
  const Json done_plan = done.json();
  for (const auto& n : done_plan["nodes"]) {
    if (n["id"] == start_node) forecast = n["forecast_finish"].get<std::string>();
  }
  Json progressed = Get();
  EXPECT_NE(forecast, RowOf(after, planned_)[10][0][3].get<std::string>());
  EXPECT_EQ(RowOf(progressed, planned_)[10][0][3], forecast);

  // A plan applied: the project that had none gets its bar and milestone.
  EXPECT_TRUE(RowOf(progressed, unplanned_)[10].empty());
  ApplyPlan(unplanned_);
  Json applied = Get();
  ASSERT_EQ(RowOf(applied, unplanned_)[10].size(), 1u);
  EXPECT_EQ(RowOf(applied, unplanned_)[10][0][0], "开工");
  EXPECT_FALSE(RowOf(applied, unplanned_)[8].is_null());

  // Renamed, then moved to the other unit (grouped by unit, it moves with it).
  Patch(third_, {{"name", "更名后的项目"}});
  EXPECT_EQ(RowOf(Get(), third_)[2], "更名后的项目");
  Patch(third_, {{"org_unit_id", town_a_}});
  Json regrouped = Get();
  EXPECT_EQ(RowOf(regrouped, third_)[3], "单位JJZ");
  ASSERT_EQ(regrouped["rows"].size(), 3u);
  EXPECT_EQ(regrouped["rows"][0][0], unplanned_);  // 单位HLS's only project now
  EXPECT_EQ(regrouped["rows"][1][3], "单位JJZ");

  // The warnings recomputed (a threshold changed): the on-time plan has 9
  // working days' slack, so 20 makes it yellow.
  EXPECT_EQ(RowOf(Get(), planned_)[6], "green");
  auto settings = s_.SendJson("PUT", "/api/v1/warnings/settings", {{"slack_yellow", 20}, {"version", 1}});
  ASSERT_EQ(settings.status, 200) << settings.body;
  EXPECT_EQ(RowOf(Get(), planned_)[6], "yellow");

  // The calendar changed: a holiday on 开工's forecast day moves it, as the
  // plan's own page computes it afresh.
  const std::string forecast_day = RowOf(Get(), planned_)[10][0][3].get<std::string>();
  auto holiday = s_.SendJson("PUT", "/api/v1/calendar/days/" + forecast_day, {{"kind", "holiday"}, {"name", "临时放假"}});
  ASSERT_EQ(holiday.status, 200) << holiday.body;
  std::string fresh;
  const Json fresh_plan = s_.Get(plan_path).json();
  for (const auto& n : fresh_plan["nodes"]) {
    if (n["id"] == start_node) fresh = n["forecast_finish"].get<std::string>();
  }
  EXPECT_NE(fresh, forecast_day);
  EXPECT_EQ(RowOf(Get(), planned_)[10][0][3], fresh);

  // A write made outside this server (another process, the CLI) is seen too:
  // the version lives in the database.
  ASSERT_TRUE(db::InTx(s_.app().pool(), [&](db::Connection& c) {
                return c.Exec("UPDATE plan_nodes SET name = '开工仪式' WHERE id = $1", {start_node});
              }).ok());
  EXPECT_EQ(RowOf(Get(), planned_)[10][0][0], "开工仪式");
}

TEST_F(Gantt, ALateForecastMovesWithTheDayWithoutRewritingTheNodeRows) {
  const std::string plan_path = "/api/v1/projects/" + std::to_string(planned_) + "/plan";
  int64_t permit_node = 0;
  const Json plan = s_.Get(plan_path).json();
  for (const auto& n : plan["nodes"]) {
    if (n["name"] == "施工许可") permit_node = n["id"].get<int64_t>();
  }
  ASSERT_NE(permit_node, 0) << plan.dump();
  // 施工许可 (5 working days) started three weeks ago and not finished:
  // unfinished work finishes today at the earliest, so 开工 is tomorrow.
  auto started = s_.SendJson("POST", plan_path + "/nodes/" + std::to_string(permit_node) + "/progress",
                             {{"started_on", "2026-09-01"}});
  ASSERT_EQ(started.status, 200) << started.body;
  Json monday = RowOf(Get(), planned_);
  EXPECT_EQ(monday[9], "2026-09-22");
  EXPECT_EQ(monday[10][0][3], "2026-09-22");

  // The next day, nothing else changed: the day's recompute (what the
  // server runs when the day moves on) writes no node row — every stored
  // value holds for any day, and no node's colour changed — …
  s_.clock().SetToday(*Date::Parse("2026-09-22"), k9am);
  s_.SignInAsAdmin();  // yesterday's session has lapsed
  storage::RecomputeStats stats;
  ASSERT_TRUE(db::InTx(s_.app().pool(), [&](db::Connection& c) -> Status {
                ZB_ASSIGN_OR_RETURN(auto wc, storage::LoadWarningContext(c, *Date::Parse("2026-09-22")));
                ZB_ASSIGN_OR_RETURN(stats, storage::RecomputeAll(c, wc));
                return Status();
              }).ok());
  EXPECT_EQ(stats.nodes, 2);
  EXPECT_EQ(stats.nodes_written, 0);
  // … and the chart shows the forecast one working day later, as the
  // plan's own page computes it for the day.
  Json tuesday = RowOf(Get(), planned_);
  EXPECT_EQ(tuesday[9], "2026-09-23");
  EXPECT_EQ(tuesday[10][0][3], "2026-09-23");
  EXPECT_EQ(tuesday[10][0][5], monday[10][0][5]);  // the colour as it was
  for (const auto& n : s_.Get(plan_path).json()["nodes"]) {
    if (n["name"] == "开工") EXPECT_EQ(n["forecast_finish"], "2026-09-23");
    if (n["name"] == "施工许可") EXPECT_EQ(n["forecast_finish"], "2026-09-22");
  }
}

TEST_F(Gantt, KeptAnswersAreNotSharedBetweenScopes) {
  EXPECT_EQ(Get()["rows"].size(), 3u);  // the admin's answer, kept
  AddUser(s_, "jjz", town_a_, {BuiltinRoleId(s_, "town")});
  ASSERT_EQ(s_.SignIn("jjz", kUserPassword).status, 200);
  Json mine = Get();
  ASSERT_EQ(mine["rows"].size(), 1u);
  EXPECT_EQ(mine["rows"][0][0], planned_);
  EXPECT_EQ(mine["total"], 1);
}

}  // namespace
}  // namespace zb::testing
