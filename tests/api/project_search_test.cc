// The project list's keyword search (GET /api/v1/projects?q=) end to end on
// both engines: terms of one, two and three characters — Chinese in either
// script, Latin, pinyin initials, two terms at once — find exactly the
// projects whose text holds them, through the trigram index (3+ characters)
// or the short terms' index (migration 0019); and the short terms' index
// follows the text when an enterprise is renamed and when an import renames
// a project: the new text is found, the old one no longer.
#include <gtest/gtest.h>

#include <cctype>
#include <cstdio>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "api/identity_helpers.h"
#include "api/test_server.h"
#include "io/xlsx.h"
#include "storage/enterprise_repo.h"

namespace zb::testing {
namespace {

const Date kToday = *Date::FromYmd(2026, 11, 24);
constexpr const char* kBoundary = "----zbSearchBoundary5Hq2Vx";

using Names = std::set<std::string>;

std::string Encode(const std::string& text) {
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.') {
      out += static_cast<char>(c);
    } else {
      char buf[4];
      std::snprintf(buf, sizeof buf, "%%%02X", c);
      out += buf;
    }
  }
  return out;
}

class ProjectSearch : public ::testing::Test {
 protected:
  void SetUp() override {
    s_.clock().SetToday(kToday, 9 * 3'600'000);
    s_.SignInAsAdmin();
    root_ = RootUnitId(s_);
    firm_ = MakeInDb(s_, [&](db::Connection& c) -> StatusOr<int64_t> {
      ZB_ASSIGN_OR_RETURN(auto e, storage::CreateEnterprise(
                                      c, {.name = "华新新材料有限公司", .credit_code = kValidCreditCode, .org_unit_id = root_},
                                      s_.clock().NowMs()));
      return e.id;
    });
    Create("烟台文双线道路改造工程", "新建沥青路面 4.2 公里");
    Create("東莞開發區光伏電站項目", "屋頂分佈式光伏");
    Create("莱山区光伏项目", "新建 100% 绿电车间", firm_);
    factory_code_ = Create("产业园标准厂房", "产业配套")["code"];
  }

  Json Create(const std::string& name, const std::string& content, std::optional<int64_t> firm = std::nullopt) {
    Json body = {{"name", name}, {"org_unit_id", root_}, {"construction_content", content}};
    if (firm) body["enterprise_id"] = *firm;
    auto r = s_.SendJson("POST", "/api/v1/projects", body);
    EXPECT_EQ(r.status, 201) << r.body;
    return r.json();
  }

  // The names the list shows for `q`, checked against its total.
  Names Found(const std::string& q) {
    auto r = s_.Get("/api/v1/projects?page_size=100&q=" + Encode(q));
    EXPECT_EQ(r.status, 200) << r.body;
    const Json j = r.json();
    Names out;
    for (const auto& p : j["items"]) out.insert(p["name"].get<std::string>());
    EXPECT_EQ(j["total"].get<size_t>(), out.size()) << q;
    return out;
  }

  TestServer s_;
  int64_t root_ = 0, firm_ = 0;
  std::string factory_code_;
};

const std::string kRoad = "烟台文双线道路改造工程";
const std::string kDongguan = "東莞開發區光伏電站項目";
const std::string kLaishan = "莱山区光伏项目";
const std::string kFactory = "产业园标准厂房";

TEST_F(ProjectSearch, EveryTermLengthFindsExactlyTheProjectsHoldingIt) {
  // One character.
  EXPECT_EQ(Found("光"), (Names{kDongguan, kLaishan}));
  EXPECT_EQ(Found("沥"), Names{kRoad});
  EXPECT_EQ(Found("電"), (Names{kDongguan, kLaishan})) << "電 folds to 电: 电站, 绿电";
  EXPECT_EQ(Found("%"), Names{kLaishan}) << "a character, not a wildcard";
  EXPECT_EQ(Found("鑫"), Names{});
  // Two characters: Chinese in either script, Latin, pinyin initials.
  EXPECT_EQ(Found("光伏"), (Names{kDongguan, kLaishan}));
  EXPECT_EQ(Found("產業"), Names{kFactory}) << "traditional finds simplified";
  EXPECT_EQ(Found("开发"), Names{kDongguan}) << "simplified finds traditional";
  EXPECT_EQ(Found("華新"), Names{kLaishan}) << "the enterprise's name";
  EXPECT_EQ(Found("gf"), (Names{kDongguan, kLaishan})) << "光伏's initials: dgkfqgfdzxm, lsqgfxm";
  EXPECT_EQ(Found("GF"), (Names{kDongguan, kLaishan}));
  EXPECT_EQ(Found("xm"), (Names{kRoad, kDongguan, kLaishan, kFactory})) << "every code is XM-…";
  EXPECT_EQ(Found("cy"), Names{kFactory});
  EXPECT_EQ(Found("程新"), Names{}) << "no match across two fields";
  EXPECT_EQ(Found("0%"), Names{kLaishan});
  EXPECT_EQ(Found("伏\""), Names{}) << "a quote is a character";
  // Three characters: the trigram index.
  EXPECT_EQ(Found("文双线"), Names{kRoad});
  EXPECT_EQ(Found("wsx"), Names{kRoad});
  EXPECT_EQ(Found("开发区"), Names{kDongguan});
  EXPECT_EQ(Found("光伏项"), Names{kLaishan});
  EXPECT_EQ(Found("xny"), Names{});
  // Several terms: every one must occur.
  EXPECT_EQ(Found("光伏 莱山"), Names{kLaishan});
  EXPECT_EQ(Found("莱山 光"), Names{kLaishan});
  EXPECT_EQ(Found("gf 屋頂"), Names{kDongguan});
  EXPECT_EQ(Found("光 电 伏"), (Names{kDongguan, kLaishan}));
  EXPECT_EQ(Found("光伏 产业"), Names{});
}

TEST_F(ProjectSearch, ShortTermsFollowAnEnterpriseRenameAndAnImport) {
  ASSERT_EQ(Found("华新"), Names{kLaishan});
  auto renamed = s_.SendJson("PATCH", "/api/v1/enterprises/" + std::to_string(firm_),
                             {{"name", "明德重工有限公司"}, {"version", 1}});
  ASSERT_EQ(renamed.status, 200) << renamed.body;
  EXPECT_EQ(Found("华新"), Names{}) << "the old name is gone";
  EXPECT_EQ(Found("明德"), Names{kLaishan});
  EXPECT_EQ(Found("重"), Names{kLaishan});
  EXPECT_EQ(Found("明德重工"), Names{kLaishan});

  // An import renames 产业园标准厂房 by its code.
  ASSERT_EQ(Found("厂房"), Names{kFactory});
  ASSERT_EQ(Found("cf"), Names{kFactory}) << "cyybzcf";
  auto xlsx = io::WriteXlsx({.name = "Sheet1",
                             .header = {"项目编号", "项目名称"},
                             .rows = {{factory_code_, std::string("海阳风电储能项目")}}});
  ASSERT_TRUE(xlsx.ok()) << xlsx.status().ToString();
  const std::string body = std::string("--") + kBoundary +
                           "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"ledger.xlsx\"\r\n"
                           "Content-Type: application/octet-stream\r\n\r\n" +
                           *xlsx + "\r\n--" + kBoundary + "--\r\n";
  auto imported = s_.Send("POST", "/api/v1/projects/import", body,
                          {{"Content-Type", std::string("multipart/form-data; boundary=") + kBoundary}});
  ASSERT_EQ(imported.status, 200) << imported.body;
  EXPECT_EQ(imported.json()["updated"], 1) << imported.body;
  EXPECT_EQ(Found("厂房"), Names{}) << "the old name is gone";
  EXPECT_EQ(Found("cf"), Names{}) << "and its initials";
  EXPECT_EQ(Found("风电"), Names{"海阳风电储能项目"});
  EXPECT_EQ(Found("hy"), Names{"海阳风电储能项目"}) << "hyfdcnxm";
  EXPECT_EQ(Found("產業"), Names{"海阳风电储能项目"}) << "the construction content is unchanged";
  EXPECT_EQ(Found("储能项"), Names{"海阳风电储能项目"});
}

}  // namespace
}  // namespace zb::testing
