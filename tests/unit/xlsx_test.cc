// io/xlsx: the bytes are a real workbook. Each test writes one, then reads it
// back (zip_member.h: Python's zipfile, which checks every member's CRC) and
// looks at the XML Excel would read.
#include "io/xlsx.h"

#include <gtest/gtest.h>

#include <string>

#include "../zip_member.h"
#include "core/date.h"

namespace zb::io {
namespace {

using zb::testing::ZipMember;
using zb::testing::XlsxSheetText;

const int64_t kAt = ParseRfc3339("2026-11-23T18:47:24+08:00").value();

TEST(Xlsx, WritesHeaderTextIntegersAndChinaTimes) {
  XlsxSheet sheet{.name = "操作日志",
                  .header = {"序号", "时间", "账号", "变更内容"},
                  .rows = {{int64_t{1}, XlsxDateTime{kAt}, std::string("张三"), std::string("{\"name\":\"单位乙\"}")},
                           {int64_t{2}, XlsxDateTime{kAt}, std::string("lisi")}}};
  auto bytes = WriteXlsx(sheet);
  ASSERT_TRUE(bytes.ok()) << bytes.status().ToString();
  ASSERT_GT(bytes->size(), 100u);
  EXPECT_EQ(bytes->substr(0, 2), "PK");

  std::string xml = XlsxSheetText(*bytes);
  ASSERT_FALSE(xml.empty()) << "not a readable zip with a first sheet";
  for (const char* text : {"序号", "时间", "账号", "变更内容", "张三", "lisi", "单位乙"}) {
    EXPECT_NE(xml.find(text), std::string::npos) << text;
  }
  EXPECT_NE(xml.find("<v>2</v>"), std::string::npos) << "integers are numbers";
  // Excel's serial date: days since 1899-12-30 plus the China wall-clock
  // fraction of the day (18:47:24 → 0.78…).
  int64_t days = DaysBetween(*Date::FromYmd(1899, 12, 30), *Date::FromYmd(2026, 11, 23));
  EXPECT_NE(xml.find("<v>" + std::to_string(days) + ".78"), std::string::npos) << xml.substr(0, 2000);
  EXPECT_NE(ZipMember(*bytes, "xl/styles.xml").find("yyyy-mm-dd hh:mm:ss"), std::string::npos);
  EXPECT_NE(ZipMember(*bytes, "xl/workbook.xml").find("操作日志"), std::string::npos) << "the sheet's name";
}

TEST(Xlsx, FreezesTheHeaderAndSizesColumnsToTheirContent) {
  XlsxSheet sheet{.name = "Sheet",
                  .header = {"序号", "说明"},
                  .rows = {{int64_t{1}, std::string(std::string(40, 'x'))}, {int64_t{2}, std::string(500, 'y')}}};
  auto bytes = WriteXlsx(sheet);
  ASSERT_TRUE(bytes.ok());
  std::string xml = ZipMember(*bytes, "xl/worksheets/sheet1.xml");
  EXPECT_NE(xml.find("ySplit=\"1\""), std::string::npos) << "first row frozen";
  EXPECT_NE(xml.find("state=\"frozen\""), std::string::npos);
  // 序号 is 4 columns wide (two CJK characters) → the minimum 8; the long text is capped at 60.
  EXPECT_NE(xml.find("<col min=\"1\" max=\"1\" width=\"8.7109375\""), std::string::npos) << xml.substr(0, 1500);
  EXPECT_NE(xml.find("<col min=\"2\" max=\"2\" width=\"60.7109375\""), std::string::npos) << xml.substr(0, 1500);
}

TEST(Xlsx, TextIsMadeSafeForExcel) {
  std::string bad = std::string("a\x01") + "b\xff" + "c";  // a control character and an invalid byte
  std::string huge(40'000, 'z');
  auto bytes = WriteXlsx({.name = "S", .header = {"h"}, .rows = {{bad}, {huge}}});
  ASSERT_TRUE(bytes.ok()) << bytes.status().ToString();
  std::string xml = XlsxSheetText(*bytes);
  ASSERT_FALSE(xml.empty());
  EXPECT_NE(xml.find("ab\xEF\xBF\xBD" "c"), std::string::npos) << "control dropped, invalid byte → U+FFFD";
  EXPECT_NE(xml.find(std::string(32'767, 'z') + "<"), std::string::npos) << "cut at Excel's 32 767 characters";
  EXPECT_EQ(xml.find(std::string(32'768, 'z')), std::string::npos);
}

TEST(Xlsx, AnEmptySheetHasItsHeaderAndABadSheetNameIsRefused) {
  auto empty = WriteXlsx({.name = "登录日志", .header = {"时间", "结果"}});
  ASSERT_TRUE(empty.ok());
  EXPECT_NE(XlsxSheetText(*empty).find("结果"), std::string::npos);
  EXPECT_FALSE(WriteXlsx({.name = "a/b", .header = {"x"}}).ok());
  EXPECT_FALSE(WriteXlsx({.name = std::string(40, 'n'), .header = {"x"}}).ok());
}

}  // namespace
}  // namespace zb::io
