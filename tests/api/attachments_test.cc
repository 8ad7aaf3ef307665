// /api/v1/attachments end to end on both engines: a photo uploaded by a
// 镇街 user, named in a progress entry, downloaded by someone who sees the
// project (with its UTF-8 name) and 404 for someone who does not; types
// told by content; the size limit.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "api/identity_helpers.h"
#include "api/test_server.h"

namespace zb::testing {
namespace {

const std::string kPng = std::string("\x89PNG\r\n\x1A\n\0\0\0\rIHDR", 16) + std::string(200, 'x');

std::string Multipart(const std::string& filename, const std::string& bytes) {
  return "--zbb\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + filename +
         "\"\r\nContent-Type: application/octet-stream\r\n\r\n" + bytes + "\r\n--zbb--\r\n";
}

class Attachments : public ::testing::Test {
 protected:
  // A body limit above 10 MiB, so the route's own limit is the one that answers.
  Attachments() : s_([](app::Config& c) { c.body_limit = 16 * 1024 * 1024; }) {}

  void SetUp() override {
    s_.clock().SetToday(*Date::FromYmd(2026, 9, 21), 9 * 3'600'000);
    s_.SignInAsAdmin();
    root_ = RootUnitId(s_);
    const int64_t town_a = AddUnit(s_, root_, "JJZ").id, town_b = AddUnit(s_, root_, "HLS").id;
    auto p = s_.SendJson("POST", "/api/v1/projects",
                         {{"name", "华新新材料项目"}, {"org_unit_id", town_a}, {"category", "manufacturing"}});
    ASSERT_EQ(p.status, 201) << p.body;
    auto plan = s_.SendJson("POST", "/api/v1/projects/" + p.json()["id"].dump() + "/plan", Json::object());
    ASSERT_EQ(plan.status, 201) << plan.body;
    progress_url_ = "/api/v1/projects/" + p.json()["id"].dump() + "/plan/nodes/" +
                    plan.json()["nodes"][0]["id"].dump() + "/progress";
    for (const char* login : {"jjz", "jjz2"}) AddUser(s_, login, town_a, {BuiltinRoleId(s_, "town")});
    AddUser(s_, "hls", town_b, {BuiltinRoleId(s_, "town")});
  }

  HttpResult Upload(const std::string& filename, const std::string& bytes) {
    return s_.Send("POST", "/api/v1/attachments", Multipart(filename, bytes),
                   {{"Content-Type", "multipart/form-data; boundary=zbb"}});
  }

  TestServer s_;
  int64_t root_ = 0;
  std::string progress_url_;
};

TEST_F(Attachments, APhotoOnAProgressEntryIsSeenByWhoSeesTheProject) {
  ASSERT_EQ(s_.SignIn("jjz", kUserPassword).status, 200);
  auto up = Upload("现场照片.png", kPng);
  ASSERT_EQ(up.status, 201) << up.body;
  const Json a = up.json();
  EXPECT_EQ(a["content_type"], "image/png") << "told by the bytes, not the name";
  EXPECT_EQ(a["size"], kPng.size());
  EXPECT_EQ(a["filename"], "现场照片.png");
  const std::string sha = a["sha256"].get<std::string>();
  EXPECT_TRUE(std::filesystem::exists(std::filesystem::path(s_.data_dir()) / "attachments" / sha.substr(0, 2) / sha.substr(2, 2) / sha));
  const std::string url = "/api/v1/attachments/" + a["id"].dump();

  // Not attached yet: only the uploader reads it.
  ASSERT_EQ(s_.SignIn("jjz2", kUserPassword).status, 200);
  EXPECT_EQ(s_.Get(url).status, 404);

  ASSERT_EQ(s_.SignIn("jjz", kUserPassword).status, 200);
  auto r = s_.SendJson("POST", progress_url_,
                       {{"started_on", "2026-09-21"}, {"note", "进场施工"}, {"attachment_ids", {a["id"]}}});
  ASSERT_EQ(r.status, 200) << r.body;
  auto history = s_.Get(progress_url_);
  ASSERT_EQ(history.json()["items"][0]["attachments"].size(), 1u);
  EXPECT_EQ(history.json()["items"][0]["attachments"][0]["filename"], "现场照片.png");
  // Used once: it cannot be attached again.
  auto twice = s_.SendJson("POST", progress_url_, {{"note", "再次引用"}, {"attachment_ids", {a["id"]}}});
  EXPECT_EQ(twice.status, 404);
  EXPECT_EQ(twice.json()["error"]["field"], "attachment_ids[0]");

  // Another user of the same town sees the project: the file, with its name.
  ASSERT_EQ(s_.SignIn("jjz2", kUserPassword).status, 200);
  auto got = s_.Get(url);
  ASSERT_EQ(got.status, 200);
  EXPECT_EQ(got.body, kPng);
  EXPECT_EQ(got.header("content-type"), "image/png");
  EXPECT_NE(got.header("content-disposition").find("filename*=UTF-8''%E7%8E%B0%E5%9C%BA%E7%85%A7%E7%89%87.png"),
            std::string::npos)
      << got.header("content-disposition");

  // Another town does not: 404, as for a missing one.
  ASSERT_EQ(s_.SignIn("hls", kUserPassword).status, 200);
  EXPECT_EQ(s_.Get(url).status, 404);
  EXPECT_EQ(s_.Get("/api/v1/attachments/999999").status, 404);
}

TEST_F(Attachments, TypesAreToldByContentAndSizeIsLimited) {
  ASSERT_EQ(s_.SignIn("jjz", kUserPassword).status, 200);
  auto text = Upload("photo.png", "just some text pretending to be a picture");
  EXPECT_EQ(text.status, 415) << text.body;
  auto pdf = Upload("批复.pdf", "%PDF-1.7\n" + std::string(100, ' '));
  EXPECT_EQ(pdf.status, 201) << pdf.body;
  EXPECT_EQ(pdf.json()["content_type"], "application/pdf");
  auto big = Upload("big.png", kPng + std::string(10 * 1024 * 1024, 'x'));
  EXPECT_EQ(big.status, 413) << big.body.substr(0, 200);
  auto raw = s_.Send("POST", "/api/v1/attachments", kPng, {{"Content-Type", "image/png"}});
  EXPECT_EQ(raw.status, 415);
  // Uploading needs node:progress or problem:write: a 领导 has neither.
  AddUser(s_, "lingdao", root_, {BuiltinRoleId(s_, "leader")});
  ASSERT_EQ(s_.SignIn("lingdao", kUserPassword).status, 200);
  EXPECT_EQ(Upload("a.png", kPng).status, 403);
  // An enterprise user uploads for its 诉求 (problem:write).
  AddUser(s_, "qiye", root_, {BuiltinRoleId(s_, "enterprise")});
  ASSERT_EQ(s_.SignIn("qiye", kUserPassword).status, 200);
  EXPECT_EQ(Upload("a.png", kPng).status, 201);
}

}  // namespace
}  // namespace zb::testing
