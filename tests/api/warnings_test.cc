// 预警 and 挂图作战 end to end on both engines: /api/v1/warnings (colours,
// reasons, counts, the caller's scope, the day moving on), the project
// list's warning filter and facet, the thresholds (validation, versions,
// permission, every warning recomputed) and /api/v1/gantt.
#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "api/identity_helpers.h"
#include "api/test_server.h"

namespace zb::testing {
namespace {

constexpr int64_t k9am = 9 * 3'600'000;
Date D(const char* text) { return *Date::Parse(text); }

bool AnyContains(const Json& list, const std::string& text) {
  for (const auto& item : list) {
    if (item.get<std::string>().find(text) != std::string::npos) return true;
  }
  return false;
}

class Warnings : public ::testing::Test {
 protected:
  void SetUp() override {
    s_.clock().SetToday(D("2026-09-21"), k9am);  // a Monday
    s_.SignInAsAdmin();
    root_ = RootUnitId(s_);
    town_a_ = AddUnit(s_, root_, "JJZ").id;
    town_b_ = AddUnit(s_, root_, "HLS").id;
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
    // On time: 施工许可 9-21…9-28 (中秋 9-25…27 off), 开工 9-29; 倒排 from
    // the 开工 target 10-16: 施工许可 10-10 (a swapped Saturday)…10-15.
    planned_ = Create("计划内项目", town_a_, "2026-10-16");
    auto plan = s_.SendJson("POST", "/api/v1/projects/" + std::to_string(planned_) + "/plan",
                            {{"template_id", t.json()["id"]}});
    ASSERT_EQ(plan.status, 201) << plan.body;
    this_month_ = Create("本月计划开工项目", town_a_, "2026-09-01");  // not started: yellow
    overdue_ = Create("逾期未开工项目", town_b_, "2026-05-10");       // 4 months on: red
    undated_ = Create("未定日期项目", town_b_, "");                   // nothing to judge
  }

  int64_t Create(const std::string& name, int64_t unit, const std::string& planned_start) {
    Json body = {{"name", name}, {"org_unit_id", unit}, {"category", "manufacturing"}};
    if (!planned_start.empty()) body["planned_started_on"] = planned_start;
    auto r = s_.SendJson("POST", "/api/v1/projects", body);
    EXPECT_EQ(r.status, 201) << r.body;
    return r.json()["id"].get<int64_t>();
  }

  Json Warned(const std::string& query = "") {
    auto r = s_.Get("/api/v1/warnings" + query);
    EXPECT_EQ(r.status, 200) << r.body;
    return r.json();
  }

  TestServer s_;
  int64_t root_ = 0, town_a_ = 0, town_b_ = 0;
  int64_t planned_ = 0, this_month_ = 0, overdue_ = 0, undated_ = 0;
  int64_t template_id_ = 0;  // 施工许可 (5) → 开工
};

TEST_F(Warnings, TheListColoursEachProjectWithItsReasonsWorstFirst) {
  Json all = Warned();
  EXPECT_EQ(all["counts"], Json({{"red", 1}, {"yellow", 1}, {"green", 1}, {"none", 1}}));
  ASSERT_EQ(all["total"], 4);
  EXPECT_EQ(all["items"][0]["project"]["id"], overdue_);
  EXPECT_EQ(all["items"][0]["colour"], "red");
  EXPECT_TRUE(AnyContains(all["items"][0]["reasons"], "2026-05-10")) << all["items"][0].dump();
  EXPECT_EQ(all["items"][1]["project"]["id"], this_month_);
  EXPECT_EQ(all["items"][1]["colour"], "yellow");
  EXPECT_EQ(all["items"][2]["project"]["id"], planned_);
  EXPECT_EQ(all["items"][2]["colour"], "green");
  EXPECT_TRUE(all["items"][3]["colour"].is_null());
  EXPECT_EQ(all["items"][3]["project"]["level_label"], "一般");

  Json red = Warned("?colour=red,黄");
  EXPECT_EQ(red["total"], 2);
  EXPECT_EQ(red["counts"]["green"], 1);  // the counts ignore the colour asked for
  auto bad = s_.Get("/api/v1/warnings?colour=purple");
  EXPECT_EQ(bad.status, 422);
  EXPECT_EQ(bad.json()["error"]["field"], "colour");

  // The project list filters and counts by the same stored colours.
  auto listed = s_.Get("/api/v1/projects?warning=red,yellow&sort=warning");
  ASSERT_EQ(listed.status, 200) << listed.body;
  Json list = listed.json();
  ASSERT_EQ(list["total"], 2);
  EXPECT_EQ(list["items"][0]["id"], overdue_);
  EXPECT_EQ(list["items"][0]["warning"]["colour"], "red");
  EXPECT_FALSE(list["items"][0]["warning"]["reasons"].empty());
  EXPECT_EQ(list["facets"]["warning"][2], Json({{"value", "green"}, {"label", "绿"}, {"count", 1}}));
  EXPECT_EQ(s_.Get("/api/v1/projects?has_warnings=true").json()["total"], 2);
  EXPECT_EQ(s_.Get("/api/v1/projects?warning=none").json()["items"][0]["id"], undated_);
}

TEST_F(Warnings, ATownSeesTheWarningsOfItsOwnProjectsOnly) {
  AddUser(s_, "jjz", town_a_, {BuiltinRoleId(s_, "town")});
  ASSERT_EQ(s_.SignIn("jjz", kUserPassword).status, 200);
  Json mine = Warned();
  EXPECT_EQ(mine["counts"], Json({{"red", 0}, {"yellow", 1}, {"green", 1}, {"none", 0}}));
  EXPECT_EQ(mine["total"], 2);
  auto rows = s_.Get("/api/v1/gantt").json()["rows"];
  ASSERT_EQ(rows.size(), 2u);
  // Not theirs to change.
  EXPECT_EQ(s_.SendJson("PUT", "/api/v1/warnings/settings", {{"slack_yellow", 1}, {"version", 1}}).status, 403);
}

TEST_F(Warnings, WhenTheDayMovesOnEveryWarningIsRecomputed) {
  EXPECT_EQ(Warned()["counts"]["red"], 1);
  // Three months after its planned start, the 本月 project is red too; the
  // planned project's 开工 target (10-16) has passed with 施工许可 not done.
  s_.clock().SetToday(D("2026-12-21"), k9am);
  s_.SignInAsAdmin();  // three months on, the session is long gone
  Json later = Warned();
  EXPECT_EQ(later["counts"]["red"], 3) << later.dump();
  Json list = s_.Get("/api/v1/projects/" + std::to_string(this_month_)).json();
  EXPECT_EQ(list["warning"]["colour"], "red");
}

// "Most overdue first" ranks by the slip on the day asked, and a stored
// reason's day count is the day's — without the row being rewritten.
// 甲: 施工许可 (30 working days) under way since 10-26 finishes 12-04, so
// 开工 (target 11-06) slips a fixed 21 working days. 乙: 施工许可 (5)
// not started, 开工 target 10-16 long gone: its slip grows each working
// day, 16 on 11-02, 22 on 11-10.
TEST_F(Warnings, MostOverdueFirstOnTheDayAndTheReasonsCountTheDay) {
  s_.clock().SetToday(D("2026-11-02"), k9am);
  s_.SignInAsAdmin();
  auto planned = [&](const std::string& name, const std::string& start) {
    const int64_t id = Create(name, town_a_, start);
    auto plan = s_.SendJson("POST", "/api/v1/projects/" + std::to_string(id) + "/plan", {{"template_id", template_id_}});
    EXPECT_EQ(plan.status, 201) << plan.body;
    return std::make_pair(id, plan.json());
  };
  auto [fixed, fixed_plan] = planned("甲 施工中", "2026-11-06");
  const std::string permit = "/api/v1/projects/" + std::to_string(fixed) + "/plan/nodes/" +
                             fixed_plan["nodes"][0]["id"].dump();
  auto longer = s_.SendJson("PATCH", permit,
                            {{"name", "施工许可"}, {"duration", 30}, {"version", fixed_plan["version"]}});
  ASSERT_EQ(longer.status, 200) << longer.body;
  ASSERT_EQ(s_.SendJson("POST", permit + "/progress", {{"started_on", "2026-10-26"}}).status, 200);
  const int64_t growing = planned("乙 未动工", "2026-10-16").first;

  // Where each project stands in the red part of the list.
  auto position = [&](int64_t id) {
    const Json list = Warned("?colour=red");
    for (size_t i = 0; i < list["items"].size(); ++i) {
      if (list["items"][i]["project"]["id"] == id) return static_cast<int>(i);
    }
    return -1;
  };
  auto reasons = [&](int64_t id) {
    const Json list = Warned("?colour=red");
    for (const auto& item : list["items"]) {
      if (item["project"]["id"] == id) return item["reasons"];
    }
    return Json::array();
  };
  EXPECT_EQ(position(fixed), 0) << "21 working days late first";
  EXPECT_GT(position(growing), position(fixed)) << "16";
  EXPECT_GT(position(planned_), position(fixed)) << "16";
  EXPECT_TRUE(AnyContains(reasons(fixed), "开工 预计推迟 21 个工作日")) << reasons(fixed).dump();
  EXPECT_TRUE(AnyContains(reasons(growing), "开工 预计推迟 16 个工作日")) << reasons(growing).dump();

  s_.clock().SetToday(D("2026-11-03"), k9am);
  s_.SignInAsAdmin();  // a session lasts a day at most
  EXPECT_TRUE(AnyContains(reasons(growing), "开工 预计推迟 17 个工作日")) << reasons(growing).dump();
  EXPECT_TRUE(AnyContains(reasons(growing), "施工许可 已逾期 13 个工作日")) << reasons(growing).dump();
  Json detail = s_.Get("/api/v1/projects/" + std::to_string(growing)).json();
  EXPECT_TRUE(AnyContains(detail["warning"]["reasons"], "开工 预计推迟 17 个工作日")) << detail.dump();

  s_.clock().SetToday(D("2026-11-10"), k9am);
  s_.SignInAsAdmin();  // a week on
  // 22 working days late now, as is the fixture's plan (target 10-16 too,
  // an earlier id): both before 甲's 21.
  EXPECT_EQ(position(planned_), 0);
  EXPECT_EQ(position(growing), 1);
  EXPECT_EQ(position(fixed), 2);
  auto listed = s_.Get("/api/v1/projects?warning=red&sort=warning").json();
  ASSERT_GE(listed["items"].size(), 3u);
  EXPECT_EQ(listed["items"][1]["id"], growing) << listed.dump();
  EXPECT_EQ(listed["items"][2]["id"], fixed) << listed.dump();
}

TEST_F(Warnings, ThresholdsAreCheckedVersionedAndRecomputeEverything) {
  Json settings = s_.Get("/api/v1/warnings/settings").json();
  EXPECT_EQ(settings["slack_yellow"], 5);
  EXPECT_EQ(settings["version"], 1);

  auto wrong_type = s_.SendJson("PUT", "/api/v1/warnings/settings", {{"due_soon", "three"}, {"version", 1}});
  EXPECT_EQ(wrong_type.status, 422);
  EXPECT_EQ(wrong_type.json()["error"]["field"], "due_soon");
  auto too_big = s_.SendJson("PUT", "/api/v1/warnings/settings", {{"slack_yellow", 100000}, {"version", 1}});
  EXPECT_EQ(too_big.json()["error"]["field"], "slack_yellow");
  auto unknown = s_.SendJson("PUT", "/api/v1/warnings/settings", {{"colour", 1}, {"version", 1}});
  EXPECT_EQ(unknown.status, 422);

  // 机动时间 of the planned project is 9 working days (9-29 … 10-15, 国庆
  // off, 10-10 worked): a threshold of 20 makes it yellow.
  auto changed = s_.SendJson("PUT", "/api/v1/warnings/settings", {{"slack_yellow", 20}, {"version", 1}});
  ASSERT_EQ(changed.status, 200) << changed.body;
  EXPECT_EQ(changed.json()["version"], 2);
  Json counts = Warned()["counts"];
  EXPECT_EQ(counts["green"], 0);
  EXPECT_EQ(counts["yellow"], 2);

  auto stale = s_.SendJson("PUT", "/api/v1/warnings/settings", {{"slack_yellow", 3}, {"version", 1}});
  EXPECT_EQ(stale.status, 409) << stale.body;
  EXPECT_EQ(stale.json()["current"]["slack_yellow"], 20);
}

TEST_F(Warnings, TheGanttHasEveryProjectWithItsPlanAndKeyNodes) {
  Json g = s_.Get("/api/v1/gantt?group=unit").json();
  EXPECT_EQ(g["today"], "2026-09-21");
  EXPECT_LE(g["from"].get<std::string>(), "2026-08-22");
  ASSERT_EQ(g["rows"].size(), 4u);
  Json planned;
  for (const auto& row : g["rows"]) {
    if (row[0] == planned_) planned = row;
  }
  ASSERT_TRUE(planned.is_array());
  EXPECT_EQ(planned[6], "green");
  EXPECT_EQ(planned[7], "2026-10-10");  // the 倒排 plan: 施工许可's latest start …
  EXPECT_EQ(planned[8], "2026-10-16");  // … to 开工's target
  EXPECT_EQ(planned[9], "2026-09-29");  // the forecast: 开工 after 中秋
  ASSERT_EQ(planned[10].size(), 1u);    // the one milestone
  EXPECT_EQ(planned[10][0][0], "开工");
  EXPECT_EQ(planned[10][0][1], "started");
  EXPECT_EQ(planned[10][0][2], "2026-10-16");  // 倒排: its target
  EXPECT_EQ(planned[10][0][3], "2026-09-29");
  bool national_day = false;
  for (const auto& o : g["overrides"]) national_day = national_day || (o["date"] == "2026-10-01");
  EXPECT_TRUE(national_day);

  EXPECT_EQ(s_.Get("/api/v1/gantt?warning=red").json()["rows"].size(), 1u);
  auto bad = s_.Get("/api/v1/gantt?group=colour");
  EXPECT_EQ(bad.status, 422);
  EXPECT_EQ(bad.json()["error"]["field"], "group");
}

}  // namespace
}  // namespace zb::testing
