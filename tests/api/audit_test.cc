// The audit log: every write through the API is recorded with who, where and
// what changed, and `zhuanban audit verify` finds tampering.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <array>
#include <cstdio>

#include "api/test_server.h"
#include "storage/audit_repo.h"

namespace zb::testing {
namespace {

struct Verify {
  int exit_code;
  std::string output;
};

Verify RunVerify(const std::string& db_url) {
  Verify v{-1, ""};
  FILE* p = ::popen((std::string(ZB_BINARY) + " audit verify --log-level error --db '" + db_url + "' 2>&1").c_str(), "r");
  std::array<char, 4096> buf;
  size_t n;
  while ((n = fread(buf.data(), 1, buf.size(), p)) > 0) v.output.append(buf.data(), n);
  int status = ::pclose(p);
  v.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return v;
}

// Three org units created and one renamed: audit rows 1–4 (after the
// password set by SignInAsAdmin, which is not an API write).
void MakeHistory(TestServer& s) {
  for (const char* code : {"A1", "A2", "A3"}) {
    ASSERT_EQ(s.SendJson("POST", "/api/v1/org-units", {{"name", std::string("单位") + code}, {"code", code}, {"kind", "town"}})
                  .status,
              201);
  }
  auto list = s.Get("/api/v1/org-units").json();
  int64_t id = 0;
  for (const auto& u : list["items"]) {
    if (u["code"] == "A2") id = u["id"];
  }
  ASSERT_EQ(s.SendJson("PATCH", "/api/v1/org-units/" + std::to_string(id), {{"version", 1}, {"name", "单位乙"}}).status,
            200);
}

Status Exec(TestServer& s, const std::string& sql, const db::Params& params = {}) {
  return db::InTx(s.app().pool(), [&](db::Connection& c) { return c.Exec(sql, params); });
}

TEST(Audit, WritesAreRecordedWithWhoWhereAndWhatChanged) {
  TestServer s;
  s.SignInAsAdmin();
  MakeHistory(s);
  auto conn = s.app().pool().Read();
  ASSERT_TRUE(conn.ok());
  auto page = storage::ListAudit(**conn, {});
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page->total, 4);
  const auto& update = page->items[0];  // newest first
  EXPECT_EQ(update.action, "update");
  EXPECT_EQ(update.entity_type, "org_unit");
  EXPECT_EQ(update.login, "admin");
  EXPECT_EQ(update.ip, "127.0.0.1");
  EXPECT_EQ(update.request_id.size(), 16u);
  Json changes = Json::parse(update.changes);
  EXPECT_EQ(changes["before"]["name"], "单位A2");
  EXPECT_EQ(changes["after"]["name"], "单位乙");
  EXPECT_FALSE(changes["after"].contains("code")) << "unchanged fields are left out";
  EXPECT_EQ(page->items[3].action, "create");
  EXPECT_EQ(Json::parse(page->items[3].changes)["after"]["code"], "A1");
}

TEST(Audit, VerifyPassesAnIntactLog) {
  TestServer s;
  s.SignInAsAdmin();
  MakeHistory(s);
  auto v = RunVerify(s.db_url());
  EXPECT_EQ(v.exit_code, 0) << v.output;
  EXPECT_NE(v.output.find("4 entries"), std::string::npos) << v.output;
}

TEST(Audit, VerifyNamesAnEditedRow) {
  TestServer s;
  s.SignInAsAdmin();
  MakeHistory(s);
  ASSERT_TRUE(Exec(s, "UPDATE audit_log SET changes = $1 WHERE seq = 2", {std::string("{\"after\":{}}")}).ok());
  auto v = RunVerify(s.db_url());
  EXPECT_EQ(v.exit_code, 1) << v.output;
  EXPECT_NE(v.output.find("2"), std::string::npos) << v.output;
  EXPECT_NE(v.output.find("edited"), std::string::npos) << v.output;
}

TEST(Audit, VerifyNamesADeletedRow) {
  TestServer s;
  s.SignInAsAdmin();
  MakeHistory(s);
  ASSERT_TRUE(Exec(s, "DELETE FROM audit_log WHERE seq = 2").ok());
  auto v = RunVerify(s.db_url());
  EXPECT_EQ(v.exit_code, 1) << v.output;
  EXPECT_NE(v.output.find("3"), std::string::npos) << v.output;
}

TEST(Audit, VerifyNoticesTheLastRowDeleted) {
  TestServer s;
  s.SignInAsAdmin();
  MakeHistory(s);
  ASSERT_TRUE(Exec(s, "DELETE FROM audit_log WHERE seq = 4").ok());
  auto v = RunVerify(s.db_url());
  EXPECT_EQ(v.exit_code, 1) << v.output;
  EXPECT_NE(v.output.find("末尾"), std::string::npos) << v.output;
}

TEST(Audit, VerifyNamesAReorderedPair) {
  TestServer s;
  s.SignInAsAdmin();
  MakeHistory(s);
  // Swap rows 2 and 3 wholesale (everything but the key), as someone
  // reordering history would.
  const std::string cols = "at, user_id, login, ip, request_id, action, entity_type, entity_id, changes, prev_hash, hash";
  ASSERT_TRUE(db::InTx(s.app().pool(), [&](db::Connection& c) -> Status {
                ZB_ASSIGN_OR_RETURN(auto rows, c.Query("SELECT seq, " + cols + " FROM audit_log WHERE seq IN (2, 3) ORDER BY seq"));
                for (int i = 0; i < 2; ++i) {
                  const db::Row& from = rows.rows[1 - i];
                  db::Params p;
                  for (size_t k = 1; k < from.size(); ++k) p.push_back(from.at(k));
                  p.push_back(int64_t{2 + i});
                  ZB_RETURN_IF_ERROR(c.Exec("UPDATE audit_log SET at = $1, user_id = $2, login = $3, ip = $4, "
                                            "request_id = $5, action = $6, entity_type = $7, entity_id = $8, "
                                            "changes = $9, prev_hash = $10, hash = $11 WHERE seq = $12",
                                            p));
                }
                return Status::Ok();
              }).ok());
  auto v = RunVerify(s.db_url());
  EXPECT_EQ(v.exit_code, 1) << v.output;
  EXPECT_NE(v.output.find("2"), std::string::npos) << v.output;
}

}  // namespace
}  // namespace zb::testing
