// /api/v1/dict-items: the lists an office keeps for itself (行业, 产业板块,
// 项目类别), seeded by init, read by everyone, edited with dict:write.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "api/identity_helpers.h"
#include "api/test_server.h"

namespace zb::testing {
namespace {

std::vector<std::string> Labels(const Json& list) {
  std::vector<std::string> out;
  for (const auto& item : list["items"]) out.push_back(item["label"]);
  return out;
}

TEST(Dictionaries, InitSeedsTheProjectCategoriesAndEveryoneReadsThem) {
  TestServer s;
  s.SignInAsAdmin();
  AddUser(s, "reader", RootUnitId(s), {BuiltinRoleId(s, "readonly")});
  ASSERT_EQ(s.SignIn("reader", kUserPassword).status, 200);
  auto categories = s.Get("/api/v1/dict-items?type=category");
  ASSERT_EQ(categories.status, 200) << categories.body;
  EXPECT_EQ(Labels(categories.json()),
            (std::vector<std::string>{"制造业", "服务业", "基础设施", "房地产及棚户区改造", "社会民生", "其他"}));
  auto industries = s.Get("/api/v1/dict-items?type=industry").json();
  EXPECT_EQ(industries["total"], 20);  // GB/T 4754 sections A–T
  EXPECT_EQ(industries["items"][2]["code"], "C");
  EXPECT_EQ(industries["items"][2]["label"], "制造业");
  auto bad = s.Get("/api/v1/dict-items?type=colour");
  EXPECT_EQ(bad.status, 422);
  EXPECT_EQ(bad.json()["error"]["field"], "dict_type");
  EXPECT_EQ(s.SendJson("POST", "/api/v1/dict-items", {{"dict_type", "board"}, {"code", "x"}, {"label", "某板块"}}).status,
            403);
}

TEST(Dictionaries, TheBureauAddsRelabelsAndRetiresABoard) {
  TestServer s;
  s.SignInAsAdmin();
  AddUser(s, "xmfw", RootUnitId(s), {BuiltinRoleId(s, "bureau")});
  ASSERT_EQ(s.SignIn("xmfw", kUserPassword).status, 200);
  auto made = s.SendJson("POST", "/api/v1/dict-items",
                         {{"dict_type", "board"}, {"code", "satellite"}, {"label", "卫星空间技术"}, {"sort_order", 99}});
  ASSERT_EQ(made.status, 201) << made.body;
  int64_t id = made.json()["id"];
  EXPECT_EQ(Labels(s.Get("/api/v1/dict-items?type=board").json()).back(), "卫星空间技术");

  auto same_label = s.SendJson("POST", "/api/v1/dict-items",
                               {{"dict_type", "board"}, {"code", "sat2"}, {"label", "卫星空间技术"}});
  EXPECT_EQ(same_label.status, 409);
  EXPECT_EQ(same_label.json()["error"]["field"], "label");
  auto same_code = s.SendJson("POST", "/api/v1/dict-items",
                              {{"dict_type", "board"}, {"code", "satellite"}, {"label", "卫星"}});
  EXPECT_EQ(same_code.status, 409);
  EXPECT_EQ(same_code.json()["error"]["field"], "code");
  auto bad_code = s.SendJson("POST", "/api/v1/dict-items",
                             {{"dict_type", "board"}, {"code", "卫星"}, {"label", "卫星二"}});
  EXPECT_EQ(bad_code.status, 422);
  EXPECT_EQ(bad_code.json()["error"]["field"], "code");

  std::string url = "/api/v1/dict-items/" + std::to_string(id);
  auto relabel = s.SendJson("PATCH", url, {{"label", "商业航天"}, {"version", 1}});
  ASSERT_EQ(relabel.status, 200) << relabel.body;
  EXPECT_EQ(relabel.json()["code"], "satellite");
  auto stale = s.SendJson("PATCH", url, {{"active", false}, {"version", 1}});
  EXPECT_EQ(stale.status, 409);
  EXPECT_EQ(stale.json()["current"]["label"], "商业航天");
  ASSERT_EQ(s.SendJson("PATCH", url, {{"active", false}, {"version", 2}}).status, 200);
  auto boards = Labels(s.Get("/api/v1/dict-items?type=board").json());
  EXPECT_EQ(std::count(boards.begin(), boards.end(), "商业航天"), 0);
  auto all = Labels(s.Get("/api/v1/dict-items?type=board&include_inactive=1").json());
  EXPECT_EQ(std::count(all.begin(), all.end(), "商业航天"), 1);
  EXPECT_EQ(s.SendJson("PATCH", "/api/v1/dict-items/999999", {{"label", "无"}, {"version", 1}}).status, 404);

  auto audit = s.Get("/api/v1/audit-log?entity_type=dict_item");
  EXPECT_EQ(audit.status, 403) << "the bureau does not read the audit log";
  ASSERT_EQ(s.SignIn("admin", TestServer::kAdminPassword).status, 200);
  EXPECT_EQ(s.Get("/api/v1/audit-log?entity_type=dict_item").json()["total"], 3);
}

TEST(Dictionaries, TheProjectEnumerationsComeWithTheirLabels) {
  TestServer s;
  s.SignInAsAdmin();
  auto d = s.Get("/api/v1/dictionaries").json();
  auto labels = [](const Json& list) {
    std::vector<std::string> out;
    for (const auto& item : list) out.push_back(item["label"]);
    return out;
  };
  EXPECT_EQ(labels(d["project_stage"]), (std::vector<std::string>{"谋划", "在谈", "签约", "前期", "在建", "竣工", "投产",
                                                                 "停缓建", "终止"}));
  EXPECT_EQ(d["project_stage"][4]["code"], "under_construction");
  EXPECT_EQ(labels(d["project_type"]), (std::vector<std::string>{"新建", "续建", "扩建", "技改"}));
  EXPECT_EQ(labels(d["project_level"]), (std::vector<std::string>{"国家重点", "省重点", "市重点", "区县重点", "一般"}));
  EXPECT_EQ(d["project_level"][3]["code"], "county");
  EXPECT_EQ(d["org_unit_kind"].size(), 6u);
  EXPECT_EQ(d["data_scope"].size(), 5u);
}

}  // namespace
}  // namespace zb::testing
