// /api/v1/enterprises: the enterprise library end to end on both engines —
// validation (the credit code's check character), uniqueness, versions,
// the data scope, enterprise accounts seeing only their own enterprise.
#include <gtest/gtest.h>

#include <set>
#include <string>

#include "api/identity_helpers.h"
#include "api/test_server.h"
#include "zip_member.h"

namespace zb::testing {
namespace {

// Published codes that pass GB 32100 and GB 11714 (see tests/unit/credit_code_test.cc).
constexpr const char* kTencent = "9144030071526726XG";
constexpr const char* kVanke = "91440300192181490G";

Json Firm(const std::string& name, const std::string& code, int64_t unit) {
  return {{"name", name}, {"credit_code", code}, {"org_unit_id", unit}};
}

std::set<std::string> Names(const Json& list) {
  std::set<std::string> out;
  for (const auto& e : list["items"]) out.insert(e["name"].get<std::string>());
  return out;
}

TEST(Enterprises, CreateReadAndEditWithContactsTagsAndVersions) {
  TestServer s;
  s.SignInAsAdmin();
  const int64_t root = RootUnitId(s);
  Json body = Firm("华新新材料有限公司", " ９１４４０３００１９２２０３８２１６ ", root);  // full-width, spaces
  body["industry"] = "C";
  body["above_scale"] = true;
  body["legal_representative"] = "张三";
  body["contacts"] = Json::array({{{"name", "李四"}, {"title", "总经理"}, {"phone", "13800000001"}}});
  body["tags"] = {"专精特新", "外资", "专精特新"};
  auto made = s.SendJson("POST", "/api/v1/enterprises", body);
  ASSERT_EQ(made.status, 201) << made.body;
  Json e = made.json();
  EXPECT_EQ(e["credit_code"], kValidCreditCode);
  EXPECT_EQ(e["industry_label"], "制造业");
  EXPECT_EQ(e["tags"], Json({"专精特新", "外资"}));
  EXPECT_EQ(e["contacts"][0]["title"], "总经理");
  EXPECT_EQ(made.header("location"), "/api/v1/enterprises/" + std::to_string(e["id"].get<int64_t>()));

  const std::string url = "/api/v1/enterprises/" + std::to_string(e["id"].get<int64_t>());
  auto edited = s.SendJson("PATCH", url, {{"tags", Json::array()}, {"address", "莱山区迎春大街"}, {"version", 1}});
  ASSERT_EQ(edited.status, 200) << edited.body;
  EXPECT_EQ(edited.json()["tags"], Json::array());
  EXPECT_EQ(edited.json()["name"], "华新新材料有限公司");
  EXPECT_EQ(edited.json()["version"], 2);
  auto stale = s.SendJson("PATCH", url, {{"address", "别处"}, {"version", 1}});
  EXPECT_EQ(stale.status, 409);
  EXPECT_EQ(stale.json()["current"]["address"], "莱山区迎春大街");

  auto audit = s.Get("/api/v1/audit-log?entity_type=enterprise");
  ASSERT_EQ(audit.status, 200);
  EXPECT_EQ(audit.json()["total"], 2);
  EXPECT_EQ(audit.json()["items"][0]["changes"]["after"]["address"], "莱山区迎春大街");
}

TEST(Enterprises, ValidationNamesTheFieldAndTheWrongCheckCharacter) {
  TestServer s;
  s.SignInAsAdmin();
  const int64_t root = RootUnitId(s);
  auto post = [&](Json b) { return s.SendJson("POST", "/api/v1/enterprises", b); };
  std::string wrong = kValidCreditCode;
  wrong.back() = wrong.back() == '6' ? '7' : '6';
  auto bad_check = post(Firm("甲", wrong, root));
  ASSERT_EQ(bad_check.status, 422) << bad_check.body;
  EXPECT_EQ(bad_check.json()["error"]["field"], "credit_code");
  EXPECT_NE(bad_check.json()["error"]["message"].get<std::string>().find("校验位"), std::string::npos);
  EXPECT_EQ(post(Firm("甲", "12345", root)).json()["error"]["field"], "credit_code");
  EXPECT_EQ(post(Firm("", kTencent, root)).json()["error"]["field"], "name");
  EXPECT_EQ(post(Firm("甲", kTencent, 999999)).status, 404);
  Json bad_industry = Firm("甲", kTencent, root);
  bad_industry["industry"] = "ZZ";
  EXPECT_EQ(post(bad_industry).json()["error"]["field"], "industry");
  Json bad_phone = Firm("甲", kTencent, root);
  bad_phone["contacts"] = Json::array({{{"name", "李四"}, {"phone", "call me"}}});
  EXPECT_EQ(post(bad_phone).json()["error"]["field"], "contacts[0].phone");
  Json nameless = Firm("甲", kTencent, root);
  nameless["contacts"] = Json::array({{{"phone", "1"}}});
  EXPECT_EQ(post(nameless).json()["error"]["field"], "contacts[0].name");
  Json unknown = Firm("甲", kTencent, root);
  unknown["colour"] = "red";
  EXPECT_EQ(post(unknown).status, 422);

  ASSERT_EQ(post(Firm("甲", kTencent, root)).status, 201);
  auto dup = post(Firm("乙", kTencent, root));
  EXPECT_EQ(dup.status, 409);
  EXPECT_EQ(dup.json()["error"]["field"], "credit_code");
  EXPECT_EQ(s.Get("/api/v1/enterprises").json()["total"], 1) << "the refused ones left nothing behind";
}

TEST(Enterprises, AUserSeesTheEnterprisesOfTheirScopeAndAnEnterpriseUserOnlyTheirOwn) {
  TestServer s;
  s.SignInAsAdmin();
  const int64_t root = RootUnitId(s);
  const int64_t ms = AddUnit(s, root, "MS").id;
  const int64_t cj = AddUnit(s, root, "CJ").id;
  auto a = s.SendJson("POST", "/api/v1/enterprises", Firm("马山企业", kValidCreditCode, ms));
  auto b = s.SendJson("POST", "/api/v1/enterprises", Firm("初家企业", kTencent, cj));
  ASSERT_EQ(a.status, 201);
  ASSERT_EQ(b.status, 201);
  const int64_t a_id = a.json()["id"], b_id = b.json()["id"];
  AddUser(s, "ms.town", ms, {BuiltinRoleId(s, "town")});
  const int64_t firm_user = AddUser(s, "ms.firm", ms, {BuiltinRoleId(s, "enterprise")});
  ASSERT_TRUE(db::InTx(s.app().pool(), [&](db::Connection& c) {
                return c.Exec("UPDATE users SET enterprise_id = $1 WHERE id = $2", {a_id, firm_user});
              }).ok());

  ASSERT_EQ(s.SignIn("ms.town", kUserPassword).status, 200);
  EXPECT_EQ(Names(s.Get("/api/v1/enterprises").json()), (std::set<std::string>{"马山企业"}));
  EXPECT_EQ(s.Get("/api/v1/enterprises/" + std::to_string(b_id)).status, 404);
  EXPECT_EQ(s.SendJson("PATCH", "/api/v1/enterprises/" + std::to_string(b_id), {{"name", "改"}, {"version", 1}}).status,
            404);
  EXPECT_EQ(s.Get("/api/v1/enterprises?org_unit_id=" + std::to_string(cj)).status, 404);
  // Registering one in a unit outside the scope is refused too.
  auto outside = s.SendJson("POST", "/api/v1/enterprises", Firm("外地企业", kVanke, cj));
  EXPECT_EQ(outside.status, 404);
  EXPECT_EQ(outside.json()["error"]["field"], "org_unit_id");

  ASSERT_EQ(s.SignIn("ms.firm", kUserPassword).status, 200);
  EXPECT_EQ(Names(s.Get("/api/v1/enterprises").json()), (std::set<std::string>{"马山企业"}));
  EXPECT_EQ(s.Get("/api/v1/enterprises/" + std::to_string(a_id)).status, 200);
  EXPECT_EQ(s.Get("/api/v1/enterprises/" + std::to_string(b_id)).status, 404);
}

TEST(Enterprises, ListFiltersByKeywordIndustryScaleAndTag) {
  TestServer s;
  s.SignInAsAdmin();
  const int64_t root = RootUnitId(s);
  Json a = Firm("华新新材料", kValidCreditCode, root);
  a["industry"] = "C";
  a["above_scale"] = true;
  a["tags"] = {"专精特新"};
  Json b = Firm("Yantai Soft 软件", kTencent, root);
  b["industry"] = "I";
  ASSERT_EQ(s.SendJson("POST", "/api/v1/enterprises", a).status, 201);
  ASSERT_EQ(s.SendJson("POST", "/api/v1/enterprises", b).status, 201);
  EXPECT_EQ(Names(s.Get("/api/v1/enterprises?keyword=soft").json()), (std::set<std::string>{"Yantai Soft 软件"}));
  EXPECT_EQ(Names(s.Get("/api/v1/enterprises?keyword=9144030019").json()), (std::set<std::string>{"华新新材料"}));
  EXPECT_EQ(Names(s.Get("/api/v1/enterprises?industry=I").json()), (std::set<std::string>{"Yantai Soft 软件"}));
  EXPECT_EQ(Names(s.Get("/api/v1/enterprises?above_scale=true").json()), (std::set<std::string>{"华新新材料"}));
  EXPECT_EQ(Names(s.Get("/api/v1/enterprises?above_scale=false").json()), (std::set<std::string>{"Yantai Soft 软件"}));
  EXPECT_EQ(Names(s.Get("/api/v1/enterprises?tag=%E4%B8%93%E7%B2%BE%E7%89%B9%E6%96%B0").json()),
            (std::set<std::string>{"华新新材料"}));
  auto paged = s.Get("/api/v1/enterprises?page=2&page_size=1").json();
  EXPECT_EQ(paged["total"], 2);
  EXPECT_EQ(paged["items"].size(), 1u);
  EXPECT_EQ(s.Get("/api/v1/enterprises?page=0").status, 422);
}

TEST(Enterprises, TheExportHoldsWhatTheListShowsAndIsAudited) {
  TestServer s;
  s.SignInAsAdmin();
  const int64_t root = RootUnitId(s);
  const int64_t ms = AddUnit(s, root, "MS").id;
  Json mine = Firm("马山新材料有限公司", kValidCreditCode, ms);
  mine["industry"] = "C";
  mine["contacts"] = Json::array({{{"name", "李四"}, {"phone", "13800000001"}}});
  mine["tags"] = {"专精特新", "外资"};
  ASSERT_EQ(s.SendJson("POST", "/api/v1/enterprises", mine).status, 201);
  ASSERT_EQ(s.SendJson("POST", "/api/v1/enterprises", Firm("区属城投公司", kTencent, root)).status, 201);
  AddUser(s, "ms.town", ms, {BuiltinRoleId(s, "town")});
  ASSERT_EQ(s.SignIn("ms.town", kUserPassword).status, 200);

  auto file = s.Get("/api/v1/enterprises/export");
  ASSERT_EQ(file.status, 200) << file.body;
  EXPECT_EQ(file.header("content-type"), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
  EXPECT_NE(file.header("content-disposition").find("enterprises-"), std::string::npos);
  ASSERT_EQ(file.body.substr(0, 2), "PK");
  std::string text = XlsxSheetText(file.body);
  for (const char* expected : {"统一社会信用代码", "马山新材料有限公司", kValidCreditCode, "制造业", "李四",
                               "13800000001", "专精特新、外资"}) {
    EXPECT_NE(text.find(expected), std::string::npos) << expected;
  }
  EXPECT_EQ(text.find("区属城投公司"), std::string::npos) << "outside the town's scope";
  auto filtered = XlsxSheetText(s.Get("/api/v1/enterprises/export?keyword=%E5%9F%8E%E6%8A%95").body);  // 城投
  EXPECT_EQ(filtered.find("马山新材料有限公司"), std::string::npos) << "the list's filters apply";
  EXPECT_EQ(s.Get("/api/v1/enterprises/export?page_size=abc").status, 200) << "paging is not an export filter";

  ASSERT_EQ(s.SignIn("admin", TestServer::kAdminPassword).status, 200);
  auto audit = s.Get("/api/v1/audit-log?entity_type=enterprise&action=export").json();
  ASSERT_EQ(audit["total"], 3);
  EXPECT_EQ(audit["items"][2]["login"], "ms.town");
  EXPECT_EQ(audit["items"][2]["changes"]["after"]["rows"], 1);
}

}  // namespace
}  // namespace zb::testing
