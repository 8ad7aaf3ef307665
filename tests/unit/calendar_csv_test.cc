// io/calendar_csv: the calendar file as an administrator writes or saves it.
#include "io/calendar_csv.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>

namespace zb::io {
namespace {

using Kind = WorkCalendar::DayKind;

std::string Problems(const CalendarCsv& csv) {
  std::string out;
  for (const auto& p : csv.problems) {
    out += std::to_string(p.row) + "|" + p.column + "|" + p.message + "\n";
  }
  return out;
}

TEST(CalendarCsvTest, ReadsTheShippedFile) {
  std::ifstream in(std::string(ZB_SOURCE_DIR) + "/data/calendar/cn-holidays-2023-2026.csv", std::ios::binary);
  std::stringstream bytes;
  bytes << in.rdbuf();
  CalendarCsv csv = ReadCalendarCsv(bytes.str());
  EXPECT_TRUE(csv.problems.empty()) << Problems(csv);
  EXPECT_EQ(csv.rows, 142);
  ASSERT_EQ(csv.days.size(), 142u);
  EXPECT_EQ(csv.days.front().date.ToString(), "2022-12-31");
  EXPECT_EQ(csv.days.front().row, 2);
  EXPECT_EQ(csv.days.front().name, "元旦");
}

TEST(CalendarCsvTest, ReadsGbkWithChineseHeadersKindsAndExcelDates) {
  // 日期,类型,名称 / 2027-01-01,放假,元旦 / 2027/2/7,调休上班,春节 in GBK, as
  // Excel saves "CSV" on a Chinese Windows.
  std::string gbk =
      "\xc8\xd5\xc6\xda\x2c\xc0\xe0\xd0\xcd\x2c\xc3\xfb\xb3\xc6\x0d\x0a\x32\x30\x32\x37\x2d\x30\x31\x2d\x30\x31\x2c"
      "\xb7\xc5\xbc\xd9\x2c\xd4\xaa\xb5\xa9\x0d\x0a\x32\x30\x32\x37\x2f\x32\x2f\x37\x2c\xb5\xf7\xd0\xdd\xc9\xcf\xb0"
      "\xe0\x2c\xb4\xba\xbd\xda\x0d\x0a";
  CalendarCsv csv = ReadCalendarCsv(gbk);
  EXPECT_TRUE(csv.problems.empty()) << Problems(csv);
  ASSERT_EQ(csv.days.size(), 2u);
  EXPECT_EQ(csv.days[0].date.ToString(), "2027-01-01");
  EXPECT_EQ(csv.days[0].kind, Kind::kHoliday);
  EXPECT_EQ(csv.days[0].name, "元旦");
  EXPECT_EQ(csv.days[1].date.ToString(), "2027-02-07");
  EXPECT_EQ(csv.days[1].kind, Kind::kWorkday);
  EXPECT_EQ(csv.days[1].name, "春节");
}

TEST(CalendarCsvTest, ColumnsInAnyOrderNameOptionalKindsInEitherLanguage) {
  CalendarCsv csv = ReadCalendarCsv("Kind, Date\n休息,2027-10-01\n补班,2027-09-26\nHoliday,2027-10-02\n");
  EXPECT_TRUE(csv.problems.empty()) << Problems(csv);
  ASSERT_EQ(csv.days.size(), 3u);
  EXPECT_EQ(csv.days[1].kind, Kind::kWorkday);  // 2027-09-26 is a Sunday
  EXPECT_EQ(csv.days[2].kind, Kind::kHoliday);
  EXPECT_EQ(csv.days[2].name, "");
}

TEST(CalendarCsvTest, EveryProblemNamesItsRowAndColumn) {
  CalendarCsv csv = ReadCalendarCsv(
      "date,kind,name\n"
      "2027-02-30,holiday,春节\n"        // row 2: no such day
      "2027-02-08,rest,春节\n"           // row 3: unknown kind
      "2027-02-09,holiday,春节\n"        // row 4: fine
      "2027-02-09,holiday,春节\n"        // row 5: the same date again
      "2027-02-10,workday,调休\n"        // row 6: a Wednesday already works
      "2027-02-13,holiday,春节\n"        // row 7: a Saturday off — fine
      ",holiday,\n"                      // row 8: no date
      "1989-12-31,holiday,\n");          // row 9: outside the calendar
  EXPECT_EQ(csv.rows, 8);
  ASSERT_EQ(csv.problems.size(), 6u) << Problems(csv);
  EXPECT_EQ(csv.problems[0].row, 2);
  EXPECT_EQ(csv.problems[0].column, "date");
  EXPECT_NE(csv.problems[0].message.find("2027-02-30"), std::string::npos);
  EXPECT_EQ(csv.problems[1].row, 3);
  EXPECT_EQ(csv.problems[1].column, "kind");
  EXPECT_NE(csv.problems[1].message.find("rest"), std::string::npos);
  EXPECT_EQ(csv.problems[2].row, 5);
  EXPECT_EQ(csv.problems[2].column, "date");
  EXPECT_NE(csv.problems[2].message.find("第 4 行"), std::string::npos);
  EXPECT_EQ(csv.problems[3].row, 6);
  EXPECT_EQ(csv.problems[3].column, "kind");
  EXPECT_NE(csv.problems[3].message.find("周三"), std::string::npos);
  EXPECT_EQ(csv.problems[4].row, 8);
  EXPECT_EQ(csv.problems[5].row, 9);
  // The good rows are still read (a dry run counts them).
  ASSERT_EQ(csv.days.size(), 2u);
  EXPECT_EQ(csv.days[1].date.ToString(), "2027-02-13");
}

TEST(CalendarCsvTest, HeaderProblemsStopTheRead) {
  CalendarCsv csv = ReadCalendarCsv("date,type,name\n2027-01-01,holiday,元旦\n");
  ASSERT_EQ(csv.problems.size(), 2u) << Problems(csv);
  EXPECT_EQ(csv.problems[0].row, 1);
  EXPECT_EQ(csv.problems[0].column, "type");
  EXPECT_NE(csv.problems[1].message.find("kind"), std::string::npos);
  EXPECT_TRUE(csv.days.empty());
  EXPECT_EQ(csv.rows, 0);

  CalendarCsv twice = ReadCalendarCsv("date,日期,kind\n");
  ASSERT_EQ(twice.problems.size(), 1u) << Problems(twice);
  EXPECT_EQ(twice.problems[0].column, "日期");
}

TEST(CalendarCsvTest, EmptyAndUndecodableFilesAreProblemsOfTheFile) {
  CalendarCsv empty = ReadCalendarCsv("\n\n");
  ASSERT_EQ(empty.problems.size(), 1u);
  EXPECT_EQ(empty.problems[0].row, 0);

  CalendarCsv bad = ReadCalendarCsv("date,kind\n\"2027-01-01,holiday\n");  // a quote never closed
  ASSERT_EQ(bad.problems.size(), 1u) << Problems(bad);
  EXPECT_EQ(bad.problems[0].row, 0);
}

TEST(CalendarCsvTest, NamesFollowTheLineRules) {
  CalendarCsv csv = ReadCalendarCsv("date,kind,name\n2027-01-01,holiday,\u3000元旦 \n2027-01-02,holiday," +
                                    std::string(41, 'x') + "\n");
  ASSERT_EQ(csv.problems.size(), 1u) << Problems(csv);
  EXPECT_EQ(csv.problems[0].row, 3);
  EXPECT_EQ(csv.problems[0].column, "name");
  ASSERT_EQ(csv.days.size(), 1u);
  EXPECT_EQ(csv.days[0].name, "元旦");
}

}  // namespace
}  // namespace zb::io
