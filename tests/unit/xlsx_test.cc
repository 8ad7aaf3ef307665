// io/xlsx: the bytes are a real workbook. Each test writes one, then reads it
// back (zip_member.h: Python's zipfile, which checks every member's CRC) and
// looks at the XML Excel would read.
#include "io/xlsx.h"

#include <gtest/gtest.h>

#include <string>

#include "../zip_member.h"
#include "core/date.h"
#include "core/money.h"
#include "io/xlsx_reader.h"

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

// ---- title lines, dates, 万元 amounts, several sheets, streaming ----------------

namespace more {

// Every row of `sheet` as the importers will read it.
std::vector<Row> ReadBack(const std::string& bytes, size_t sheet = 0) {
  std::vector<Row> rows;
  auto reader = XlsxReader::Open(bytes);
  EXPECT_TRUE(reader.ok()) << reader.status().ToString();
  if (!reader.ok()) return rows;
  Status s = (*reader)->ReadSheet(sheet, [&](const Row& r) {
    rows.push_back(r);
    return Status::Ok();
  });
  EXPECT_TRUE(s.ok()) << s.ToString();
  return rows;
}

TEST(Xlsx, TitleLinesAreMergedAboveAFrozenHeader) {
  XlsxSheet sheet{.name = "项目台账",
                  .title = {"莱山区重点项目台账", "筛选: 建设阶段=在建 · 导出时间 2026-11-24 10:30"},
                  .header = {"序号", "项目名称", "总投资(万元)"},
                  .rows = {{int64_t{1}, std::string("文双线"), XlsxWan{123'456'789}}}};
  auto bytes = WriteXlsx(sheet);
  ASSERT_TRUE(bytes.ok()) << bytes.status().ToString();
  std::string xml = ZipMember(*bytes, "xl/worksheets/sheet1.xml");
  EXPECT_NE(xml.find("<mergeCell ref=\"A1:C1\"/>"), std::string::npos) << xml;
  EXPECT_NE(xml.find("<mergeCell ref=\"A2:C2\"/>"), std::string::npos);
  EXPECT_NE(xml.find("ySplit=\"3\""), std::string::npos) << "title lines and header frozen";
  EXPECT_NE(ZipMember(*bytes, "xl/styles.xml").find("sz val=\"16\""), std::string::npos) << "a larger title";

  auto rows = ReadBack(*bytes);
  ASSERT_EQ(rows.size(), 4u);
  EXPECT_EQ(rows[0].cells[0].text, "莱山区重点项目台账");
  EXPECT_EQ(rows[1].cells[0].text, "筛选: 建设阶段=在建 · 导出时间 2026-11-24 10:30");
  EXPECT_EQ(rows[2].number, 3);
  EXPECT_EQ(rows[2].cells[2].text, "总投资(万元)");
  EXPECT_EQ(rows[3].number, 4);
}

TEST(Xlsx, AmountsInWanKeepEveryYuanAndShowTwoDecimals) {
  // 12345.6789 万元 is shown 12,345.68 but stored exactly; so are the extremes.
  std::vector<int64_t> amounts = {123'456'789, 1, 0, 5'000, 99'999'999, 900'000'000'000'000 + 1234};
  XlsxSheet sheet{.name = "S", .header = {"总投资(万元)"}};
  for (int64_t y : amounts) sheet.rows.push_back({XlsxWan{y}});
  auto bytes = WriteXlsx(sheet);
  ASSERT_TRUE(bytes.ok());
  std::string styles = ZipMember(*bytes, "xl/styles.xml");
  EXPECT_TRUE(styles.find("numFmtId=\"4\"") != std::string::npos ||
              styles.find("formatCode=\"#,##0.00\"") != std::string::npos)
      << styles;
  auto rows = ReadBack(*bytes);
  ASSERT_EQ(rows.size(), amounts.size() + 1);
  for (size_t i = 0; i < amounts.size(); ++i) {
    const Cell& c = rows[i + 1].cells.empty() ? Cell{} : rows[i + 1].cells[0];
    ASSERT_EQ(c.kind, CellKind::kNumber) << i;
    // As Excel reads it: 15 significant digits (the file may hold 16:
    // 9999.9999 is written 9999.999900000001, the same double).
    auto back = Money::Parse(ExcelNumberText(c.number), {.default_unit = MoneyUnit::kWan});
    ASSERT_TRUE(back.ok()) << c.text << " " << back.status().ToString();
    EXPECT_EQ(back->yuan(), amounts[i]) << c.text;
  }
  EXPECT_EQ(rows[1].cells[0].text, "12345.6789");
  EXPECT_EQ(ExcelNumberText(9999.9999), "9999.9999");
  EXPECT_EQ(ExcelNumberText(13812345678), "13812345678");
  EXPECT_EQ(ExcelNumberText(0.1 + 0.2), "0.3");
  EXPECT_EQ(ExcelNumberText(-2.5), "-2.5");
  EXPECT_EQ(ExcelNumberText(1e-7), "0.0000001");
}

TEST(Xlsx, DatesAreRealExcelDates) {
  XlsxSheet sheet{.name = "S",
                  .header = {"计划开工", "时间"},
                  .rows = {{XlsxDate{*Date::FromYmd(2024, 3, 1)}, XlsxDateTime{kAt}}}};
  auto bytes = WriteXlsx(sheet);
  ASSERT_TRUE(bytes.ok());
  EXPECT_NE(ZipMember(*bytes, "xl/styles.xml").find("formatCode=\"yyyy-mm-dd\""), std::string::npos);
  auto rows = ReadBack(*bytes);
  ASSERT_EQ(rows.size(), 2u);
  ASSERT_EQ(rows[1].cells[0].kind, CellKind::kDate);
  EXPECT_EQ(rows[1].cells[0].date, *Date::FromYmd(2024, 3, 1));
  EXPECT_EQ(rows[1].cells[0].seconds, 0);
  ASSERT_EQ(rows[1].cells[1].kind, CellKind::kDate);
  EXPECT_EQ(rows[1].cells[1].seconds, 18 * 3600 + 47 * 60 + 24);
}

TEST(Xlsx, FormulaLookingTextStaysText) {
  const std::string hostile = "=cmd|' /C calc'!A0";
  auto bytes = WriteXlsx({.name = "S", .header = {"项目名称"}, .rows = {{hostile}, {std::string("+1+2")}}});
  ASSERT_TRUE(bytes.ok());
  std::string xml = ZipMember(*bytes, "xl/worksheets/sheet1.xml");
  EXPECT_EQ(xml.find("<f>"), std::string::npos) << "no formula cells";
  auto rows = ReadBack(*bytes);
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[1].cells[0].kind, CellKind::kText);
  EXPECT_EQ(rows[1].cells[0].text, hostile);
}

TEST(Xlsx, GivenWidthsWinAndSeveralSheetsKeepTheirOrder) {
  auto bytes = WriteXlsxSheets({
      {.name = "项目", .header = {"项目名称", "序号"}, .widths = {30}, .rows = {{std::string("x"), int64_t{1}}}},
      {.name = "说明", .header = {"列", "说明"}, .rows = {{std::string("项目名称"), std::string("必填")}}}});
  ASSERT_TRUE(bytes.ok()) << bytes.status().ToString();
  std::string xml = ZipMember(*bytes, "xl/worksheets/sheet1.xml");
  EXPECT_NE(xml.find("<col min=\"1\" max=\"1\" width=\"30.7109375\""), std::string::npos) << xml.substr(0, 1500);
  auto reader = XlsxReader::Open(*bytes);
  ASSERT_TRUE(reader.ok());
  EXPECT_EQ((*reader)->SheetNames(), (std::vector<std::string>{"项目", "说明"}));
  auto second = ReadBack(*bytes, 1);
  ASSERT_EQ(second.size(), 2u);
  EXPECT_EQ(second[1].cells[1].text, "必填");
}

TEST(Xlsx, TheStreamingWriterWritesRowsAsTheyCome) {
  auto writer = XlsxWriter::Create();
  ASSERT_TRUE(writer.ok());
  ASSERT_TRUE((*writer)->AddSheet({.name = "台账", .title = {"标题"}, .header = {"序号", "名称"}}).ok());
  // ~8 MiB of sheet XML: deflated in pieces while rows are still coming.
  const std::string filler(150, 'x');
  for (int64_t i = 1; i <= 40'000; ++i) {
    ASSERT_TRUE((*writer)->AddRow({i, "项目" + std::to_string(i), filler}).ok());
  }
  auto bytes = (*writer)->Finish();
  ASSERT_TRUE(bytes.ok()) << bytes.status().ToString();
  EXPECT_FALSE((*writer)->AddRow({int64_t{1}}).ok()) << "spent";
  auto rows = ReadBack(*bytes);
  ASSERT_EQ(rows.size(), 40'002u);
  EXPECT_EQ(rows[1001].cells[1].text, "项目1000");
  EXPECT_EQ(rows.back().number, 40'002);
  EXPECT_EQ(rows.back().cells[1].text, "项目40000");
  EXPECT_FALSE(ZipMember(*bytes, "xl/worksheets/sheet1.xml").empty()) << "Python's zipfile checks the CRC";
}

TEST(Xlsx, EveryKindOfCellReadsBackAsWritten) {
  // XML specials, Chinese, blanks at the edges and a line break; numbers;
  // dates; empty cells between and at the end (dropped by the reader).
  const std::string specials = "<a & b> \"引号\" 'x' ]]>";
  XlsxSheet sheet{.name = "数据",
                  .header = {"文本", "空", "整数", "日期", "时间", "万元", "多行"},
                  .rows = {{specials, XlsxCell(), int64_t{-13812345678}, XlsxDate{*Date::FromYmd(1999, 12, 31)},
                            XlsxDateTime{kAt}, XlsxWan{-1'250'000}, std::string("  莱山区\n第二行 "),
                            std::string(), XlsxCell()},
                           {std::string("项目"), std::string(""), int64_t{0}}}};
  auto bytes = WriteXlsx(sheet);
  ASSERT_TRUE(bytes.ok()) << bytes.status().ToString();
  auto rows = ReadBack(*bytes);
  ASSERT_EQ(rows.size(), 3u);
  const auto& c = rows[1].cells;
  ASSERT_EQ(c.size(), 7u) << "trailing empty cells are no cells";
  EXPECT_EQ(c[0].kind, CellKind::kText);
  EXPECT_EQ(c[0].text, specials);
  EXPECT_EQ(c[1].kind, CellKind::kEmpty);
  EXPECT_EQ(c[2].kind, CellKind::kNumber);
  EXPECT_EQ(c[2].text, "-13812345678");
  ASSERT_EQ(c[3].kind, CellKind::kDate);
  EXPECT_EQ(c[3].date, *Date::FromYmd(1999, 12, 31));
  ASSERT_EQ(c[4].kind, CellKind::kDate);
  EXPECT_EQ(c[4].date, *Date::FromYmd(2026, 11, 23));
  EXPECT_EQ(c[4].seconds, 18 * 3600 + 47 * 60 + 24);
  EXPECT_EQ(c[5].kind, CellKind::kNumber);
  EXPECT_EQ(c[5].text, "-125");
  EXPECT_EQ(c[6].text, "  莱山区\n第二行 ") << "blanks at the edges kept";
  ASSERT_EQ(rows[2].cells.size(), 3u);
  EXPECT_EQ(rows[2].cells[1].kind, CellKind::kEmpty) << "empty text is an empty cell";
  EXPECT_EQ(rows[2].cells[2].text, "0");
}

TEST(Xlsx, SheetNamesAreUniqueIgnoringCase) {
  EXPECT_FALSE(WriteXlsxSheets({{.name = "Data", .header = {"x"}}, {.name = "data", .header = {"x"}}}).ok());
  EXPECT_FALSE(WriteXlsx({.name = "'引号'", .header = {"x"}}).ok());
  EXPECT_TRUE(WriteXlsx({.name = std::string("三十一个字符的名字") + std::string(22, 'n'), .header = {"x"}}).ok());
}

}  // namespace more

}  // namespace
}  // namespace zb::io
