// /api/v1/node-templates end to end on both engines: the built-in templates
// `zhuanban init` ships, a template written whole with every bad field
// named, versions, the default per category, who may write, and plans
// keeping their nodes when their template goes.
#include <gtest/gtest.h>

#include <string>

#include "api/identity_helpers.h"
#include "api/test_server.h"

namespace zb::testing {
namespace {

Json Small(const std::string& name) {
  return {{"name", name},
          {"category", "services"},
          {"description", "测试"},
          {"nodes",
           {{{"key", "design"}, {"name", "方案设计"}, {"duration", 10}},
            {{"key", "permit"}, {"name", "施工许可"}, {"duration", 5}},
            {{"key", "start"}, {"name", "开工"}, {"duration", 0}, {"event", "started"}}}},
          {"links", {{{"from", "design"}, {"to", "permit"}}, {{"from", "permit"}, {"to", "start"}, {"lag", 2}}}}};
}

class NodeTemplates : public ::testing::Test {
 protected:
  void SetUp() override {
    s_.clock().SetToday(*Date::FromYmd(2026, 11, 24), 9 * 3'600'000);
    s_.SignInAsAdmin();
  }
  TestServer s_;
};

TEST_F(NodeTemplates, InitShipsOneDefaultTemplatePerCategory) {
  auto list = s_.Get("/api/v1/node-templates");
  ASSERT_EQ(list.status, 200) << list.body;
  std::map<std::string, int> defaults;
  const Json items = list.json()["items"];
  for (const auto& t : items) {
    EXPECT_FALSE(t.contains("nodes")) << "the list leaves the nodes out";
    EXPECT_GT(t["node_count"].get<int>(), 3);
    if (t["is_default"].get<bool>()) defaults[t["category"].get<std::string>()]++;
  }
  for (const char* c : {"manufacturing", "infrastructure", "real_estate", "services"}) EXPECT_EQ(defaults[c], 1) << c;
  const Json manufacturing = s_.Get("/api/v1/node-templates?category=manufacturing").json()["items"];
  ASSERT_EQ(manufacturing.size(), 1u);
  const Json& t = manufacturing[0];
  EXPECT_EQ(t["category_label"], "制造业");
  auto one = s_.Get("/api/v1/node-templates/" + t["id"].dump());
  ASSERT_EQ(one.status, 200);
  EXPECT_EQ(one.json()["nodes"].size(), t["node_count"].get<size_t>());
  EXPECT_FALSE(one.json()["links"].empty());
}

TEST_F(NodeTemplates, ATemplateIsCheckedWholeAndEveryFieldNamed) {
  auto made = s_.SendJson("POST", "/api/v1/node-templates", Small("服务业简易流程"));
  ASSERT_EQ(made.status, 201) << made.body;
  EXPECT_EQ(made.json()["nodes"][2]["milestone"], true);
  EXPECT_EQ(made.json()["links"][1]["lag"], 2);

  auto expect_field = [&](Json body, const std::string& field) {
    auto r = s_.SendJson("POST", "/api/v1/node-templates", body);
    EXPECT_EQ(r.status, 422) << field << ": " << r.body;
    EXPECT_EQ(r.json()["error"]["field"], field) << r.body;
    return r;
  };
  Json b = Small("甲");
  b["nodes"][0]["key"] = "Bad Key";
  expect_field(b, "nodes[0].key");
  b = Small("乙");
  b["nodes"][1]["duration"] = "五";
  expect_field(b, "nodes[1].duration");
  b = Small("丙");
  b["links"][1]["to"] = "nowhere";
  expect_field(b, "links[1].to");
  b = Small("丁");
  b["category"] = "spaceflight";
  expect_field(b, "category");
  b = Small("戊");
  b["nodes"][0]["milestone"] = true;
  expect_field(b, "nodes[0].milestone");
  b = Small("己");
  b["owner"] = "x";
  expect_field(b, "owner");
  b = Small("庚");
  b["links"].push_back({{"from", "start"}, {"to", "design"}});
  auto cycle = s_.SendJson("POST", "/api/v1/node-templates", b);
  EXPECT_EQ(cycle.status, 422);
  EXPECT_NE(cycle.json()["error"]["message"].get<std::string>().find("方案设计 → 施工许可 → 开工 → 方案设计"),
            std::string::npos)
      << cycle.body;
  auto dup = s_.SendJson("POST", "/api/v1/node-templates", Small("服务业简易流程"));
  EXPECT_EQ(dup.status, 409);
  EXPECT_EQ(dup.json()["error"]["field"], "name");
}

TEST_F(NodeTemplates, VersionsDefaultsPermissionsAndDeletion) {
  auto made = s_.SendJson("POST", "/api/v1/node-templates", Small("服务业简易流程"));
  ASSERT_EQ(made.status, 201) << made.body;
  const std::string url = "/api/v1/node-templates/" + made.json()["id"].dump();

  Json body = Small("服务业简易流程");
  body["is_default"] = true;
  body["version"] = 1;
  auto put = s_.SendJson("PUT", url, body);
  ASSERT_EQ(put.status, 200) << put.body;
  EXPECT_EQ(put.json()["version"], 2);
  auto services = s_.Get("/api/v1/node-templates?category=services").json()["items"];
  int defaults = 0;
  for (const auto& t : services) defaults += t["is_default"].get<bool>() ? 1 : 0;
  EXPECT_EQ(defaults, 1) << "the new default took the flag from the built-in one";
  auto stale = s_.SendJson("PUT", url, body);
  EXPECT_EQ(stale.status, 409);
  EXPECT_EQ(stale.json()["current"]["version"], 2);

  // A plan made from it keeps its nodes when it is deleted.
  auto p = s_.SendJson("POST", "/api/v1/projects",
                       {{"name", "商业综合体"}, {"org_unit_id", RootUnitId(s_)}, {"category", "services"}});
  ASSERT_EQ(p.status, 201) << p.body;
  const std::string plan_url = "/api/v1/projects/" + p.json()["id"].dump() + "/plan";
  auto plan = s_.SendJson("POST", plan_url, Json::object());
  ASSERT_EQ(plan.status, 201) << plan.body;
  EXPECT_EQ(plan.json()["template_name"], "服务业简易流程") << "the category's default";
  EXPECT_EQ(s_.Send("DELETE", url, "").status, 204);
  EXPECT_EQ(s_.Get(url).status, 404);
  auto kept = s_.Get(plan_url);
  ASSERT_EQ(kept.status, 200);
  EXPECT_EQ(kept.json()["nodes"].size(), 3u);
  EXPECT_TRUE(kept.json()["template_id"].is_null());

  // A 镇街 user reads templates but may not write them.
  AddUser(s_, "jjz", RootUnitId(s_), {BuiltinRoleId(s_, "town")});
  ASSERT_EQ(s_.SignIn("jjz", kUserPassword).status, 200);
  EXPECT_EQ(s_.Get("/api/v1/node-templates").status, 200);
  EXPECT_EQ(s_.SendJson("POST", "/api/v1/node-templates", Small("越权")).status, 403);
}

}  // namespace
}  // namespace zb::testing
