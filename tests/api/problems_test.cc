// 问题台账 over HTTP (docs/api-problems.md): an enterprise's request carried
// through the whole workflow by the people who handle it, the refusals, the
// scope, the timeline, the notices and the list — on both engines.
#include <gtest/gtest.h>

#include <string>

#include "api/problem_fixture.h"

namespace zb::testing {
namespace {

class Problems : public ProblemFixture {
 protected:
  void SetUp() override {
    root_ = RootUnitId(s_);  // a county (本级单位)
    town_a_ = Unit("镇A", "TA", "town", root_);
    town_b_ = Unit("镇B", "TB", "town", root_);
    dept_ = Unit("发改局", "FGJ", "department", root_);
    dept2_ = Unit("自然资源局", "ZRJ", "department", root_);
    firm_ = Firm("示例科技有限公司", "914403001922038216", town_a_);
    firm2_ = Firm("另一家公司", "91110000100000000X", town_b_);
    bureau_ = User("ju", root_, "bureau");
    handler_ = User("fgj", dept_, "department");
    User("fgj2", dept_, "department");
    User("zrj", dept2_, "department");
    User("zhena", town_a_, "town");
    User("zhenb", town_b_, "town");
    User("ld", root_, "leader");
    User("qy", town_a_, "enterprise", firm_);
    User("qy2", town_b_, "enterprise", firm2_);
    SignInAll();
  }

  // Notices of `kind` about problem `id` to the user `login`.
  int64_t Notices(const std::string& login, const std::string& kind, int64_t id) {
    return Count("SELECT COUNT(*) FROM notifications n JOIN users u ON u.id = n.user_id WHERE u.login = '" + login +
                 "' AND n.kind = '" + kind + "' AND n.entity_id = " + std::to_string(id));
  }

  int64_t root_ = 0, town_a_ = 0, town_b_ = 0, dept_ = 0, dept2_ = 0, firm_ = 0, firm2_ = 0, bureau_ = 0,
          handler_ = 0;
};

TEST_F(Problems, AnEnterpriseRaisesForItselfOnly) {
  Json item = Raise("qy", {{"description", "10kV 接入方案报送两个月未批复"}, {"urgency", "urgent"}});
  EXPECT_EQ(item["code"], "WT-2025-00001");
  EXPECT_EQ(item["status"], "pending");
  EXPECT_EQ(item["status_label"], "待受理");
  EXPECT_EQ(item["enterprise_id"], firm_);
  EXPECT_EQ(item["enterprise_name"], "示例科技有限公司");
  EXPECT_EQ(item["source"], "enterprise");  // whatever the enterprise would say
  EXPECT_EQ(item["org_unit_id"], town_a_);
  EXPECT_EQ(item["coord_unit_id"], town_a_);
  EXPECT_EQ(item["level"], "town");
  EXPECT_EQ(item["raised_on"], "2025-09-26");
  EXPECT_EQ(item["category_label"], "水电气暖配套");
  EXPECT_EQ(item["allowed_actions"], Json::array({"comment"}));

  auto other = Post("qy", "/api/v1/problems", {{"title", "x"}, {"category", "other"}, {"enterprise_id", firm2_}});
  EXPECT_EQ(other.status, 404) << other.body;
  EXPECT_EQ(other.json()["error"]["field"], "enterprise_id");
  // The other enterprise's user does not see it at all.
  EXPECT_EQ(Get("qy2", "/api/v1/problems/" + std::to_string(item["id"].get<int64_t>())).status, 404);
  EXPECT_EQ(Get("qy2", "/api/v1/problems").json()["total"], 0);
}

TEST_F(Problems, TheWholeLoopFromRequestToSatisfaction) {
  Json item = Raise("qy", {});
  const std::string id = std::to_string(item["id"].get<int64_t>());

  // 重点办 assigns: 10 working days (水电气暖) from Friday 09-26 across 国庆:
  // 09-28 (调休上班), 09-29, 09-30, 10-09, 10-10, 10-11 (调休上班), 10-13 … 10-16.
  item = Reload("ju", item);
  EXPECT_EQ(item["allowed_actions"], Json::array({"assign", "on_spot", "escalate", "supervise", "agenda", "comment"}));
  auto r = Act("ju", item, {{"action", "assign"}, {"lead_unit_id", dept_}, {"co_unit_ids", {dept2_}},
                            {"handler_id", handler_}, {"comment", "请发改局牵头"}});
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(item["status"], "assigned");
  EXPECT_EQ(item["deadline"], "2025-10-16");
  EXPECT_EQ(item["original_deadline"], "2025-10-16");
  EXPECT_EQ(item["assigned_on"], "2025-09-26");
  EXPECT_EQ(item["lead_unit_name"], "发改局");
  EXPECT_EQ(item["handler_name"], "用户fgj");
  EXPECT_EQ(item["co_units"], Json::array({{{"id", dept2_}, {"name", "自然资源局"}}}));
  EXPECT_EQ(Notices("fgj", "problem.assigned", item["id"]), 1);
  EXPECT_EQ(Notices("fgj2", "problem.assigned", item["id"]), 1);
  EXPECT_EQ(Notices("zrj", "problem.assigned", item["id"]), 1);
  EXPECT_EQ(Notices("qy", "problem.status", item["id"]), 1);
  EXPECT_EQ(Notices("ju", "problem.assigned", item["id"]), 0);  // not the actor

  // The department signs for it and asks for more time.
  item = Reload("fgj", item);
  EXPECT_EQ(item["allowed_actions"], Json::array({"start", "return", "extend", "resolve", "escalate", "comment"}));
  ASSERT_EQ(Act("fgj", item, {{"action", "start"}}).status, 200);
  EXPECT_EQ(item["status"], "in_progress");
  r = Act("fgj", item, {{"action", "extend"}, {"new_deadline", "2025-10-24"}, {"reason", "需等电力公司排期"}});
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_TRUE(item["extension_pending"]);
  EXPECT_EQ(item["deadline"], "2025-10-16");
  EXPECT_EQ(Notices("zhena", "problem.extension", item["id"]), 1);  // the coordinating town

  // The department cannot grant itself; the bureau grants: the deadline
  // moves, the original stays for 按时办结率.
  EXPECT_EQ(Act("fgj", item, {{"action", "extend_decide"}, {"grant", true}}).status, 403);
  r = Act("ju", item, {{"action", "extend_decide"}, {"grant", true}, {"comment", "同意"}});
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_FALSE(item["extension_pending"]);
  EXPECT_EQ(item["deadline"], "2025-10-24");
  EXPECT_EQ(item["original_deadline"], "2025-10-16");
  ASSERT_EQ(item["extensions"].size(), 1u);
  EXPECT_EQ(item["extensions"][0]["status"], "granted");
  EXPECT_EQ(Notices("fgj", "problem.extension", item["id"]), 1);

  Travel(2025, 10, 13);
  r = Act("fgj", item, {{"action", "resolve"}, {"result", "已完成接入"}});
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(item["status"], "resolved");
  EXPECT_EQ(item["resolved_on"], "2025-10-13");
  EXPECT_EQ(item["resolve_days"], 7);  // working days after 09-26: 09-28, 09-29, 09-30, 10-09, 10-10, 10-11, 10-13
  // A unit cannot close (销号) its own item.
  r = Act("fgj", item, {{"action", "close"}});
  EXPECT_EQ(r.status, 403) << r.body;
  EXPECT_EQ(r.json()["error"]["field"], "action");
  ASSERT_EQ(Act("ju", item, {{"action", "close"}}).status, 200);
  EXPECT_EQ(item["status"], "closed");
  EXPECT_EQ(item["closed_on"], "2025-10-13");

  // The enterprise is not satisfied: a reason is required, then it reopens
  // with a new deadline and the original one kept.
  r = Act("qy", item, {{"action", "rate"}, {"satisfaction", "unsatisfied"}});
  EXPECT_EQ(r.status, 422);
  EXPECT_EQ(r.json()["error"]["field"], "comment");
  r = Act("qy", item, {{"action", "rate"}, {"satisfaction", "unsatisfied"}, {"comment", "仍未通电"}});
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(item["status"], "in_progress");
  EXPECT_EQ(item["reopen_count"], 1);
  EXPECT_TRUE(item["resolved_on"].is_null());
  EXPECT_TRUE(item["closed_on"].is_null());
  EXPECT_EQ(item["original_deadline"], "2025-10-16");
  EXPECT_EQ(item["deadline"], "2025-10-27");  // 10 working days after Monday 10-13
  EXPECT_EQ(item["satisfaction"], "unsatisfied");

  ASSERT_EQ(Act("fgj", item, {{"action", "resolve"}, {"result", "已通电"}}).status, 200);
  ASSERT_EQ(Act("ju", item, {{"action", "close"}}).status, 200);
  r = Act("qy", item, {{"action", "rate"}, {"satisfaction", "satisfied"}});
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(item["status"], "closed");
  EXPECT_EQ(item["satisfaction"], "satisfied");
  EXPECT_EQ(item["satisfaction_label"], "满意");
  EXPECT_EQ(item["rated_on"], "2025-10-13");

  // Every step is on the timeline, oldest first.
  auto timeline = Get("ju", "/api/v1/problems/" + id + "/timeline").json()["items"];
  std::vector<std::string> actions;
  for (const auto& e : timeline) actions.push_back(e["action"]);
  EXPECT_EQ(actions, (std::vector<std::string>{"create", "assign", "start", "extend", "extend_decide", "resolve",
                                               "close", "rate", "resolve", "close", "rate"}));
  EXPECT_EQ(timeline[1]["comment"], "请发改局牵头");
  EXPECT_EQ(timeline[7]["from_status"], "closed");
  EXPECT_EQ(timeline[7]["to_status"], "in_progress");
  // The audit log has each action.
  EXPECT_EQ(Count("SELECT COUNT(*) FROM audit_log WHERE action LIKE 'problem.%' AND entity_id = '" + id + "'"), 11);
}

TEST_F(Problems, IllegalTransitionsNameTheAllowedOnes) {
  Json item = Raise("qy", {});
  item = Reload("ju", item);
  auto r = Act("ju", item, {{"action", "close"}});
  ASSERT_EQ(r.status, 409) << r.body;
  EXPECT_EQ(r.json()["error"]["code"], "invalid_transition");
  EXPECT_EQ(r.json()["error"]["field"], "action");
  EXPECT_NE(r.json()["error"]["message"].get<std::string>().find("当前可执行:交办、现场解决"), std::string::npos)
      << r.body;
  // An enterprise never assigns.
  r = Act("qy", item, {{"action", "assign"}, {"lead_unit_id", dept_}});
  EXPECT_EQ(r.status, 403) << r.body;
  // A leader may 督办 but not comment (no problem:write).
  r = Act("ld", item, {{"action", "comment"}, {"comment", "请抓紧"}});
  EXPECT_EQ(r.status, 403) << r.body;
  r = Act("ld", item, {{"action", "supervise"}, {"instruction", "三日内反馈"}, {"respond_by", "2025-09-30"}});
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_TRUE(item["supervised"]);
  // Stale version: 409 with the item as it is now.
  Json stale = item;
  stale["version"] = 1;
  r = Post("ju", "/api/v1/problems/" + std::to_string(item["id"].get<int64_t>()) + "/actions",
           {{"action", "comment"}, {"comment", "x"}, {"version", 1}});
  ASSERT_EQ(r.status, 409) << r.body;
  EXPECT_EQ(r.json()["error"]["code"], "version_conflict");
  EXPECT_EQ(r.json()["current"]["version"], item["version"]);
  // Unknown action and a field the action does not take.
  r = Act("ju", item, {{"action", "approve"}});
  EXPECT_EQ(r.status, 422);
  EXPECT_EQ(r.json()["error"]["field"], "action");
  r = Act("ju", item, {{"action", "start"}, {"grant", true}});
  EXPECT_EQ(r.status, 422);
  EXPECT_EQ(r.json()["error"]["field"], "grant");
}

TEST_F(Problems, ReturnReassignAndEscalate) {
  Json item = Raise("zhena", {{"enterprise_id", firm_}, {"source", "visit"}});
  EXPECT_EQ(item["source"], "visit");
  ASSERT_EQ(Act("zhena", item, {{"action", "assign"}, {"lead_unit_id", dept_}}).status, 200);
  EXPECT_EQ(item["deadline"], "2025-10-16");
  auto r = Act("fgj", item, {{"action", "return"}});
  EXPECT_EQ(r.status, 422);
  EXPECT_EQ(r.json()["error"]["field"], "reason");
  r = Act("fgj", item, {{"action", "return"}, {"reason", "不属于本局职责"}});
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(item["status"], "returned");
  EXPECT_EQ(Notices("zhena", "problem.returned", item["id"]), 1);
  // 改派 to another department on Monday: a new deadline (09-30, then from
  // 10-09 to 10-20 with Saturday 10-11 worked), the original kept.
  Travel(2025, 9, 29);
  r = Act("zhena", item, {{"action", "assign"}, {"lead_unit_id", dept2_}});
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(item["status"], "assigned");
  EXPECT_EQ(item["lead_unit_id"], dept2_);
  EXPECT_EQ(item["deadline"], "2025-10-20");
  EXPECT_EQ(item["original_deadline"], "2025-10-16");

  // 提级: the town's item goes to the county; the county has nothing above.
  r = Act("zrj", item, {{"action", "escalate"}, {"reason", "涉及多部门"}});
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(item["coord_unit_id"], root_);
  EXPECT_EQ(item["level"], "county");
  EXPECT_TRUE(item["escalated"]);
  EXPECT_EQ(item["escalation_count"], 1);
  EXPECT_EQ(Notices("ju", "problem.escalated", item["id"]), 1);
  r = Act("ju", item, {{"action", "escalate"}, {"reason", "再提级"}});
  EXPECT_EQ(r.status, 409) << r.body;
  EXPECT_NE(r.json()["error"]["message"].get<std::string>().find("最高层级"), std::string::npos);
  // The escalation's reason is the bureau's, not the enterprise's to read.
  auto seen = Get("qy", "/api/v1/problems/" + std::to_string(item["id"].get<int64_t>()) + "/timeline").json();
  bool found = false;
  for (const auto& e : seen["items"]) {
    if (e["action"] == "escalate") {
      found = true;
      EXPECT_EQ(e["comment"], "");
    }
  }
  EXPECT_TRUE(found);
}

TEST_F(Problems, SupervisionAndTheJointMeeting) {
  Json item = Raise("qy", {});
  ASSERT_EQ(Act("ju", item, {{"action", "assign"}, {"lead_unit_id", dept_}}).status, 200);
  auto r = Act("ju", item, {{"action", "supervise"}, {"instruction", "限期办理"}, {"respond_by", "2025-09-25"}});
  EXPECT_EQ(r.status, 422);
  EXPECT_EQ(r.json()["error"]["field"], "respond_by");
  ASSERT_EQ(Act("ju", item, {{"action", "supervise"}, {"instruction", "限期办理"}}).status, 200);
  EXPECT_EQ(Notices("fgj", "problem.supervised", item["id"]), 1);
  r = Act("fgj", item, {{"action", "supervise_respond"}, {"response", "已召开协调会"}});
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_FALSE(item["supervised"]);
  ASSERT_EQ(item["supervisions"].size(), 1u);
  EXPECT_EQ(item["supervisions"][0]["response"], "已召开协调会");

  ASSERT_EQ(Act("ju", item, {{"action", "agenda"}, {"meeting_on", "2025-09-30"}}).status, 200);
  EXPECT_TRUE(item["on_agenda"]);
  EXPECT_EQ(Act("ju", item, {{"action", "agenda"}}).status, 409);
  // Town B is not involved yet: it does not see the item.
  EXPECT_EQ(Get("zhenb", "/api/v1/problems/" + std::to_string(item["id"].get<int64_t>())).status, 404);
  r = Act("ju", item, {{"action", "agenda_decide"}, {"decision", "镇B配合"}, {"bound_unit_ids", {town_b_}}});
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_FALSE(item["on_agenda"]);
  EXPECT_EQ(item["co_unit_ids"], Json::array({town_b_}));
  EXPECT_EQ(Notices("zhenb", "problem.assigned", item["id"]), 1);
  EXPECT_EQ(Get("zhenb", "/api/v1/problems/" + std::to_string(item["id"].get<int64_t>())).status, 200);
}

TEST_F(Problems, ScopeAndTheTimelinesInternalNotes) {
  Json mine = Raise("qy", {});
  Json other = Raise("qy2", {{"title", "用工招聘难"}, {"category", "labour"}});
  ASSERT_EQ(Act("ju", mine, {{"action", "assign"}, {"lead_unit_id", dept_}, {"comment", "内部:优先"}}).status, 200);
  auto r = Act("ju", mine, {{"action", "comment"}, {"comment", "企业诉求合理"}, {"internal", true}});
  ASSERT_EQ(r.status, 200) << r.body;
  r = Act("qy", mine, {{"action", "comment"}, {"comment", "请尽快"}, {"internal", true}});
  EXPECT_EQ(r.status, 422);
  EXPECT_EQ(r.json()["error"]["field"], "internal");
  ASSERT_EQ(Act("qy", mine, {{"action", "comment"}, {"comment", "请尽快"}}).status, 200);

  const std::string path = "/api/v1/problems/" + std::to_string(mine["id"].get<int64_t>());
  auto full = Get("ju", path + "/timeline").json()["items"];
  auto firm = Get("qy", path + "/timeline").json()["items"];
  EXPECT_EQ(full.size(), 4u);  // create, assign, internal note, the enterprise's comment
  ASSERT_EQ(firm.size(), 3u);
  EXPECT_EQ(firm[1]["action"], "assign");
  EXPECT_EQ(firm[1]["comment"], "");  // the bureau's words stay inside
  EXPECT_EQ(firm[2]["comment"], "请尽快");

  // The department sees what it leads, not the other town's item; town B
  // sees its own enterprise's item only; the enterprise only its own.
  auto dept_list = Get("fgj", "/api/v1/problems").json();
  EXPECT_EQ(dept_list["total"], 1);
  EXPECT_EQ(dept_list["items"][0]["id"], mine["id"]);
  EXPECT_EQ(Get("fgj", "/api/v1/problems/" + std::to_string(other["id"].get<int64_t>())).status, 404);
  EXPECT_EQ(Get("zhenb", path).status, 404);
  EXPECT_EQ(Get("zhenb", "/api/v1/problems").json()["total"], 1);
  EXPECT_EQ(Get("qy", "/api/v1/problems").json()["total"], 1);
  EXPECT_EQ(Get("ju", "/api/v1/problems").json()["total"], 2);
  EXPECT_EQ(Get("qy2", path + "/timeline").status, 404);
}

TEST_F(Problems, ListFiltersSortAndFacets) {
  Json a = Raise("qy", {{"title", "供电接入"}});
  Json b = Raise("qy", {{"title", "用地指标"}, {"category", "land"}, {"urgency", "urgent"}});
  Json c = Raise("zhenb", {{"title", "招工难"}, {"category", "labour"}, {"enterprise_id", firm2_}});
  ASSERT_EQ(Act("ju", a, {{"action", "assign"}, {"lead_unit_id", dept_}}).status, 200);
  ASSERT_EQ(Act("ju", c, {{"action", "on_spot"}, {"result", "现场协调招聘会"}}).status, 200);
  EXPECT_EQ(c["status"], "closed");
  EXPECT_TRUE(c["on_spot"]);

  auto page = Get("ju", "/api/v1/problems?status=pending,assigned&facets=true&sort=code").json();
  EXPECT_EQ(page["total"], 2);
  EXPECT_EQ(page["items"][0]["code"], "WT-2025-00001");
  EXPECT_EQ(page["items"][1]["code"], "WT-2025-00002");
  EXPECT_FALSE(page["items"][0].contains("allowed_actions"));
  // The status facet ignores the status filter: the tabs' counts.
  std::map<std::string, int64_t> status;
  for (const auto& f : page["facets"]["status"]) status[f["value"]] = f["count"];
  EXPECT_EQ(status, (std::map<std::string, int64_t>{{"assigned", 1}, {"closed", 1}, {"pending", 1}}));
  std::map<std::string, int64_t> category;
  for (const auto& f : page["facets"]["category"]) category[f["value"]] = f["count"];
  EXPECT_EQ(category, (std::map<std::string, int64_t>{{"land", 1}, {"utilities", 1}}));

  auto land = Get("ju", "/api/v1/problems?q=用地").json();
  ASSERT_EQ(land["total"], 1);
  EXPECT_EQ(land["items"][0]["title"], "用地指标");
  auto by_code = Get("ju", "/api/v1/problems?q=WT-2025-00003").json();
  ASSERT_EQ(by_code["total"], 1);  // another keyword is another answer
  EXPECT_EQ(by_code["items"][0]["title"], "招工难");
  // Latin letters in either case; a piece of the enterprise's name finds its items.
  EXPECT_EQ(Get("ju", "/api/v1/problems?q=wt-2025-00003").json()["items"][0]["title"], "招工难");
  auto by_firm = Get("ju", "/api/v1/problems?q=%E5%8F%A6%E4%B8%80%E5%AE%B6").json();  // 另一家
  ASSERT_EQ(by_firm["total"], 1) << by_firm;
  EXPECT_EQ(by_firm["items"][0]["title"], "招工难");
  EXPECT_EQ(Get("ju", "/api/v1/problems?q=%25").json()["total"], 0);  // "%" is a character, not a wildcard
  EXPECT_EQ(Get("ju", "/api/v1/problems?on_spot=true").json()["total"], 1);
  // Filters that are not facets narrow the list too.
  EXPECT_EQ(Get("ju", "/api/v1/problems?urgency=urgent").json()["total"], 1);
  EXPECT_EQ(Get("ju", "/api/v1/problems?satisfaction=satisfied").json()["total"], 0);
  EXPECT_EQ(Get("ju", "/api/v1/problems?enterprise_id=" + std::to_string(firm_)).json()["total"], 2);
  EXPECT_EQ(Get("ju", "/api/v1/problems?lead_unit_id=" + std::to_string(dept_)).json()["total"], 1);
  EXPECT_EQ(Get("fgj", "/api/v1/problems?mine=unit").json()["total"], 1);
  EXPECT_EQ(Get("ju", "/api/v1/problems?overdue=true").json()["total"], 0);
  Travel(2025, 10, 20);
  auto overdue = Get("ju", "/api/v1/problems?overdue=true&sort=-overdue_days").json();
  ASSERT_EQ(overdue["total"], 1);
  EXPECT_EQ(overdue["items"][0]["overdue_days"], 2);  // deadline 10-16: 10-17, 10-20
  EXPECT_TRUE(overdue["items"][0]["overdue"]);
  // Answers are kept per query, but a calendar change, a new day and any
  // write answer afresh: the very same URL.
  const std::string again = "/api/v1/problems?overdue=true&sort=-overdue_days";
  auto holiday = s_.SendJson("PUT", "/api/v1/calendar/days/2025-10-17", {{"kind", "holiday"}}, as_["admin"]);
  ASSERT_EQ(holiday.status, 200) << holiday.body;
  EXPECT_EQ(Get("ju", again).json()["items"][0]["overdue_days"], 1);  // 10-17 is no working day now
  Travel(2025, 10, 21);
  EXPECT_EQ(Get("ju", again).json()["items"][0]["overdue_days"], 2);
  const std::string all = "/api/v1/problems?facets=true";
  auto before = Get("ju", all).json();
  EXPECT_EQ(before["total"], 3);
  for (const char* dim : {"status", "category", "level", "source"}) {
    int64_t sum = 0;
    for (const auto& f : before["facets"][dim]) sum += f["count"].get<int64_t>();
    EXPECT_EQ(sum, 3) << dim;  // every dimension counts every item
  }
  Raise("qy", {{"title", "排水接入"}});
  auto after = Get("ju", all).json();
  EXPECT_EQ(after["total"], 4);
  auto enterprise_source = [](const Json& page) {
    for (const auto& f : page["facets"]["source"]) {
      if (f["value"] == "enterprise") return f["count"].get<int64_t>();
    }
    return int64_t{0};
  };
  EXPECT_EQ(enterprise_source(after), enterprise_source(before) + 1);

  auto bad = Get("ju", "/api/v1/problems?status=done");
  EXPECT_EQ(bad.status, 422);
  EXPECT_EQ(bad.json()["error"]["field"], "status");
  EXPECT_EQ(Get("ju", "/api/v1/problems?sort=title").json()["error"]["field"], "sort");
}

TEST_F(Problems, ValidationNamesTheField) {
  auto check = [&](const std::string& who, const Json& body, int status, const std::string& field) {
    auto r = Post(who, "/api/v1/problems", body);
    EXPECT_EQ(r.status, status) << body.dump() << " " << r.body;
    EXPECT_EQ(r.json()["error"]["field"], field) << body.dump();
  };
  check("ju", {{"title", "x"}, {"category", "utilities"}, {"enterprise_id", firm_}, {"colour", "red"}}, 422, "colour");
  check("ju", {{"title", 1}, {"category", "utilities"}, {"enterprise_id", firm_}}, 422, "title");
  check("ju", {{"title", ""}, {"category", "utilities"}, {"enterprise_id", firm_}}, 422, "title");
  check("ju", {{"title", std::string(101 * 3, 'a')}, {"category", "utilities"}, {"enterprise_id", firm_}}, 422,
        "title");
  check("ju", {{"title", "x"}, {"category", "weather"}, {"enterprise_id", firm_}}, 422, "category");
  check("ju", {{"title", "x"}, {"category", "utilities"}, {"enterprise_id", firm_}, {"source", "tv"}}, 422, "source");
  check("ju", {{"title", "x"}, {"category", "utilities"}}, 422, "enterprise_id");
  check("ju", {{"title", "x"}, {"category", "utilities"}, {"enterprise_id", 9999}}, 404, "enterprise_id");
  check("ju", {{"title", "x"}, {"category", "utilities"}, {"project_id", 9999}}, 404, "project_id");
  check("ju", {{"title", "x"}, {"category", "utilities"}, {"enterprise_id", firm_}, {"raised_on", "2025-09-27"}}, 422,
        "raised_on");
  check("zhenb", {{"title", "x"}, {"category", "utilities"}, {"enterprise_id", firm_}}, 404, "enterprise_id");

  Json item = Raise("qy", {});
  auto act = [&](const Json& body, int status, const std::string& field) {
    Json copy = item;
    auto r = Act("ju", copy, body);
    EXPECT_EQ(r.status, status) << body.dump() << " " << r.body;
    EXPECT_EQ(r.json()["error"]["field"], field) << body.dump();
  };
  act({{"action", "assign"}}, 422, "lead_unit_id");
  act({{"action", "assign"}, {"lead_unit_id", 9999}}, 404, "lead_unit_id");
  act({{"action", "assign"}, {"lead_unit_id", dept_}, {"co_unit_ids", {dept_}}}, 422, "co_unit_ids[0]");
  act({{"action", "assign"}, {"lead_unit_id", dept_}, {"co_unit_ids", {dept2_, dept2_}}}, 422, "co_unit_ids[1]");
  act({{"action", "assign"}, {"lead_unit_id", dept_}, {"handler_id", bureau_}}, 422, "handler_id");
  act({{"action", "assign"}, {"lead_unit_id", dept_}, {"deadline", "2025-09-25"}}, 422, "deadline");
  act({{"action", "assign"}, {"lead_unit_id", dept_}, {"deadline", "2025-02-30"}}, 422, "deadline");

  // Editing: only while pending, by the raiser or the bureau.
  const std::string path = "/api/v1/problems/" + std::to_string(item["id"].get<int64_t>());
  auto edit = s_.SendJson("PATCH", path, {{"title", "供电接入(补充)"}, {"version", item["version"]}}, as_["qy"]);
  ASSERT_EQ(edit.status, 200) << edit.body;
  EXPECT_EQ(edit.json()["title"], "供电接入(补充)");
  auto stale = s_.SendJson("PATCH", path, {{"title", "再改"}, {"version", item["version"]}}, as_["ju"]);
  EXPECT_EQ(stale.status, 409);
  EXPECT_EQ(stale.json()["current"]["title"], "供电接入(补充)");
  auto unknown = s_.SendJson("PATCH", path, {{"status", "closed"}, {"version", 2}}, as_["ju"]);
  EXPECT_EQ(unknown.status, 422);
  EXPECT_EQ(unknown.json()["error"]["field"], "status");
}

TEST_F(Problems, AttachmentsFollowTheItemAndItsInternalNotes) {
  auto upload = [&](const std::string& who) {
    auto r = s_.Send("POST", "/api/v1/attachments",
                     "--zbb\r\nContent-Disposition: form-data; name=\"file\"; filename=\"批复.pdf\"\r\n\r\n"
                     "%PDF-1.7\n\r\n--zbb--\r\n",
                     [&] {
                       auto h = as_[who];
                       h["Content-Type"] = "multipart/form-data; boundary=zbb";
                       return h;
                     }());
    EXPECT_EQ(r.status, 201) << r.body;
    return r.json()["id"].get<int64_t>();
  };
  int64_t photo = upload("qy");
  Json item = Raise("qy", {{"attachment_ids", {photo}}});
  int64_t note = upload("ju");
  ASSERT_EQ(Act("ju", item, {{"action", "comment"}, {"comment", "内部材料"}, {"internal", true},
                             {"attachment_ids", {note}}})
                .status,
            200);
  // Someone else's or an already used upload is as good as missing.
  auto r = Act("ju", item, {{"action", "comment"}, {"comment", "再附一次"}, {"attachment_ids", {photo}}});
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(r.json()["error"]["field"], "attachment_ids[0]");

  const std::string path = "/api/v1/problems/" + std::to_string(item["id"].get<int64_t>());
  auto timeline = Get("ju", path + "/timeline").json()["items"];
  ASSERT_EQ(timeline[0]["attachments"].size(), 1u);
  EXPECT_EQ(timeline[0]["attachments"][0]["filename"], "批复.pdf");
  const std::string photo_url = "/api/v1/attachments/" + std::to_string(photo);
  const std::string note_url = "/api/v1/attachments/" + std::to_string(note);
  EXPECT_EQ(Get("ju", photo_url).status, 200);
  EXPECT_EQ(Get("zhena", photo_url).status, 200);  // the item's town
  EXPECT_EQ(Get("zhena", note_url).status, 200);
  EXPECT_EQ(Get("qy", note_url).status, 404);  // an internal entry's file
  EXPECT_EQ(Get("qy2", photo_url).status, 404);
  EXPECT_EQ(Get("zhenb", photo_url).status, 404);
}

TEST_F(Problems, SettingsAreVersionedAndDriveTheDeadline) {
  auto s = Get("ju", "/api/v1/problems/settings").json();
  EXPECT_EQ(s["default_sla_days"], 10);
  EXPECT_EQ(s["auto_escalate_days"], 5);
  EXPECT_EQ(s["sla_days"]["land"], 20);
  EXPECT_EQ(s["sla_days"]["finance"], 15);
  Json body = {{"sla_days", {{"utilities", 3}}}, {"default_sla_days", 8}, {"auto_escalate_days", 0},
               {"version", s["version"]}};
  EXPECT_EQ(s_.SendJson("PUT", "/api/v1/problems/settings", body, as_["fgj"]).status, 403);  // no dict:write
  auto bad = body;
  bad["sla_days"] = {{"weather", 3}};
  auto r = s_.SendJson("PUT", "/api/v1/problems/settings", bad, as_["ju"]);
  EXPECT_EQ(r.status, 422);
  EXPECT_EQ(r.json()["error"]["field"], "sla_days.weather");
  r = s_.SendJson("PUT", "/api/v1/problems/settings", body, as_["ju"]);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json()["sla_days"], Json({{"utilities", 3}}));
  EXPECT_EQ(s_.SendJson("PUT", "/api/v1/problems/settings", body, as_["ju"]).status, 409);

  // 3 working days from Friday 09-26: 09-28 (调休上班), 09-29, 09-30.
  Json item = Raise("qy", {});
  ASSERT_EQ(Act("ju", item, {{"action", "assign"}, {"lead_unit_id", dept_}}).status, 200);
  EXPECT_EQ(item["deadline"], "2025-09-30");
  // Land now falls back to the default 8: 09-28, 09-29, 09-30, 10-09, 10-10, 10-11, 10-13, 10-14.
  Json land = Raise("qy", {{"category", "land"}});
  ASSERT_EQ(Act("ju", land, {{"action", "assign"}, {"lead_unit_id", dept_}}).status, 200);
  EXPECT_EQ(land["deadline"], "2025-10-14");
}

}  // namespace
}  // namespace zb::testing
