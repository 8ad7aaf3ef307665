// /api/v1/projects/{id}/plan end to end on both engines, on the real 2026
// calendar the migration seeds: a plan made from a template with its dates
// worked out by hand across 中秋/国庆, a late node turning the project yellow
// then red with its reasons, a dragged target, whole-list edits keeping
// ids, validation naming the field, versions, and the project's scope.
#include <gtest/gtest.h>

#include <string>

#include "api/identity_helpers.h"
#include "api/test_server.h"
#include "storage/warning_store.h"

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

class Plans : public ::testing::Test {
 protected:
  void SetUp() override {
    s_.clock().SetToday(D("2026-09-21"), k9am);  // a Monday, the week before 中秋
    s_.SignInAsAdmin();
    admin_ = CurrentBrowser(s_);
    root_ = RootUnitId(s_);
    town_a_ = AddUnit(s_, root_, "JJZ").id;
    town_b_ = AddUnit(s_, root_, "HLS").id;
    auto p = s_.SendJson("POST", "/api/v1/projects",
                         {{"name", "华新新材料项目"},
                          {"org_unit_id", town_a_},
                          {"category", "manufacturing"},
                          {"planned_started_on", "2026-10-16"}});
    ASSERT_EQ(p.status, 201) << p.body;
    project_ = p.json()["id"].get<int64_t>();
    // 施工许可 (5 working days) → 开工 (milestone, the project's 开工 event).
    auto t = s_.SendJson("POST", "/api/v1/node-templates",
                         {{"name", "两步模板"},
                          {"category", "manufacturing"},
                          {"nodes",
                           {{{"key", "permit"}, {"name", "施工许可"}, {"duration", 5}},
                            {{"key", "start"}, {"name", "开工"}, {"duration", 0}, {"event", "started"}}}},
                          {"links", {{{"from", "permit"}, {"to", "start"}}}}});
    ASSERT_EQ(t.status, 201) << t.body;
    template_ = t.json()["id"].get<int64_t>();
  }

  std::string Url(const std::string& rest = "") { return "/api/v1/projects/" + std::to_string(project_) + "/plan" + rest; }

  Json Apply() {
    auto r = s_.SendJson("POST", Url(), {{"template_id", template_}});
    EXPECT_EQ(r.status, 201) << r.body;
    return r.json();
  }

  Json Plan() {
    auto r = s_.Get(Url());
    EXPECT_EQ(r.status, 200) << r.body;
    return r.json();
  }

  storage::StoredWarning Stored() {
    return MakeInDb(s_, [&](db::Connection& c) -> StatusOr<storage::StoredWarning> {
      ZB_ASSIGN_OR_RETURN(auto w, storage::GetProjectWarning(c, project_));
      if (!w) return NotFound("no warning row");
      return *w;
    });
  }

  TestServer s_;
  Browser admin_;
  int64_t root_ = 0, town_a_ = 0, town_b_ = 0, project_ = 0, template_ = 0;
};

TEST_F(Plans, ATemplatesDatesWorkedOutByHandOnTheRealCalendar) {
  Json plan = Apply();
  ASSERT_EQ(plan["nodes"].size(), 2u) << plan.dump();
  const Json& permit = plan["nodes"][0];
  const Json& start = plan["nodes"][1];
  // The target comes from the project's planned 开工, 2026-10-16 (Friday).
  EXPECT_EQ(start["target"], "2026-10-16");
  EXPECT_EQ(start["event"], "started");
  EXPECT_TRUE(start["milestone"].get<bool>());
  // Forward from Monday 09-21: 09-21 … 09-24, then 中秋 (Fri 09-25 to Sun
  // 09-27) is off, so the fifth working day is Monday 09-28; 开工 the next
  // working day, Tuesday 09-29.
  EXPECT_EQ(permit["forecast_start"], "2026-09-21");
  EXPECT_EQ(permit["forecast_finish"], "2026-09-28");
  EXPECT_EQ(start["forecast_finish"], "2026-09-29");
  // Backward from 10-16: 施工许可 must finish the working day before, Thursday
  // 10-15, and start five working days earlier: 10-15, 10-14, 10-13, 10-12
  // and the swapped Saturday 10-10 (国庆调休上班).
  EXPECT_EQ(permit["latest_finish"], "2026-10-15");
  EXPECT_EQ(permit["latest_start"], "2026-10-10");
  // Slack: the working days from 09-29 up to 10-16 — 09-30, then 国庆 off
  // until 10-07, 10-08, 10-09, 10-10, 10-12 … 10-16: nine.
  EXPECT_EQ(permit["slack"], 9);
  EXPECT_EQ(permit["colour"], "green");
  EXPECT_EQ(permit["status"], "not_started");
  ASSERT_EQ(plan["targets"].size(), 1u);
  EXPECT_EQ(plan["targets"][0]["node_id"], start["id"]);
  EXPECT_EQ(plan["targets"][0]["slip"], 0);
  EXPECT_EQ(plan["warning"]["colour"], "green");
  EXPECT_EQ(plan["template_name"], "两步模板");
  EXPECT_EQ(Stored().colour, "green");

  // Applying again needs replace: true.
  auto again = s_.SendJson("POST", Url(), {{"template_id", template_}});
  EXPECT_EQ(again.status, 409) << again.body;
  auto replaced = s_.SendJson("POST", Url(), {{"template_id", template_}, {"replace", true}});
  EXPECT_EQ(replaced.status, 201) << replaced.body;
  EXPECT_EQ(replaced.json()["version"], 1) << "a new plan";
  EXPECT_EQ(replaced.json()["nodes"][1]["target"], "2026-10-16");
}

TEST_F(Plans, ALateNodeTurnsTheProjectYellowThenRedWithItsReasons) {
  Json plan = Apply();
  const int64_t permit = plan["nodes"][0]["id"].get<int64_t>();
  const int64_t start = plan["nodes"][1]["id"].get<int64_t>();

  // 10-12: 施工许可 started on 09-21 and is not done. Its latest finish is
  // 10-15, three working days away: due soon, yellow.
  s_.clock().SetToday(D("2026-10-12"), k9am);
  ASSERT_EQ(s_.SignIn("admin", TestServer::kAdminPassword).status, 200);  // weeks later: a new session
  auto r = s_.SendJson("POST", Url("/nodes/" + std::to_string(permit) + "/progress"),
                       {{"started_on", "2026-09-21"}, {"note", "已受理"}});
  ASSERT_EQ(r.status, 200) << r.body;
  plan = r.json();
  EXPECT_EQ(plan["nodes"][0]["status"], "in_progress");
  EXPECT_EQ(plan["nodes"][0]["actual_start"], "2026-09-21");
  EXPECT_EQ(plan["nodes"][0]["forecast_finish"], "2026-10-12") << "unfinished work finishes today at the earliest";
  EXPECT_EQ(plan["nodes"][0]["colour"], "yellow");
  EXPECT_NE(plan["nodes"][0]["reason"].get<std::string>().find("施工许可"), std::string::npos);
  EXPECT_EQ(plan["warning"]["colour"], "yellow");
  EXPECT_TRUE(AnyContains(plan["warning"]["reasons"], "施工许可"));
  EXPECT_EQ(Stored().colour, "yellow") << "the write stored the project's warning";

  // 10-19 (Monday), still not done: overdue since 10-15 by two working days
  // (10-16, 10-19); it finishes today at the earliest, so 开工 moves to
  // 10-20, two working days after its target.
  s_.clock().SetToday(D("2026-10-19"), k9am);
  ASSERT_EQ(s_.SignIn("admin", TestServer::kAdminPassword).status, 200);
  plan = Plan();
  EXPECT_EQ(plan["nodes"][0]["colour"], "red");
  EXPECT_NE(plan["nodes"][0]["reason"].get<std::string>().find("逾期 2 个工作日"), std::string::npos)
      << plan["nodes"][0]["reason"];
  EXPECT_EQ(plan["nodes"][1]["forecast_finish"], "2026-10-20");
  EXPECT_EQ(plan["targets"][0]["slip"], 2);
  EXPECT_EQ(plan["warning"]["colour"], "red");
  EXPECT_TRUE(AnyContains(plan["warning"]["reasons"], "开工 预计推迟 2 个工作日")) << plan["warning"].dump();

  // The Gantt's drag moves the target to Friday 10-23: 施工许可 must now end
  // by 10-22, three working days on — yellow again, stored as such.
  const int64_t version = plan["version"].get<int64_t>();
  r = s_.SendJson("PATCH", Url("/nodes/" + std::to_string(start)), {{"target", "2026-10-23"}, {"version", version}});
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json()["nodes"][1]["target"], "2026-10-23");
  EXPECT_EQ(r.json()["nodes"][0]["latest_finish"], "2026-10-22");
  EXPECT_EQ(r.json()["targets"][0]["slip"], 0);
  EXPECT_EQ(r.json()["warning"]["colour"], "yellow");
  EXPECT_EQ(Stored().colour, "yellow");

  // The old version is stale: 409 with the current plan.
  auto stale = s_.SendJson("PATCH", Url("/nodes/" + std::to_string(start)), {{"target", "2026-10-30"}, {"version", version}});
  EXPECT_EQ(stale.status, 409) << stale.body;
  EXPECT_EQ(stale.json()["current"]["version"], version + 1);

  // Done on 10-19: the node is no longer judged, 开工 forecasts the 20th.
  r = s_.SendJson("POST", Url("/nodes/" + std::to_string(permit) + "/progress"),
                  {{"finished_on", "2026-10-19"}, {"note", "已取得施工许可证"}});
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json()["nodes"][0]["status"], "done");
  EXPECT_TRUE(r.json()["nodes"][0]["colour"].is_null());
  auto history = s_.Get(Url("/nodes/" + std::to_string(permit) + "/progress"));
  ASSERT_EQ(history.status, 200) << history.body;
  ASSERT_EQ(history.json()["items"].size(), 2u);
  EXPECT_EQ(history.json()["items"][0]["note"], "已取得施工许可证") << "newest first";
  EXPECT_EQ(history.json()["items"][0]["finished_on"], "2026-10-19");
  EXPECT_EQ(history.json()["items"][1]["started_on"], "2026-09-21");
}

TEST_F(Plans, ProgressIsCheckedFieldByField) {
  Json plan = Apply();
  const std::string url = Url("/nodes/" + plan["nodes"][0]["id"].dump() + "/progress");
  auto future = s_.SendJson("POST", url, {{"started_on", "2026-09-22"}});
  EXPECT_EQ(future.status, 422);
  EXPECT_EQ(future.json()["error"]["field"], "started_on");
  auto backwards = s_.SendJson("POST", url, {{"started_on", "2026-09-21"}, {"finished_on", "2026-09-18"}});
  EXPECT_EQ(backwards.status, 422);
  EXPECT_EQ(backwards.json()["error"]["field"], "finished_on");
  auto unknown = s_.SendJson("POST", url, {{"started", "2026-09-21"}});
  EXPECT_EQ(unknown.status, 422);
  EXPECT_EQ(unknown.json()["error"]["field"], "started");
  ASSERT_EQ(s_.SendJson("POST", url, {{"started_on", "2026-09-21"}}).status, 200);
  auto cleared = s_.SendJson("POST", url, {{"started_on", nullptr}});
  EXPECT_EQ(cleared.status, 422) << "clearing a date needs a note";
  EXPECT_EQ(cleared.json()["error"]["field"], "note");
  auto missing = s_.SendJson("POST", Url("/nodes/999999/progress"), {{"note", "x"}});
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(missing.json()["error"]["field"], "node_id");
}

TEST_F(Plans, EditingTheWholeListKeepsIdsAndNamesEveryBadField) {
  Json plan = Apply();
  const Json permit = plan["nodes"][0]["id"], start = plan["nodes"][1]["id"];
  const int64_t version = plan["version"].get<int64_t>();
  auto put = [&](Json nodes, Json links, int64_t v) {
    return s_.SendJson("PUT", Url(), {{"nodes", nodes}, {"links", links}, {"version", v}});
  };
  Json two = {{{"id", permit}, {"name", "施工许可"}, {"duration", 5}},
              {{"id", start}, {"name", "开工"}, {"duration", 0}, {"event", "started"}, {"target", "2026-10-16"}}};

  auto cycle = put(two, {{{"from", permit}, {"to", start}}, {{"from", start}, {"to", permit}}}, version);
  EXPECT_EQ(cycle.status, 422) << cycle.body;
  const std::string message = cycle.json()["error"]["message"].get<std::string>();
  EXPECT_NE(message.find("施工许可 → 开工 → 施工许可"), std::string::npos) << message;

  Json bad = two;
  bad[1]["duration"] = -1;
  auto negative = put(bad, Json::array(), version);
  EXPECT_EQ(negative.json()["error"]["field"], "nodes[1].duration") << negative.body;
  bad = two;
  bad[0]["colour"] = "red";
  EXPECT_EQ(put(bad, Json::array(), version).json()["error"]["field"], "nodes[0].colour");
  auto dangling = put(two, {{{"from", permit}, {"to", "#9"}}}, version);
  EXPECT_EQ(dangling.status, 422);
  EXPECT_EQ(dangling.json()["error"]["field"], "links[0].to");

  // 环评 (10 days) added before 开工 beside 施工许可, referenced as "#2".
  Json three = two;
  three.push_back({{"name", "环评"}, {"duration", 10}});
  auto ok = put(three, {{{"from", permit}, {"to", start}}, {{"from", "#2"}, {"to", start}, {"lag", 1}}}, version);
  ASSERT_EQ(ok.status, 200) << ok.body;
  Json edited = ok.json();
  ASSERT_EQ(edited["nodes"].size(), 3u);
  EXPECT_EQ(edited["nodes"][0]["id"], permit);
  EXPECT_EQ(edited["nodes"][1]["id"], start);
  EXPECT_EQ(edited["links"].size(), 2u);
  // 环评 is now the longer branch: 10 working days from 09-21 — 09-21 … 09-24,
  // 09-28 … 09-30, 10-08, 10-09 and the swapped Saturday 10-10 — then a
  // day's lag (10-12), 开工 on 10-13.
  EXPECT_EQ(edited["nodes"][2]["forecast_finish"], "2026-10-10");
  EXPECT_EQ(edited["nodes"][1]["forecast_finish"], "2026-10-13");
  EXPECT_TRUE(edited["nodes"][2]["critical"].get<bool>());
  EXPECT_FALSE(edited["nodes"][0]["critical"].get<bool>());

  auto stale = put(two, Json::array(), version);
  EXPECT_EQ(stale.status, 409);
  EXPECT_EQ(stale.json()["current"]["nodes"].size(), 3u);

  // Deleting needs the version too.
  EXPECT_EQ(s_.Send("DELETE", Url(), "").status, 422);
  auto gone = s_.SendJson("DELETE", Url(), {{"version", edited["version"]}});
  EXPECT_EQ(gone.status, 204) << gone.body;
  auto none = s_.Get(Url());
  EXPECT_EQ(none.status, 404);
  EXPECT_EQ(none.json()["error"]["field"], "no_plan");
}

TEST_F(Plans, AProjectOutsideTheCallersScopeIsNotFound) {
  Json plan = Apply();
  const std::string progress = Url("/nodes/" + plan["nodes"][0]["id"].dump() + "/progress");
  AddUser(s_, "jjz", town_a_, {BuiltinRoleId(s_, "town")});
  AddUser(s_, "hls", town_b_, {BuiltinRoleId(s_, "town")});

  ASSERT_EQ(s_.SignIn("hls", kUserPassword).status, 200);
  EXPECT_EQ(s_.Get(Url()).status, 404);
  EXPECT_EQ(s_.SendJson("POST", progress, {{"started_on", "2026-09-21"}}).status, 404);
  EXPECT_EQ(s_.Get(progress).status, 404);
  EXPECT_EQ(s_.SendJson("PATCH", Url("/nodes/" + plan["nodes"][1]["id"].dump()),
                        {{"target", "2026-10-30"}, {"version", 1}})
                .status,
            404);

  ASSERT_EQ(s_.SignIn("jjz", kUserPassword).status, 200);
  EXPECT_EQ(s_.Get(Url()).status, 200);
  auto r = s_.SendJson("POST", progress, {{"started_on", "2026-09-21"}});
  EXPECT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json()["version"], 2);
}

}  // namespace
}  // namespace zb::testing
