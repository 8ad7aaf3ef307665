// io/csv_reader: encodings Chinese offices save in, and RFC 4180 quoting.
#include "io/csv_reader.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace zb::io {
namespace {

// Each delivered row as its number and cell texts ("" for an empty cell).
struct Plain {
  int64_t number;
  std::vector<std::string> cells;
  bool operator==(const Plain&) const = default;
};

std::ostream& operator<<(std::ostream& os, const Plain& p) {
  os << p.number << ":";
  for (const auto& c : p.cells) os << " [" << c << "]";
  return os;
}

std::vector<Plain> Read(std::string_view bytes, TextEncoding* encoding = nullptr) {
  std::vector<Plain> rows;
  Status status = ReadCsv(
      bytes,
      [&](const Row& row) {
        Plain p{row.number, {}};
        for (const Cell& cell : row.cells) {
          EXPECT_EQ(cell.kind, cell.text.empty() ? CellKind::kEmpty : CellKind::kText);
          p.cells.push_back(cell.text);
        }
        rows.push_back(p);
        return Status::Ok();
      },
      encoding);
  EXPECT_TRUE(status.ok()) << status.ToString();
  return rows;
}

TEST(CsvReader, Utf8WithAndWithoutBom) {
  TextEncoding encoding = TextEncoding::kGb18030;
  std::vector<Plain> expected{{1, {"项目名称", "总投资"}}, {2, {"城东污水厂", "1200.5"}}};
  EXPECT_EQ(Read("项目名称,总投资\n城东污水厂,1200.5\n", &encoding), expected);
  EXPECT_EQ(encoding, TextEncoding::kUtf8);
  EXPECT_EQ(Read("\xEF\xBB\xBF项目名称,总投资\r\n城东污水厂,1200.5", &encoding), expected)
      << "the BOM is not part of the first header";
  EXPECT_EQ(encoding, TextEncoding::kUtf8);
}

TEST(CsvReader, GbkIsConvertedToUtf8) {
  TextEncoding encoding = TextEncoding::kUtf8;
  // 项目名称,总投资 / 中文,张三 as Excel on a Chinese Windows saves them.
  std::string gbk = "\xcf\xee\xc4\xbf\xc3\xfb\xb3\xc6,\xd7\xdc\xcd\xb6\xd7\xca\r\n\xd6\xd0\xce\xc4,\xd5\xc5\xc8\xfd\r\n";
  EXPECT_EQ(Read(gbk, &encoding), (std::vector<Plain>{{1, {"项目名称", "总投资"}}, {2, {"中文", "张三"}}}));
  EXPECT_EQ(encoding, TextEncoding::kGb18030);
}

TEST(CsvReader, QuotesDoubledQuotesAndLineBreaksInCells) {
  std::string csv =
      "名称,说明,金额\r\n"
      "\"甲,乙\",\"他说\"\"好\"\"\",\"第一行\r\n第二行\"\r\n"
      "\"\",x\"y,\"ab\"c\n"
      "last,\"\n\"";
  EXPECT_EQ(Read(csv), (std::vector<Plain>{{1, {"名称", "说明", "金额"}},
                                           {2, {"甲,乙", "他说\"好\"", "第一行\n第二行"}},
                                           {3, {"", "x\"y", "abc"}},
                                           {4, {"last", "\n"}}}));
}

TEST(CsvReader, BlankRecordsAreCountedButNotDeliveredAndGapsKept) {
  EXPECT_EQ(Read("a,,c,,\n\n,,\r\nd\rlast"),
            (std::vector<Plain>{{1, {"a", "", "c"}}, {4, {"d"}}, {5, {"last"}}}));
  EXPECT_TRUE(Read("").empty());
  EXPECT_TRUE(Read("\n\n").empty());
}

TEST(CsvReader, AnUndecodableByteIsReportedWithItsLine) {
  for (std::string bytes : {std::string("名称\n城东\n\xff坏\n"),                   // UTF-8 then a stray byte
                            std::string("\xd6\xd0\n\xd6\xd0\n\xff\n"),             // GBK then a stray byte
                            std::string("\xEF\xBB\xBF名称\n城东\n\xd6\xd0\n")}) {  // GBK bytes after a UTF-8 BOM
    Status status = ReadCsv(bytes, [](const Row&) { return Status::Ok(); });
    EXPECT_EQ(status.code(), StatusCode::kValidationFailed);
    EXPECT_NE(status.message().find("第 3 行"), std::string::npos) << status.ToString();
    EXPECT_NE(status.message().find("line 3"), std::string::npos) << status.ToString();
  }
  Status status = ReadCsv("ok\n\xff", [](const Row&) { return Status::Ok(); });
  EXPECT_NE(status.message().find("0xFF"), std::string::npos) << status.ToString();
}

TEST(CsvReader, AnUnclosedQuoteNamesTheLineItOpenedOn) {
  Status status = ReadCsv("名称\n城东\n\"城西,1\n城南,2\n", [](const Row&) { return Status::Ok(); });
  EXPECT_EQ(status.code(), StatusCode::kValidationFailed);
  EXPECT_NE(status.message().find("第 3 行的引号没有闭合"), std::string::npos) << status.ToString();
}

TEST(CsvReader, RecordNumbersCountRecordsNotLines) {
  // Row 3 is the third row Excel shows, though it starts on line 4.
  EXPECT_EQ(Read("a\n\"b\nb\"\nc\n"), (std::vector<Plain>{{1, {"a"}}, {2, {"b\nb"}}, {3, {"c"}}}));
}

TEST(CsvReader, TheSinkCanStopTheRead) {
  int calls = 0;
  Status status = ReadCsv("a\nb\nc\n", [&](const Row& row) {
    ++calls;
    return row.number == 2 ? ValidationFailed("第 2 行有误") : Status::Ok();
  });
  EXPECT_EQ(status, ValidationFailed("第 2 行有误"));
  EXPECT_EQ(calls, 2);
}

}  // namespace
}  // namespace zb::io
