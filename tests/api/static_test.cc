// The built web app as a browser meets it.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "api/test_server.h"

namespace zb::testing {
namespace {

namespace fs = std::filesystem;

class StaticTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::temp_directory_path() / ("zb-web-" + std::to_string(::getpid()) + "-" +
                                         std::to_string(reinterpret_cast<uintptr_t>(this)));
    fs::create_directories(root_ / "assets");
    Write("index.html", "<!doctype html><html><body><div id=app></div>专班</body></html>");
    std::string js = "console.log('zhuanban');\n";
    for (int i = 0; i < 200; ++i) js += "export const v" + std::to_string(i) + " = '项目库';\n";
    Write("assets/index-abc123.js", js);
    Write("assets/logo.svg", "<svg xmlns='http://www.w3.org/2000/svg'/>");
    Write("favicon.ico", std::string("\0\0\1\0", 4));
    server_ = std::make_unique<TestServer>([this](app::Config& c) { c.web_root = root_.string(); });
  }
  void TearDown() override {
    server_.reset();
    fs::remove_all(root_);
  }
  void Write(const std::string& rel, const std::string& content) {
    std::ofstream(root_ / rel, std::ios::binary) << content;
  }
  fs::path root_;
  std::unique_ptr<TestServer> server_;
};

TEST_F(StaticTest, IndexAndAssetsWithTypesAndCaching) {
  auto index = server_->Get("/");
  EXPECT_EQ(index.status, 200);
  EXPECT_EQ(index.header("content-type"), "text/html; charset=utf-8");
  EXPECT_EQ(index.header("cache-control"), "no-cache");
  EXPECT_NE(index.body.find("专班"), std::string::npos);

  auto js = server_->Get("/assets/index-abc123.js");
  EXPECT_EQ(js.status, 200);
  EXPECT_EQ(js.header("content-type"), "text/javascript; charset=utf-8");
  EXPECT_NE(js.header("cache-control").find("immutable"), std::string::npos);
  EXPECT_EQ(server_->Get("/assets/logo.svg").header("content-type"), "image/svg+xml");
  EXPECT_EQ(server_->Get("/favicon.ico").header("content-type"), "image/x-icon");
}

TEST_F(StaticTest, ETagRevalidationAnswers304) {
  auto first = server_->Get("/assets/index-abc123.js");
  std::string etag = first.header("etag");
  ASSERT_FALSE(etag.empty());
  auto again = server_->Get("/assets/index-abc123.js", {{"If-None-Match", etag}});
  EXPECT_EQ(again.status, 304);
  EXPECT_TRUE(again.body.empty());
}

TEST_F(StaticTest, GzipWhenTheClientAcceptsIt) {
  auto plain = server_->Get("/assets/index-abc123.js");
  auto gz = server_->Get("/assets/index-abc123.js", {{"Accept-Encoding", "gzip, deflate, br"}});
  EXPECT_EQ(gz.header("content-encoding"), "gzip");
  EXPECT_EQ(gz.header("vary"), "Accept-Encoding");
  EXPECT_LT(gz.body.size(), plain.body.size() / 2);
  ASSERT_GE(gz.body.size(), 2u);
  EXPECT_EQ(static_cast<unsigned char>(gz.body[0]), 0x1f);  // gzip magic
  EXPECT_EQ(static_cast<unsigned char>(gz.body[1]), 0x8b);
  EXPECT_TRUE(plain.header("content-encoding").empty());
}

TEST_F(StaticTest, DeepLinksFallBackToTheApp) {
  auto deep = server_->Get("/system/org-units", {{"Accept", "text/html,application/xhtml+xml"}});
  EXPECT_EQ(deep.status, 200);
  EXPECT_NE(deep.body.find("id=app"), std::string::npos);
  EXPECT_EQ(server_->Get("/projects/12").status, 200);  // no extension: an app route
  // A missing asset is a 404, not the app's HTML under a JS name.
  auto missing = server_->Get("/assets/nope-123.js");
  EXPECT_EQ(missing.status, 404);
  EXPECT_TRUE(missing.json().contains("error"));
  // The API never falls back to HTML.
  auto api = server_->Get("/api/v1/projects-that-do-not-exist", {{"Accept", "text/html"}});
  EXPECT_EQ(api.status, 404);
  EXPECT_NE(api.header("content-type").find("application/json"), std::string::npos);
}

TEST_F(StaticTest, HeadGivesHeadersWithoutBody) {
  auto h = server_->Send("HEAD", "/", "");
  EXPECT_EQ(h.status, 200);
  EXPECT_TRUE(h.body.empty());
  EXPECT_NE(h.header("content-length"), "0");
}

TEST(StaticMissing, AMissingWebRootSaysSoInJson) {
  TestServer s([](app::Config& c) { c.web_root = "/nonexistent/zb-web"; });
  auto r = s.Get("/");
  EXPECT_EQ(r.status, 404);
  EXPECT_NE(r.json()["error"]["message"].get<std::string>().find("make web"), std::string::npos);
}

}  // namespace
}  // namespace zb::testing
