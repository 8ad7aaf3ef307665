// 问题台账 in Excel over HTTP (docs/api-problems.md § Routes), on both
// engines: the export holds exactly the list's items for the same filters
// and scope and opens as a real workbook; the import template lists the
// allowed values.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "api/problem_fixture.h"
#include "io/xlsx_reader.h"
#include "zip_member.h"

namespace zb::testing {
namespace {

// Every non-blank row of the first sheet, as the cells' text.
std::vector<std::vector<std::string>> Rows(const std::string& bytes) {
  std::vector<std::vector<std::string>> out;
  auto reader = io::XlsxReader::Open(bytes);
  EXPECT_TRUE(reader.ok()) << reader.status().ToString();
  if (!reader.ok()) return out;
  Status s = (*reader)->ReadSheet(size_t{0}, [&](const io::Row& row) -> Status {
    std::vector<std::string> cells;
    for (const auto& c : row.cells) cells.push_back(c.kind == io::CellKind::kDate ? c.date.ToString() : c.text);
    out.push_back(std::move(cells));
    return Status::Ok();
  });
  EXPECT_TRUE(s.ok()) << s.ToString();
  return out;
}

class ProblemIo : public ProblemFixture {
 protected:
  void SetUp() override {
    const int64_t root = RootUnitId(s_);
    const int64_t town_a = Unit("镇A", "TA", "town", root), town_b = Unit("镇B", "TB", "town", root);
    firm_a_ = Firm("示例科技有限公司", "914403001922038216", town_a);
    firm_b_ = Firm("另一家公司", "91110000100000000X", town_b);
    User("zhena", town_a, "town");
    SignInAll();
  }
  Json Raise(const std::string& title, int64_t firm, const std::string& category) {
    return ProblemFixture::Raise("admin", {{"title", title}, {"category", category}, {"enterprise_id", firm}, {"source", "visit"}});
  }

  int64_t firm_a_ = 0, firm_b_ = 0;
};

TEST_F(ProblemIo, TheExportFollowsTheListsFiltersAndScope) {
  Raise("厂区供电接入迟迟未办", firm_a_, "utilities");
  Raise("用工招聘难", firm_a_, "labour");
  Raise("=cmd|' /C calc'!A0", firm_b_, "utilities");

  auto r = s_.Get("/api/v1/problems/export?category=utilities&sort=code", as_["admin"]);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_NE(r.header("content-disposition").find("problems-20250926.xlsx"), std::string::npos);
  auto rows = Rows(r.body);
  // Title, filter line, header, the two utilities items in code order.
  ASSERT_EQ(rows.size(), 5u);
  EXPECT_EQ(rows[0][0], "本级单位问题台账");
  EXPECT_NE(rows[1][0].find("问题类别编码=utilities"), std::string::npos) << rows[1][0];
  EXPECT_EQ(rows[2], (std::vector<std::string>{"序号", "编号", "问题", "企业", "项目", "类别", "来源", "紧急程度",
                                               "提出时间", "责任单位", "协办单位", "办理时限", "状态", "逾期(工作日)",
                                               "办理结果", "办结时间", "销号时间", "满意度"}));
  ASSERT_GE(rows[3].size(), 13u);
  EXPECT_EQ(rows[3][0], "1");
  EXPECT_EQ(rows[3][1], "WT-2025-00001");
  EXPECT_EQ(rows[3][2], "厂区供电接入迟迟未办");
  EXPECT_EQ(rows[3][3], "示例科技有限公司");
  EXPECT_EQ(rows[3][5], "水电气暖配套");
  EXPECT_EQ(rows[3][6], "走访发现");
  EXPECT_EQ(rows[3][8], "2025-09-26");
  EXPECT_EQ(rows[3][12], "待受理");
  EXPECT_EQ(rows[4][2], "=cmd|' /C calc'!A0");  // text, never a formula
  const std::string xml = ZipMember(r.body, "xl/worksheets/sheet1.xml");
  EXPECT_EQ(xml.find("<f>"), std::string::npos);
  EXPECT_NE(xml.find("<pane"), std::string::npos) << "the header stays in view";

  // Town A sees only its enterprise's items.
  auto town = Rows(s_.Get("/api/v1/problems/export", as_["zhena"]).body);
  ASSERT_EQ(town.size(), 5u);
  for (size_t i = 3; i < town.size(); ++i) EXPECT_EQ(town[i][3], "示例科技有限公司");

  // A bad filter is refused like the list refuses it; the export is audited.
  auto bad = s_.Get("/api/v1/problems/export?status=nope", as_["admin"]);
  EXPECT_EQ(bad.status, 422);
  EXPECT_EQ(bad.json()["error"]["field"], "status");
  EXPECT_EQ(MakeInDb(s_, [](db::Connection& c) -> StatusOr<int64_t> {
              ZB_ASSIGN_OR_RETURN(auto row, c.QueryOne("SELECT COUNT(*) AS n FROM audit_log WHERE action = 'export' "
                                                       "AND entity_type = 'problem'"));
              return row->Int("n");
            }),
            2);
}

TEST_F(ProblemIo, TheImportTemplateListsTheAllowedValues) {
  auto t = s_.Get("/api/v1/problems/import-template", as_["admin"]);
  ASSERT_EQ(t.status, 200) << t.body;
  auto rows = Rows(t.body);
  ASSERT_GE(rows.size(), 2u);
  EXPECT_EQ(rows[0][0], "编号");
  EXPECT_EQ(rows[0][1], "问题");
  const std::string notes = ZipMember(t.body, "xl/worksheets/sheet2.xml");
  for (const char* expected : {"水电气暖配套", "走访发现", "待受理", "基本满意"}) {
    EXPECT_NE(notes.find(expected), std::string::npos) << expected;
  }
}

}  // namespace
}  // namespace zb::testing
