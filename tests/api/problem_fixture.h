// The 问题台账 tests' common ground (problems_test, problem_stats_test,
// problem_io_test, problem_import_test): a test server on the Friday before
// the 2025 国庆 holiday, signed in as the admin, and the helpers that build a
// district — units, enterprises, users signed in by login — and carry items
// through the workflow over HTTP. Each suite builds its own district.
#pragma once

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "api/identity_helpers.h"
#include "api/test_server.h"
#include "storage/org_unit_repo.h"

namespace zb::testing {

class ProblemFixture : public ::testing::Test {
 protected:
  ProblemFixture() {
    s_.clock().SetToday(*Date::FromYmd(2025, 9, 26), 9 * 3'600'000);
    s_.SignInAsAdmin();
    as_["admin"] = CurrentBrowser(s_).headers;
  }

  int64_t Unit(const std::string& name, const std::string& code, const std::string& kind, int64_t parent) {
    return MakeInDb(s_, [&](db::Connection& c) {
             return storage::CreateOrgUnit(c, {.parent_id = parent, .name = name, .code = code, .kind = kind},
                                           s_.clock().NowMs());
           })
        .id;
  }
  int64_t Firm(const std::string& name, const std::string& credit, int64_t unit) {
    return MakeInDb(s_, [&](db::Connection& c) -> StatusOr<int64_t> {
      ZB_ASSIGN_OR_RETURN(auto row, c.QueryOne("INSERT INTO enterprises (name, credit_code, org_unit_id, created_at, "
                                               "updated_at) VALUES ($1, $2, $3, 1, 1) RETURNING id",
                                               {name, credit, unit}));
      return row->Int("id");
    });
  }
  // A user of `unit` with the built-in role `role`; `enterprise`: bound to it.
  int64_t User(const std::string& login, int64_t unit, const std::string& role, int64_t enterprise = 0) {
    const int64_t id = AddUser(s_, login, unit, {BuiltinRoleId(s_, role)});
    if (enterprise) Exec("UPDATE users SET enterprise_id = $1 WHERE id = $2", {enterprise, id});
    logins_.push_back(login);
    return id;
  }
  // Every user made with User() signs in (again: sessions do not last days).
  void SignInAll() {
    for (const auto& login : logins_) {
      ASSERT_EQ(s_.SignIn(login, kUserPassword).status, 200) << login;
      as_[login] = CurrentBrowser(s_).headers;
    }
    ASSERT_EQ(s_.SignIn("admin", TestServer::kAdminPassword).status, 200);
    as_["admin"] = CurrentBrowser(s_).headers;
  }
  void Travel(int y, int m, int d) {
    s_.clock().SetToday(*Date::FromYmd(y, m, d), 9 * 3'600'000);
    SignInAll();
  }
  void Exec(const std::string& sql, db::Params params = {}) {
    MakeInDb(s_, [&](db::Connection& c) -> StatusOr<int> {
      ZB_RETURN_IF_ERROR(c.Exec(sql, params));
      return 0;
    });
  }
  int64_t Count(const std::string& sql, db::Params params = {}) {
    return MakeInDb(s_, [&](db::Connection& c) -> StatusOr<int64_t> {
      ZB_ASSIGN_OR_RETURN(auto row, c.QueryOne(sql, params));
      return row->Int(0);
    });
  }

  HttpResult Get(const std::string& who, const std::string& target) { return s_.Get(target, as_[who]); }
  HttpResult Post(const std::string& who, const std::string& target, const Json& body) {
    return s_.SendJson("POST", target, body, as_[who]);
  }
  // Raises an item as `who` (category utilities and a title unless given); returns it.
  Json Raise(const std::string& who, Json body) {
    if (!body.contains("category")) body["category"] = "utilities";
    if (!body.contains("title")) body["title"] = "厂区供电接入迟迟未办";
    auto r = Post(who, "/api/v1/problems", body);
    EXPECT_EQ(r.status, 201) << r.body;
    return r.json();
  }
  // One action on `item` (its version taken from the item); on 200 `item`
  // becomes the answer.
  HttpResult Act(const std::string& who, Json& item, Json body) {
    body["version"] = item["version"];
    auto r = Post(who, "/api/v1/problems/" + std::to_string(item["id"].get<int64_t>()) + "/actions", body);
    if (r.status == 200) item = r.json();
    return r;
  }
  // POST /problems/import of a CSV file as `who`.
  HttpResult Import(const std::string& who, const std::string& csv, bool dry_run = false) {
    auto h = as_[who];
    h["Content-Type"] = "text/csv";
    return s_.Send("POST", std::string("/api/v1/problems/import") + (dry_run ? "?dry_run=true" : ""), csv, h);
  }
  Json Reload(const std::string& who, const Json& item) {
    return Get(who, "/api/v1/problems/" + std::to_string(item["id"].get<int64_t>())).json();
  }

  TestServer s_;
  std::map<std::string, std::map<std::string, std::string>> as_;  // login → its browser's headers
  std::vector<std::string> logins_;
};

}  // namespace zb::testing
