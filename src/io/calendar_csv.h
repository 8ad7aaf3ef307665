// Reading a working-day calendar file (工作日历), the shape of
// data/calendar/cn-holidays-2023-2026.csv: a header row `date,kind,name`
// then one override per row. Shared by POST /api/v1/calendar/import and
// `zhuanban calendar import`.
//
// Contract
// - Bytes: UTF-8 (BOM or not) or GBK/GB18030, as io::ReadCsv reads them. A
//   file that cannot be decoded is one problem of row 0 (the file).
// - The first non-blank row is the header. Headers, trimmed and
//   case-insensitive: date / 日期 (required), kind / 类型 (required),
//   name / 名称 (optional); any order. An unknown or repeated header and a
//   missing required one are problems of the header row; then no data row
//   is read.
// - date: 2027-01-01 or 2027/1/1 (Excel's way of saving dates), a real day
//   in 1990–2100 (the calendar's indexed window).
// - kind: holiday / 放假 / 休息 / 节假日 / 法定节假日 → holiday;
//   workday / 上班 / 调休上班 / 补班 → workday. A workday must fall on a
//   Saturday or Sunday (Monday–Friday already work; it is almost surely a
//   wrong date). A holiday may fall on a weekend (the notices list those).
// - name: optional, at most 40 characters (api's ValidateLine rules).
// - A date given twice is a problem of the later row, naming the first.
// - Every problem is (row as the file numbers it, column header as in the
//   file, message); all rows are checked, the list is not cut.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/date.h"
#include "core/work_calendar.h"

namespace zb::io {

inline constexpr size_t kMaxCalendarNameChars = 40;

struct CalendarCsvDay {
  int64_t row = 0;
  Date date;
  WorkCalendar::DayKind kind = WorkCalendar::DayKind::kHoliday;
  std::string name;
};

struct CalendarCsvProblem {
  int64_t row = 0;     // 0: the file as a whole
  std::string column;  // the header as written; "": the row or the file
  std::string message;
};

struct CalendarCsv {
  int64_t rows = 0;  // data rows read
  std::vector<CalendarCsvDay> days;          // the rows without problems, in file order
  std::vector<CalendarCsvProblem> problems;  // in file order
};

CalendarCsv ReadCalendarCsv(std::string_view bytes);

}  // namespace zb::io
