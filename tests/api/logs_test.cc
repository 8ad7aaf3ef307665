// 操作日志 and 登录日志 as an auditor uses them: filters (time ranges on the
// test clock), .xlsx exports that open and are themselves audited, the
// chain's verification, and who may see them.
#include <gtest/gtest.h>

#include "api/identity_helpers.h"
#include "api/test_server.h"
#include "zip_member.h"

namespace zb::testing {

namespace {

constexpr int64_t kHour = 3'600'000;

void MakeToken(TestServer& s, const std::string& name, const Browser& as) {
  auto r = s.SendJson("POST", "/api/v1/api-tokens", {{"name", name}, {"permissions", {"org:read"}}}, as.headers);
  ASSERT_EQ(r.status, 201) << r.body;
}

Json List(TestServer& s, const std::string& target, const Browser& as) {
  auto r = s.Get(target, as.headers);
  EXPECT_EQ(r.status, 200) << target << ": " << r.body;
  return r.json();
}

// Two days of history: the admin makes a token on 2026-11-23 at 09:00, the
// auditor one on 2026-11-24 at 10:00. Returns the auditor's browser (who
// holds every log permission and token:manage).
Browser TwoDaysOfHistory(TestServer& s) {
  s.clock().SetToday(*Date::FromYmd(2026, 11, 23), 9 * kHour);
  s.SignInAsAdmin();
  MakeToken(s, "市平台数据对接", CurrentBrowser(s));
  int64_t role = AddRole(s, "auditor", {"audit:read", "audit:export", "loginlog:read", "token:manage", "org:read"}, "all");
  AddUser(s, "auditor", RootUnitId(s), {role});
  s.clock().SetToday(*Date::FromYmd(2026, 11, 24), 10 * kHour);
  EXPECT_EQ(s.SignIn("auditor", kUserPassword).status, 200);
  Browser auditor = CurrentBrowser(s);
  MakeToken(s, "钉钉机器人", auditor);
  return auditor;
}

TEST(AuditLog, ListsNewestFirstWithParsedChangesAndFilters) {
  TestServer s;
  Browser auditor = TwoDaysOfHistory(s);
  Json all = List(s, "/api/v1/audit-log?entity_type=api_token", auditor);
  ASSERT_EQ(all["total"], 2);
  Json newest = all["items"][0];
  EXPECT_EQ(newest["login"], "auditor");
  EXPECT_EQ(newest["action"], "create");
  EXPECT_EQ(newest["at"], "2026-11-24T10:00:00.000+08:00");
  EXPECT_EQ(newest["changes"]["after"]["name"], "钉钉机器人") << "changes is a JSON object, not text";
  EXPECT_EQ(newest["prev_hash"], all["items"][1]["hash"]);
  EXPECT_EQ(newest["hash"].get<std::string>().size(), 64u);

  EXPECT_EQ(List(s, "/api/v1/audit-log?entity_type=api_token&login=admin", auditor)["items"][0]["changes"]["after"]["name"],
            "市平台数据对接");
  EXPECT_EQ(List(s, "/api/v1/audit-log?entity_type=org_unit", auditor)["total"], 0);
  std::string first_id = all["items"][1]["entity_id"];
  EXPECT_EQ(List(s, "/api/v1/audit-log?entity_type=api_token&entity_id=" + first_id, auditor)["total"], 1);
  EXPECT_EQ(List(s, "/api/v1/audit-log?action=update", auditor)["total"], 0);

  // China days, `to` inclusive; RFC 3339 instants (the '+' escaped in a URL).
  EXPECT_EQ(List(s, "/api/v1/audit-log?from=2026-11-24&to=2026-11-24", auditor)["items"][0]["login"], "auditor");
  EXPECT_EQ(List(s, "/api/v1/audit-log?from=2026-11-24&to=2026-11-24", auditor)["total"], 1);
  EXPECT_EQ(List(s, "/api/v1/audit-log?to=2026-11-23", auditor)["total"], 1);
  EXPECT_EQ(List(s, "/api/v1/audit-log?from=2026-11-25", auditor)["total"], 0);
  EXPECT_EQ(List(s, "/api/v1/audit-log?from=2026-11-24T10:00:00%2B08:00", auditor)["total"], 1);
  EXPECT_EQ(List(s, "/api/v1/audit-log?to=2026-11-24T10:00:00%2B08:00", auditor)["total"], 2) << "to is inclusive";
  EXPECT_EQ(List(s, "/api/v1/audit-log?to=2026-11-24T09:59:59.999%2B08:00", auditor)["total"], 1);

  Json page = List(s, "/api/v1/audit-log?entity_type=api_token&page=2&page_size=1", auditor);
  EXPECT_EQ(page["total"], 2);
  EXPECT_EQ(page["page"], 2);
  EXPECT_EQ(page["page_size"], 1);
  ASSERT_EQ(page["items"].size(), 1u);
  EXPECT_EQ(page["items"][0]["login"], "admin");
}

TEST(AuditLog, BadFiltersNameTheirField) {
  TestServer s;
  Browser auditor = TwoDaysOfHistory(s);
  for (const auto& [query, field] : std::vector<std::pair<std::string, std::string>>{
           {"from=2026-13-01", "from"},
           {"to=2026-02-30", "to"},
           {"from=yesterday", "from"},
           {"to=2026-11-24T25:00:00Z", "to"},
           {"from=2026-11-25&to=2026-11-24", "to"},
           {"page=0", "page"},
           {"page_size=x", "page_size"}}) {
    auto r = s.Get("/api/v1/audit-log?" + query, auditor.headers);
    EXPECT_EQ(r.status, 422) << query;
    EXPECT_EQ(r.json()["error"]["field"], field) << query << ": " << r.body;
  }
  // The export reads the same filters the same way.
  EXPECT_EQ(s.Get("/api/v1/audit-log/export?from=2026-13-01", auditor.headers).json()["error"]["field"], "from");
  auto result = s.Get("/api/v1/login-log?result=maybe", auditor.headers);
  EXPECT_EQ(result.status, 422);
  EXPECT_EQ(result.json()["error"]["field"], "result");
}

TEST(AuditLog, ExportIsARealWorkbookAndIsItselfAudited) {
  TestServer s;
  Browser auditor = TwoDaysOfHistory(s);
  auto r = s.Get("/api/v1/audit-log/export?entity_type=api_token", auditor.headers);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.header("content-type"), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
  std::string disposition = r.header("content-disposition");
  EXPECT_EQ(disposition.rfind("attachment;", 0), 0u) << disposition;
  // 操作日志-20261124.xlsx, percent-encoded (RFC 5987).
  EXPECT_NE(disposition.find("filename*=UTF-8''%E6%93%8D%E4%BD%9C%E6%97%A5%E5%BF%97-20261124.xlsx"), std::string::npos)
      << disposition;
  ASSERT_EQ(r.body.substr(0, 2), "PK");
  std::string sheet = XlsxSheetText(r.body);
  ASSERT_FALSE(sheet.empty()) << "not a readable workbook";
  for (const char* text : {"序号", "时间", "账号", "IP", "请求号", "操作", "对象类型", "对象编号", "变更内容", "钉钉机器人",
                           "市平台数据对接", "auditor", "API 令牌"}) {
    EXPECT_NE(sheet.find(text), std::string::npos) << text;
  }

  Json exports = List(s, "/api/v1/audit-log?action=export", auditor);
  ASSERT_EQ(exports["total"], 1);
  Json entry = exports["items"][0];
  EXPECT_EQ(entry["entity_type"], "audit_log");
  EXPECT_EQ(entry["login"], "auditor");
  EXPECT_EQ(entry["changes"]["after"]["filter"], Json({{"entity_type", "api_token"}}));
  EXPECT_EQ(entry["changes"]["after"]["rows"], 2);

  Json verify = List(s, "/api/v1/audit-log/verify", auditor);
  EXPECT_EQ(verify["intact"], true) << verify.dump();
  EXPECT_EQ(verify["entries"], 3);
  EXPECT_NE(verify["message"].get<std::string>().find("完整"), std::string::npos);
}

TEST(AuditLog, VerifyReportsAnEditedEntry) {
  TestServer s;
  Browser auditor = TwoDaysOfHistory(s);
  Status edit = db::InTx(s.app().pool(), [](db::Connection& c) {
    return c.Exec("UPDATE audit_log SET login = 'someone' WHERE seq = 1");
  });
  ASSERT_TRUE(edit.ok()) << edit.ToString();
  Json verify = List(s, "/api/v1/audit-log/verify", auditor);
  EXPECT_EQ(verify["intact"], false);
  EXPECT_NE(verify["message"].get<std::string>().find("第 1 条"), std::string::npos) << verify.dump();
}

TEST(AuditLog, MoreThanFiftyThousandRowsAskForANarrowerFilter) {
  TestServer s;
  Browser auditor = TwoDaysOfHistory(s);
  // 50 001 rows straight into the table (the chain does not matter here).
  Status bulk = db::InTx(s.app().pool(), [](db::Connection& c) {
    return c.Exec(
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 50001) "
        "INSERT INTO audit_log (seq, at, login, action, entity_type, entity_id, prev_hash, hash) "
        "SELECT 1000 + i, 1795000000000, 'bulk', 'update', 'bulk', '', '', '' FROM n");
  });
  ASSERT_TRUE(bulk.ok()) << bulk.ToString();
  auto r = s.Get("/api/v1/audit-log/export", auditor.headers);
  EXPECT_EQ(r.status, 422);
  EXPECT_NE(r.json()["error"]["message"].get<std::string>().find("缩小"), std::string::npos) << r.body;
  EXPECT_EQ(List(s, "/api/v1/audit-log?action=export", auditor)["total"], 0) << "a refused export is not one";
  EXPECT_EQ(s.Get("/api/v1/audit-log/export?entity_type=api_token", auditor.headers).status, 200);
}

TEST(LoginLog, ListsAttemptsWithReasonLabelsAndExports) {
  TestServer s;
  s.clock().SetToday(*Date::FromYmd(2026, 11, 23), 9 * kHour);
  s.SignInAsAdmin();
  Browser admin = CurrentBrowser(s);
  s.clock().AdvanceMs(60'000);
  EXPECT_EQ(s.SignIn("admin", "not-the-password").status, 401);
  s.clock().AdvanceMs(60'000);
  EXPECT_EQ(s.SignIn("ghost", "whatever-1A!").status, 401);

  Json all = List(s, "/api/v1/login-log", admin);
  ASSERT_EQ(all["total"], 3);
  Json ghost = all["items"][0], wrong = all["items"][1], ok = all["items"][2];
  EXPECT_EQ(ghost["login"], "ghost");
  EXPECT_EQ(ghost["result"], "failure");
  EXPECT_EQ(ghost["reason_label"], "用户不存在");
  EXPECT_TRUE(ghost["user_id"].is_null());
  EXPECT_EQ(wrong["result"], "failure");
  EXPECT_EQ(wrong["reason_label"], "密码错误");
  EXPECT_NE(wrong["reason"].get<std::string>().find("还可尝试 4 次"), std::string::npos);
  EXPECT_EQ(wrong["at"], "2026-11-23T09:01:00.000+08:00");
  EXPECT_EQ(ok["result"], "success");
  EXPECT_EQ(ok["reason_label"], "登录成功");
  EXPECT_TRUE(ok["user_id"].is_number());

  EXPECT_EQ(List(s, "/api/v1/login-log?result=failure", admin)["total"], 2);
  EXPECT_EQ(List(s, "/api/v1/login-log?login=ADMIN", admin)["total"], 2) << "logins are case-insensitive";
  EXPECT_EQ(List(s, "/api/v1/login-log?result=success&login=admin", admin)["total"], 1);
  EXPECT_EQ(List(s, "/api/v1/login-log?from=2026-11-23T09:01:00%2B08:00", admin)["total"], 2);
  EXPECT_EQ(List(s, "/api/v1/login-log?to=2026-11-22", admin)["total"], 0);

  auto r = s.Get("/api/v1/login-log/export?result=failure", admin.headers);
  ASSERT_EQ(r.status, 200) << r.body;
  // 登录日志-20261123.xlsx
  EXPECT_NE(r.header("content-disposition").find("%E7%99%BB%E5%BD%95%E6%97%A5%E5%BF%97-20261123.xlsx"),
            std::string::npos);
  std::string sheet = XlsxSheetText(r.body);
  for (const char* text : {"时间", "账号", "结果", "原因", "ghost", "用户不存在", "密码错误", "失败"}) {
    EXPECT_NE(sheet.find(text), std::string::npos) << text;
  }
  EXPECT_EQ(sheet.find("登录成功"), std::string::npos) << "only what the filter asked for";
  Json exports = List(s, "/api/v1/audit-log?action=export&entity_type=login_log", admin);
  ASSERT_EQ(exports["total"], 1);
  EXPECT_EQ(exports["items"][0]["changes"]["after"]["filter"], Json({{"result", "failure"}}));
  EXPECT_EQ(exports["items"][0]["changes"]["after"]["rows"], 2);
}

TEST(LoginLog, LockoutAttemptsAreLabelled) {
  TestServer s;
  s.SignInAsAdmin();
  Browser admin = CurrentBrowser(s);
  AddUser(s, "clerk", RootUnitId(s), {BuiltinRoleId(s, "readonly")});
  for (int i = 0; i < 5; ++i) EXPECT_EQ(s.SignIn("clerk", "not-the-password").status, 401);
  EXPECT_EQ(s.SignIn("clerk", kUserPassword).status, 401);  // locked now
  Json clerk = List(s, "/api/v1/login-log?login=clerk&page_size=2", admin);
  ASSERT_EQ(clerk["total"], 6);
  EXPECT_EQ(clerk["items"][0]["reason_label"], "账户已锁定");
  EXPECT_EQ(clerk["items"][1]["reason_label"], "密码错误,账户已锁定");
}

TEST(LogPermissions, EachLogNeedsItsPermission) {
  TestServer s;
  s.SignInAsAdmin();
  int64_t root = RootUnitId(s);
  AddUser(s, "viewer", root, {BuiltinRoleId(s, "readonly")});
  AddUser(s, "reader", root, {AddRole(s, "audit_reader", {"audit:read"}, "all")});
  ASSERT_EQ(s.SignIn("viewer", kUserPassword).status, 200);
  Browser viewer = CurrentBrowser(s);
  ASSERT_EQ(s.SignIn("reader", kUserPassword).status, 200);
  Browser reader = CurrentBrowser(s);

  for (const auto& [path, permission] : std::vector<std::pair<std::string, std::string>>{
           {"/api/v1/audit-log", "audit:read"},
           {"/api/v1/audit-log/verify", "audit:read"},
           {"/api/v1/audit-log/export", "audit:export"},
           {"/api/v1/login-log", "loginlog:read"},
           {"/api/v1/login-log/export", "loginlog:read"},
           {"/api/v1/sessions", "session:read"}}) {
    auto r = s.Get(path, viewer.headers);
    EXPECT_EQ(r.status, 403) << path;
    EXPECT_NE(r.body.find(permission), std::string::npos) << path << ": " << r.body;
  }
  EXPECT_EQ(s.Get("/api/v1/audit-log", reader.headers).status, 200);
  EXPECT_EQ(s.Get("/api/v1/audit-log/export", reader.headers).status, 403) << "reading is not exporting";
  EXPECT_EQ(s.Get("/api/v1/login-log", reader.headers).status, 403);
  s.SignOutLocally();
  EXPECT_EQ(s.Get("/api/v1/audit-log", {{"Cookie", ""}}).status, 401);
}

}  // namespace
}  // namespace zb::testing
