// Service's admission rules with a stand-in authenticator: who reaches a
// handler, and what everyone else is told.
#include <gtest/gtest.h>

#include "http/service.h"

namespace zb::http {
namespace {

class FakeAuthenticator : public Authenticator {
 public:
  std::shared_ptr<const Principal> principal;  // null: unauthenticated
  StatusOr<std::shared_ptr<const Principal>> Authenticate(const Request&) override {
    if (!principal) return Unauthenticated("请先登录 (sign in first)");
    return principal;
  }
};

class ServiceAuthTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto router = std::make_unique<Router>();
    auto ok = [](Request& req) -> StatusOr<Response> {
      return Response::Json({{"user", req.principal() ? req.principal()->login : ""}});
    };
    router->Add("GET", "/api/v1/open", {.summary = "s", .permission = "public"}, ok);
    router->Add("GET", "/api/v1/me", {.summary = "s", .permission = "authenticated", .allow_before_password_change = true}, ok);
    router->Add("GET", "/api/v1/units", {.summary = "s", .permission = "org:read"}, ok);
    router->Add("POST", "/api/v1/units", {.summary = "s", .permission = "org:write"}, ok);
    service_ = std::make_unique<Service>(std::move(router), nullptr, nullptr);
    auth_ = std::make_shared<FakeAuthenticator>();
    service_->set_authenticator(auth_);
  }

  int Call(boost::beast::http::verb verb, const std::string& target, const std::string& csrf = "") {
    BeastRequest msg{verb, target, 11};
    if (!csrf.empty()) msg.set("X-CSRF-Token", csrf);
    auto req = Request::From(std::move(msg), "127.0.0.1");
    EXPECT_TRUE(req.ok());
    last_ = service_->Handle(*req);
    return last_.status;
  }

  void SignIn(std::vector<std::string> perms, bool via_token = false, bool must_change = false) {
    auto p = std::make_shared<Principal>();
    p->user_id = 7;
    p->login = "zhangsan";
    p->permissions = std::move(perms);
    p->via_token = via_token;
    p->csrf_token = via_token ? "" : "csrf-123";
    p->must_change_password = must_change;
    auth_->principal = p;
  }

  std::unique_ptr<Service> service_;
  std::shared_ptr<FakeAuthenticator> auth_;
  Response last_;
};

using boost::beast::http::verb;

TEST_F(ServiceAuthTest, PublicRoutesNeedNoSession) {
  EXPECT_EQ(Call(verb::get, "/api/v1/open"), 200);
}

TEST_F(ServiceAuthTest, NoSessionIs401) {
  EXPECT_EQ(Call(verb::get, "/api/v1/units"), 401);
  EXPECT_NE(last_.body.find("unauthenticated"), std::string::npos);
  EXPECT_EQ(Call(verb::get, "/api/v1/me"), 401);
}

TEST_F(ServiceAuthTest, MissingPermissionIs403AndNamesIt) {
  SignIn({"org:read"});
  EXPECT_EQ(Call(verb::get, "/api/v1/units"), 200);
  EXPECT_NE(last_.body.find("zhangsan"), std::string::npos);
  EXPECT_EQ(Call(verb::post, "/api/v1/units", "csrf-123"), 403);
  EXPECT_NE(last_.body.find("org:write"), std::string::npos);
}

TEST_F(ServiceAuthTest, CookieSessionsNeedTheCsrfTokenOnUnsafeMethods) {
  SignIn({"org:read", "org:write"});
  EXPECT_EQ(Call(verb::post, "/api/v1/units"), 403);
  EXPECT_NE(last_.body.find("CSRF"), std::string::npos);
  EXPECT_EQ(Call(verb::post, "/api/v1/units", "wrong"), 403);
  EXPECT_EQ(Call(verb::post, "/api/v1/units", "csrf-123"), 200);
  EXPECT_EQ(Call(verb::get, "/api/v1/units"), 200);  // safe methods need none
}

TEST_F(ServiceAuthTest, BearerTokensNeedNoCsrf) {
  SignIn({"org:write"}, /*via_token=*/true);
  EXPECT_EQ(Call(verb::post, "/api/v1/units"), 200);
}

TEST_F(ServiceAuthTest, ForcedPasswordChangeAdmitsOnlyMarkedRoutes) {
  SignIn({"org:read"}, false, /*must_change=*/true);
  EXPECT_EQ(Call(verb::get, "/api/v1/units"), 403);
  EXPECT_NE(last_.body.find("修改密码"), std::string::npos);
  EXPECT_EQ(Call(verb::get, "/api/v1/me"), 200);
}

}  // namespace
}  // namespace zb::http
