// io/xlsx_reader: workbooks from our own writer, and hand-made ones (the XML
// parts zipped by Python's zipfile) covering what Excel and WPS write.
#include "io/xlsx_reader.h"

#include <gtest/gtest.h>
#include <stdlib.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "core/date.h"
#include "io/xlsx.h"

namespace zb::io {
namespace {

using Members = std::vector<std::pair<std::string, std::string>>;

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

// A zip of `members` (name → content), deflated, built by Python's zipfile.
std::string MakeZip(const Members& members) {
  char dir[] = "/tmp/zb-xlsx-reader-XXXXXX";
  EXPECT_NE(::mkdtemp(dir), nullptr);
  std::string cmd = std::string("python3 -c 'import sys, zipfile\n") +
                    "d = sys.argv[1]\n"
                    "z = zipfile.ZipFile(d + \"/out.zip\", \"w\", zipfile.ZIP_DEFLATED)\n"
                    "for i, name in enumerate(sys.argv[2:]): z.write(d + \"/\" + str(i), name)\n"
                    "z.close()' " + dir;
  for (size_t i = 0; i < members.size(); ++i) {
    std::ofstream(std::string(dir) + "/" + std::to_string(i), std::ios::binary) << members[i].second;
    cmd += " '" + members[i].first + "'";
  }
  EXPECT_EQ(std::system(cmd.c_str()), 0) << cmd;
  std::string zip = ReadFile(std::string(dir) + "/out.zip");
  std::system(("rm -rf " + std::string(dir)).c_str());
  return zip;
}

struct Book {
  std::vector<std::pair<std::string, std::string>> sheets;  // name, the <sheetData> content
  std::string shared_strings;                               // <si> elements
  std::string num_fmts;                                     // <numFmt> elements
  std::string cell_xfs = "<xf numFmtId=\"0\"/>";            // <xf> elements, style 0 first
  bool date1904 = false;
};

constexpr const char* kMain = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
constexpr const char* kRel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

Members Parts(const Book& book) {
  std::string sheets, rels;
  Members parts;
  for (size_t i = 0; i < book.sheets.size(); ++i) {
    std::string n = std::to_string(i + 1);
    sheets += "<sheet name=\"" + book.sheets[i].first + "\" sheetId=\"" + n + "\" r:id=\"rId" + n + "\"/>";
    rels += "<Relationship Id=\"rId" + n + "\" Type=\"" + kRel + "/worksheet\" Target=\"worksheets/sheet" + n +
            ".xml\"/>";
    parts.push_back({"xl/worksheets/sheet" + n + ".xml", std::string("<?xml version=\"1.0\"?><worksheet xmlns=\"") +
                                                             kMain + "\"><sheetData>" + book.sheets[i].second +
                                                             "</sheetData></worksheet>"});
  }
  rels += std::string("<Relationship Id=\"rId90\" Type=\"") + kRel + "/styles\" Target=\"styles.xml\"/>";
  rels += std::string("<Relationship Id=\"rId91\" Type=\"") + kRel + "/sharedStrings\" Target=\"/xl/sharedStrings.xml\"/>";
  parts.push_back({"xl/workbook.xml", std::string("<?xml version=\"1.0\"?><workbook xmlns=\"") + kMain +
                                          "\" xmlns:r=\"" + kRel + "\"><workbookPr" +
                                          (book.date1904 ? " date1904=\"1\"" : "") + "/><sheets>" + sheets +
                                          "</sheets></workbook>"});
  parts.push_back({"xl/_rels/workbook.xml.rels",
                   "<?xml version=\"1.0\"?><Relationships "
                   "xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">" +
                       rels + "</Relationships>"});
  parts.push_back({"xl/styles.xml", std::string("<styleSheet xmlns=\"") + kMain + "\"><numFmts>" + book.num_fmts +
                                        "</numFmts><cellStyleXfs><xf numFmtId=\"14\"/></cellStyleXfs><cellXfs>" +
                                        book.cell_xfs + "</cellXfs></styleSheet>"});
  parts.push_back({"xl/sharedStrings.xml",
                   std::string("<sst xmlns=\"") + kMain + "\">" + book.shared_strings + "</sst>"});
  return parts;
}

std::string MakeXlsx(const Book& book) { return MakeZip(Parts(book)); }

std::vector<Row> ReadAll(XlsxReader& reader, std::string_view sheet) {
  std::vector<Row> rows;
  Status status = reader.ReadSheet(sheet, [&](const Row& row) {
    rows.push_back(row);
    return Status::Ok();
  });
  EXPECT_TRUE(status.ok()) << status.ToString();
  return rows;
}

std::vector<Row> ReadOnlySheet(const std::string& bytes) {
  auto reader = XlsxReader::Open(bytes);
  EXPECT_TRUE(reader.ok()) << reader.status().ToString();
  if (!reader.ok()) return {};
  return ReadAll(**reader, (*reader)->SheetNames().at(0));
}

Date Ymd(int y, int m, int d) { return *Date::FromYmd(y, m, d); }

TEST(XlsxReader, ReadsBackOurOwnExport) {
  const int64_t at = ParseRfc3339("2026-11-23T18:47:24+08:00").value();
  XlsxSheet sheet{.name = "项目库",
                  .header = {"序号", "项目名称", "填报时间", "备注"},
                  .rows = {{int64_t{1}, std::string("城东污水处理厂"), XlsxDateTime{at}, std::string("第一期")},
                           {int64_t{2}, std::monostate{}, XlsxDateTime{at}}}};
  auto bytes = WriteXlsx(sheet);
  ASSERT_TRUE(bytes.ok()) << bytes.status().ToString();

  // Also through a path, as an upload saved to disk would be read.
  char path[] = "/tmp/zb-xlsx-reader-XXXXXX";
  int fd = ::mkstemp(path);
  ASSERT_GE(fd, 0);
  std::ofstream(path, std::ios::binary) << *bytes;
  ::close(fd);
  auto reader = XlsxReader::OpenFile(path);
  ::unlink(path);
  ASSERT_TRUE(reader.ok()) << reader.status().ToString();
  EXPECT_EQ((*reader)->SheetNames(), std::vector<std::string>{"项目库"});

  std::vector<Row> rows = ReadAll(**reader, "项目库");
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0].number, 1);
  ASSERT_EQ(rows[0].cells.size(), 4u);
  EXPECT_EQ(rows[0].cells[1].kind, CellKind::kText);
  EXPECT_EQ(rows[0].cells[1].text, "项目名称");

  const Row& first = rows[1];
  EXPECT_EQ(first.number, 2);
  EXPECT_EQ(first.cells[0].kind, CellKind::kNumber);
  EXPECT_EQ(first.cells[0].number, 1);
  EXPECT_EQ(first.cells[0].text, "1");
  EXPECT_EQ(first.cells[1].text, "城东污水处理厂");
  EXPECT_EQ(first.cells[2].kind, CellKind::kDate);
  EXPECT_EQ(first.cells[2].date, Ymd(2026, 11, 23));
  EXPECT_EQ(first.cells[2].seconds, 18 * 3600 + 47 * 60 + 24);
  EXPECT_EQ(first.cells[2].text, "2026-11-23 18:47:24");
  EXPECT_EQ(first.cells[3].text, "第一期");

  ASSERT_EQ(rows[2].cells.size(), 3u) << "no trailing empty cell";
  EXPECT_EQ(rows[2].cells[1].kind, CellKind::kEmpty) << "the empty cell stays a gap";
  EXPECT_EQ(rows[2].cells[2].kind, CellKind::kDate);
}

TEST(XlsxReader, SharedInlineRichAndFormulaText) {
  Book book;
  book.shared_strings =
      "<si><t>项目名称</t></si>"
      "<si><r><rPr><b/></rPr><t>城东</t></r><r><t xml:space=\"preserve\"> 污水厂</t></r>"
      "<rPh sb=\"0\" eb=\"1\"><t>chengdong</t></rPh></si>"
      "<si><t>第一行_x000D_\n第二行 a_x005F_b</t></si>"
      "<si><t/></si>";
  book.sheets = {{"Sheet1",
                  "<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c><c r=\"B1\" t=\"s\"><v>1</v></c>"
                  "<c r=\"C1\" t=\"s\"><v>2</v></c><c r=\"D1\" t=\"s\"><v>3</v></c></row>"
                  "<row r=\"2\"><c r=\"A2\" t=\"inlineStr\"><is><t>内联 &amp; 文本</t></is></c>"
                  "<c r=\"B2\" t=\"inlineStr\"><is><r><t>富</t></r><r><t>文本</t></r></is></c>"
                  "<c r=\"C2\" t=\"str\"><f>A2&amp;\"!\"</f><v>内联 &amp; 文本!</v></c></row>"}};
  std::vector<Row> rows = ReadOnlySheet(MakeXlsx(book));
  ASSERT_EQ(rows.size(), 2u);
  ASSERT_EQ(rows[0].cells.size(), 3u) << "an empty shared string is an empty cell";
  EXPECT_EQ(rows[0].cells[0].text, "项目名称");
  EXPECT_EQ(rows[0].cells[1].text, "城东 污水厂") << "runs joined, phonetic guide dropped";
  EXPECT_EQ(rows[0].cells[2].text, "第一行\r\n第二行 a_b");
  ASSERT_EQ(rows[1].cells.size(), 3u);
  for (const Cell& cell : rows[1].cells) EXPECT_EQ(cell.kind, CellKind::kText);
  EXPECT_EQ(rows[1].cells[0].text, "内联 & 文本");
  EXPECT_EQ(rows[1].cells[1].text, "富文本");
  EXPECT_EQ(rows[1].cells[2].text, "内联 & 文本!");
}

TEST(XlsxReader, NumbersBooleansErrorsGapsAndMissingReferences) {
  Book book;
  book.sheets = {{"数据",
                  "<row r=\"1\"><c r=\"A1\"><v>110108012345678</v></c><c r=\"B1\" t=\"n\"><v>13812345678</v></c>"
                  "<c r=\"C1\"><v>3.25</v></c><c r=\"D1\"><v>1.5E-3</v></c><c r=\"E1\"><v>-42</v></c></row>"
                  "<row r=\"2\"><c r=\"A2\" t=\"b\"><v>1</v></c><c r=\"B2\" t=\"b\"><v>0</v></c>"
                  "<c r=\"C2\" t=\"e\"><v>#N/A</v></c><c r=\"D2\"><f>1/0</f></c></row>"
                  "<row r=\"4\"><c r=\"A4\" s=\"0\"/><c r=\"B4\"/></row>"  // formatted but empty: not delivered
                  "<row r=\"5\"><c r=\"B5\"><v>2</v></c><c r=\"AB5\"><v>28</v></c></row>"
                  "<row><c><v>1</v></c><c><v>2</v></c><c r=\"E6\"><v>5</v></c><c><v>6</v></c></row>"}};
  std::vector<Row> rows = ReadOnlySheet(MakeXlsx(book));
  ASSERT_EQ(rows.size(), 4u);

  const Row& numbers = rows[0];
  ASSERT_EQ(numbers.cells.size(), 5u);
  EXPECT_EQ(numbers.cells[0].kind, CellKind::kNumber);
  EXPECT_EQ(numbers.cells[0].text, "110108012345678") << "all 15 digits, not 1.10108E+14";
  EXPECT_EQ(numbers.cells[0].number, 110108012345678.0);
  EXPECT_EQ(numbers.cells[1].text, "13812345678");
  EXPECT_EQ(numbers.cells[2].number, 3.25);
  EXPECT_EQ(numbers.cells[3].number, 0.0015);
  EXPECT_EQ(numbers.cells[3].text, "1.5E-3");
  EXPECT_EQ(numbers.cells[4].number, -42);

  const Row& other = rows[1];
  ASSERT_EQ(other.cells.size(), 3u) << "a formula without a cached value is empty";
  EXPECT_EQ(other.cells[0].kind, CellKind::kBoolean);
  EXPECT_EQ(other.cells[0].text, "TRUE");
  EXPECT_EQ(other.cells[1].text, "FALSE");
  EXPECT_EQ(other.cells[1].number, 0);
  EXPECT_EQ(other.cells[2].kind, CellKind::kError);
  EXPECT_EQ(other.cells[2].text, "#N/A");

  EXPECT_EQ(rows[2].number, 5) << "blank rows are skipped, numbers kept";
  ASSERT_EQ(rows[2].cells.size(), 28u);
  EXPECT_EQ(rows[2].cells[0].kind, CellKind::kEmpty);
  EXPECT_EQ(rows[2].cells[1].text, "2");
  EXPECT_EQ(rows[2].cells[27].text, "28") << "AB is column 28";

  EXPECT_EQ(rows[3].number, 6) << "a row without r follows the previous one";
  ASSERT_EQ(rows[3].cells.size(), 6u);
  EXPECT_EQ(rows[3].cells[0].text, "1");
  EXPECT_EQ(rows[3].cells[1].text, "2");
  EXPECT_EQ(rows[3].cells[2].kind, CellKind::kEmpty);
  EXPECT_EQ(rows[3].cells[4].text, "5");
  EXPECT_EQ(rows[3].cells[5].text, "6") << "a cell without r follows the previous one";
}

TEST(XlsxReader, DatesFromBuiltInAndCustomFormats) {
  const int serial = static_cast<int>(DaysBetween(Ymd(1899, 12, 30), Ymd(2026, 11, 23)));
  const std::string s = std::to_string(serial);
  Book book;
  book.num_fmts =
      "<numFmt numFmtId=\"176\" formatCode=\"yyyy&quot;年&quot;m&quot;月&quot;d&quot;日&quot;\"/>"
      "<numFmt numFmtId=\"177\" formatCode=\"0.00&quot;d&quot;\"/>"
      "<numFmt numFmtId=\"178\" formatCode=\"[Red]#,##0.00\"/>"
      "<numFmt numFmtId=\"179\" formatCode=\"[$-804]yyyy/m/d\\ h:mm\"/>"
      "<numFmt numFmtId=\"180\" formatCode=\"[h]:mm\"/>";
  // Styles: 1 → 14 (m/d/yyyy), 2 → 22 (date time), 3 → 20 (h:mm), 4 → 31
  // (Chinese yyyy年m月d日), 5 → 176, 6 → 177, 7 → 178, 8 → 179, 9 → 180,
  // 10 → 4 (#,##0.00).
  book.cell_xfs +=
      "<xf numFmtId=\"14\"/><xf numFmtId=\"22\"/><xf numFmtId=\"20\"/><xf numFmtId=\"31\"/>"
      "<xf numFmtId=\"176\"/><xf numFmtId=\"177\"/><xf numFmtId=\"178\"/><xf numFmtId=\"179\"/>"
      "<xf numFmtId=\"180\"/><xf numFmtId=\"4\"/>";
  book.sheets = {{"日期",
                  "<row r=\"1\"><c r=\"A1\" s=\"1\"><v>" + s + "</v></c><c r=\"B1\" s=\"2\"><v>" + s +
                      ".5</v></c><c r=\"C1\" s=\"3\"><v>0.75</v></c><c r=\"D1\" s=\"4\"><v>" + s +
                      "</v></c><c r=\"E1\" s=\"5\"><v>" + s + "</v></c><c r=\"F1\" s=\"6\"><v>" + s +
                      "</v></c><c r=\"G1\" s=\"7\"><v>" + s + "</v></c><c r=\"H1\" s=\"8\"><v>" + s +
                      ".25</v></c><c r=\"I1\" s=\"9\"><v>1.5</v></c><c r=\"J1\" s=\"10\"><v>" + s +
                      "</v></c><c r=\"K1\" s=\"99\"><v>7</v></c></row>"
                      // 1900 system edges: 1900-01-01, 1900-02-28, the fictitious 02-29, 03-01;
                      // a serial rounding up to the next day; a negative serial is no date.
                      "<row r=\"2\"><c r=\"A2\" s=\"1\"><v>1</v></c><c r=\"B2\" s=\"1\"><v>59</v></c>"
                      "<c r=\"C2\" s=\"1\"><v>60</v></c><c r=\"D2\" s=\"1\"><v>61</v></c>"
                      "<c r=\"E2\" s=\"2\"><v>" + s + ".999999</v></c><c r=\"F2\" s=\"1\"><v>-1</v></c></row>"}};
  std::vector<Row> rows = ReadOnlySheet(MakeXlsx(book));
  ASSERT_EQ(rows.size(), 2u);
  const auto& c = rows[0].cells;
  ASSERT_EQ(c.size(), 11u);
  EXPECT_EQ(c[0].kind, CellKind::kDate);
  EXPECT_EQ(c[0].date, Ymd(2026, 11, 23));
  EXPECT_EQ(c[0].seconds, 0);
  EXPECT_EQ(c[0].text, "2026-11-23");
  EXPECT_EQ(c[0].number, serial);
  EXPECT_EQ(c[1].text, "2026-11-23 12:00:00");
  EXPECT_EQ(c[2].kind, CellKind::kDate) << "a time of day";
  EXPECT_EQ(c[2].seconds, 18 * 3600);
  EXPECT_EQ(c[3].text, "2026-11-23") << "built-in 31, Chinese yyyy年m月d日";
  EXPECT_EQ(c[4].text, "2026-11-23") << "custom yyyy\"年\"m\"月\"d\"日\"";
  EXPECT_EQ(c[5].kind, CellKind::kNumber) << "a quoted d is no date";
  EXPECT_EQ(c[6].kind, CellKind::kNumber) << "[Red] is a colour, not a date";
  EXPECT_EQ(c[7].text, "2026-11-23 06:00:00") << "[$-804] locale prefix skipped";
  EXPECT_EQ(c[8].kind, CellKind::kDate) << "[h]:mm elapsed time";
  EXPECT_EQ(c[8].seconds, 12 * 3600);
  EXPECT_EQ(c[9].kind, CellKind::kNumber) << "#,##0.00";
  EXPECT_EQ(c[10].kind, CellKind::kNumber) << "an unknown style is no date";
  EXPECT_EQ(c[10].text, "7");

  const auto& e = rows[1].cells;
  ASSERT_EQ(e.size(), 6u);
  EXPECT_EQ(e[0].date, Ymd(1900, 1, 1));
  EXPECT_EQ(e[1].date, Ymd(1900, 2, 28));
  EXPECT_EQ(e[2].date, Ymd(1900, 3, 1)) << "Excel's 1900-02-29 does not exist";
  EXPECT_EQ(e[3].date, Ymd(1900, 3, 1));
  EXPECT_EQ(e[4].text, "2026-11-24") << "23:59:59.9 rounds to the next midnight";
  EXPECT_EQ(e[5].kind, CellKind::kNumber);
}

TEST(XlsxReader, HonoursThe1904DateSystem) {
  Book book;
  book.date1904 = true;
  book.cell_xfs += "<xf numFmtId=\"14\"/>";
  book.sheets = {{"S", "<row r=\"1\"><c r=\"A1\" s=\"1\"><v>0</v></c><c r=\"B1\" s=\"1\"><v>45000</v></c></row>"}};
  std::vector<Row> rows = ReadOnlySheet(MakeXlsx(book));
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].cells[0].date, Ymd(1904, 1, 1));
  EXPECT_EQ(rows[0].cells[1].date, Ymd(2027, 3, 16));
}

TEST(XlsxReader, ListsSeveralSheetsInWorkbookOrderAndNamesAMissingOne) {
  Book book;
  book.shared_strings = "<si><t>乙表</t></si>";
  book.sheets = {{"项目", "<row r=\"1\"><c r=\"A1\"><v>1</v></c></row>"},
                 {"企业", "<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c></row>"},
                 {"空表", ""}};
  auto reader = XlsxReader::Open(MakeXlsx(book));
  ASSERT_TRUE(reader.ok()) << reader.status().ToString();
  EXPECT_EQ((*reader)->SheetNames(), (std::vector<std::string>{"项目", "企业", "空表"}));
  EXPECT_EQ(ReadAll(**reader, "企业").at(0).cells.at(0).text, "乙表");
  EXPECT_EQ(ReadAll(**reader, "项目").at(0).cells.at(0).text, "1");
  EXPECT_TRUE(ReadAll(**reader, "空表").empty());

  Status missing = (*reader)->ReadSheet("资金", [](const Row&) { return Status::Ok(); });
  EXPECT_EQ(missing.code(), StatusCode::kValidationFailed);
  EXPECT_NE(missing.message().find("工作表不存在"), std::string::npos) << missing.ToString();
  EXPECT_NE(missing.message().find("资金"), std::string::npos);
  EXPECT_FALSE((*reader)->ReadSheet(3, [](const Row&) { return Status::Ok(); }).ok());
}

TEST(XlsxReader, ElementsWithANamespacePrefixAreRead) {
  Book book;
  Members parts = Parts(book);
  parts.push_back({"xl/worksheets/sheet1.xml",
                   std::string("<x:worksheet xmlns:x=\"") + kMain +
                       "\"><x:sheetData><x:row r=\"1\"><x:c r=\"A1\" t=\"inlineStr\"><x:is><x:t>甲</x:t></x:is>"
                       "</x:c></x:row></x:sheetData></x:worksheet>"});
  std::string workbook = std::string("<x:workbook xmlns:x=\"") + kMain + "\" xmlns:r=\"" + kRel +
                         "\"><x:sheets><x:sheet name=\"S\" sheetId=\"1\" r:id=\"rId1\"/></x:sheets></x:workbook>";
  for (auto& [name, content] : parts) {
    if (name == "xl/workbook.xml") content = workbook;
  }
  parts.push_back({"xl/_rels/workbook.xml.rels",
                   std::string("<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
                               "<Relationship Id=\"rId1\" Type=\"") +
                       kRel + "/worksheet\" Target=\"worksheets/sheet1.xml\"/></Relationships>"});
  // Python's zipfile keeps duplicate names; drop the generated ones first.
  Members unique;
  for (auto it = parts.rbegin(); it != parts.rend(); ++it) {
    bool seen = false;
    for (const auto& u : unique) seen = seen || u.first == it->first;
    if (!seen) unique.push_back(*it);
  }
  std::vector<Row> rows = ReadOnlySheet(MakeZip(unique));
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].cells.at(0).text, "甲");
}

TEST(XlsxReader, RefusesWhatIsNotAnXlsx) {
  for (std::string bytes : {std::string(), std::string("项目名称,总投资\n甲,1\n"), std::string("PK\x03\x04garbage")}) {
    auto reader = XlsxReader::Open(bytes);
    ASSERT_FALSE(reader.ok());
    EXPECT_EQ(reader.status().code(), StatusCode::kValidationFailed);
    EXPECT_NE(reader.status().message().find("不是有效的 xlsx 文件 (not an xlsx file)"), std::string::npos)
        << reader.status().ToString();
  }
  auto xls = XlsxReader::Open(std::string("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8) + std::string(504, '\0'));
  ASSERT_FALSE(xls.ok());
  EXPECT_NE(xls.status().message().find(".xls"), std::string::npos) << "tells the user to save as .xlsx";

  auto plain_zip = XlsxReader::Open(MakeZip({{"readme.txt", "hello"}}));
  ASSERT_FALSE(plain_zip.ok());
  EXPECT_NE(plain_zip.status().message().find("not an xlsx file"), std::string::npos);
}

TEST(XlsxReader, CorruptPartsAreNamed) {
  Book book;
  book.sheets = {{"S", "<row r=\"1\"><c r=\"A1\"><v>1</v></c></row>\n<row r=\"2\"><c r=\"A2\"><v>2</c></row>"}};
  auto reader = XlsxReader::Open(MakeXlsx(book));
  ASSERT_TRUE(reader.ok()) << reader.status().ToString();
  int delivered = 0;
  Status status = (*reader)->ReadSheet("S", [&](const Row&) {
    ++delivered;
    return Status::Ok();
  });
  EXPECT_EQ(status.code(), StatusCode::kValidationFailed);
  EXPECT_NE(status.message().find("xl/worksheets/sheet1.xml"), std::string::npos) << status.ToString();
  EXPECT_NE(status.message().find("第 2 行"), std::string::npos) << status.ToString();

  book.sheets = {{"S", "<row r=\"1\"><c r=\"A1\" t=\"s\"><v>7</v></c></row>"}};
  reader = XlsxReader::Open(MakeXlsx(book));
  ASSERT_TRUE(reader.ok());
  status = (*reader)->ReadSheet("S", [](const Row&) { return Status::Ok(); });
  EXPECT_NE(status.message().find("A1"), std::string::npos) << "a shared string that is not there: " << status.ToString();

  book.sheets = {{"S", "<row r=\"1\"><c r=\"A1\"><v>12abc</v></c></row>"}};
  reader = XlsxReader::Open(MakeXlsx(book));
  ASSERT_TRUE(reader.ok());
  status = (*reader)->ReadSheet("S", [](const Row&) { return Status::Ok(); });
  EXPECT_NE(status.message().find("12abc"), std::string::npos) << status.ToString();

  book.sheets = {{"S", ""}};
  Members parts = Parts(book);
  parts[0].second = "<!DOCTYPE x [<!ENTITY a \"aaaa\">]><worksheet><sheetData/></worksheet>";
  reader = XlsxReader::Open(MakeZip(parts));
  ASSERT_TRUE(reader.ok());
  EXPECT_FALSE((*reader)->ReadSheet("S", [](const Row&) { return Status::Ok(); }).ok()) << "DOCTYPE refused";
}

TEST(XlsxReader, CapsHowMuchItInflates) {
  Book book;
  // 3 MB of padding deflates to a few kilobytes.
  book.sheets = {{"S", "<row r=\"1\"><c r=\"A1\"><v>1</v></c></row>" + std::string(3 << 20, ' ')}};
  std::string bytes = MakeXlsx(book);
  ASSERT_LT(bytes.size(), 100'000u);

  auto reader = XlsxReader::Open(bytes, {.max_part_bytes = 1 << 20, .max_total_bytes = 1 << 30});
  ASSERT_TRUE(reader.ok()) << reader.status().ToString();
  Status status = (*reader)->ReadSheet("S", [](const Row&) { return Status::Ok(); });
  EXPECT_EQ(status.code(), StatusCode::kPayloadTooLarge) << status.ToString();
  EXPECT_NE(status.message().find("xl/worksheets/sheet1.xml"), std::string::npos);

  reader = XlsxReader::Open(bytes, {.max_part_bytes = 4 << 20, .max_total_bytes = 5 << 20});
  ASSERT_TRUE(reader.ok());
  EXPECT_TRUE((*reader)->ReadSheet("S", [](const Row&) { return Status::Ok(); }).ok());
  EXPECT_EQ((*reader)->ReadSheet("S", [](const Row&) { return Status::Ok(); }).code(), StatusCode::kPayloadTooLarge)
      << "the second read goes past the reader's total";
}

TEST(XlsxReader, TheSinkCanStopTheRead) {
  Book book;
  book.sheets = {{"S", "<row r=\"1\"><c r=\"A1\"><v>1</v></c></row><row r=\"2\"><c r=\"A2\"><v>2</v></c></row>"
                       "<row r=\"3\"><c r=\"A3\"><v>3</v></c></row>"}};
  auto reader = XlsxReader::Open(MakeXlsx(book));
  ASSERT_TRUE(reader.ok());
  std::vector<int64_t> seen;
  Status status = (*reader)->ReadSheet("S", [&](const Row& row) {
    seen.push_back(row.number);
    return row.number == 2 ? ValidationFailed("第 2 行: 项目名称不能为空", "A2") : Status::Ok();
  });
  EXPECT_EQ(status, ValidationFailed("第 2 行: 项目名称不能为空", "A2")) << "returned unchanged";
  EXPECT_EQ(seen, (std::vector<int64_t>{1, 2}));
}

}  // namespace
}  // namespace zb::io
