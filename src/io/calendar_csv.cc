#include "io/calendar_csv.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <optional>

#include "core/text.h"
#include "io/csv_reader.h"

namespace zb::io {

namespace {

using Kind = WorkCalendar::DayKind;

enum class Column { kDate, kKind, kName };

std::string Trimmed(std::string_view s) {
  std::string out(s);
  // ValidateLine trims ASCII blanks and U+3000 when the text is otherwise
  // fine; text it refuses (control characters) stays as it was and then
  // fails as a date or a kind with the text quoted.
  (void)ValidateLine(out, "", "", 1 << 20, true);
  return out;
}

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::optional<Column> HeaderColumn(const std::string& header) {
  const std::string h = Lower(header);
  if (h == "date" || h == "日期") return Column::kDate;
  if (h == "kind" || h == "类型") return Column::kKind;
  if (h == "name" || h == "名称") return Column::kName;
  return std::nullopt;
}

std::optional<Kind> ParseKind(const std::string& text) {
  const std::string k = Lower(text);
  for (const char* s : {"holiday", "放假", "休息", "节假日", "法定节假日"}) {
    if (k == s) return Kind::kHoliday;
  }
  for (const char* s : {"workday", "上班", "调休上班", "补班"}) {
    if (k == s) return Kind::kWorkday;
  }
  return std::nullopt;
}

// 2027-01-01 or 2027/1/1: year, month and day as digits between one kind of
// separator.
std::optional<Date> ParseDay(const std::string& text) {
  const char sep = text.find('/') != std::string::npos ? '/' : '-';
  int parts[3] = {0, 0, 0};
  size_t part = 0, digits = 0;
  for (char c : text) {
    if (c == sep && digits > 0 && part < 2) {
      ++part;
      digits = 0;
    } else if (c >= '0' && c <= '9' && digits < 4) {
      parts[part] = parts[part] * 10 + (c - '0');
      ++digits;
    } else {
      return std::nullopt;
    }
  }
  if (part != 2 || digits == 0) return std::nullopt;
  return Date::FromYmd(parts[0], parts[1], parts[2]);
}

constexpr const char* kWeekdays[] = {"", "周一", "周二", "周三", "周四", "周五", "周六", "周日"};

}  // namespace

CalendarCsv ReadCalendarCsv(std::string_view bytes) {
  CalendarCsv out;
  std::vector<std::optional<Column>> columns;  // by cell index; nullopt: not read
  std::vector<std::string> headers;            // as written, by cell index
  bool have_header = false, header_ok = false;
  std::map<Date, int64_t> first_row;  // date → the row that gave it first

  auto problem = [&](int64_t row, std::string column, std::string message) {
    out.problems.push_back({row, std::move(column), std::move(message)});
  };

  Status read = ReadCsv(bytes, [&](const Row& r) -> Status {
    if (!have_header) {
      have_header = true;
      bool seen[3] = {false, false, false};
      for (const Cell& c : r.cells) {
        std::string h = Trimmed(c.text);
        headers.push_back(h);
        auto col = h.empty() ? std::nullopt : HeaderColumn(h);
        if (!h.empty() && !col) {
          problem(r.number, h, "未知的表头 " + QuoteForMessage(h) + ",应为 date、kind、name (unknown header)");
        } else if (col && seen[static_cast<int>(*col)]) {
          problem(r.number, h, "表头重复 " + QuoteForMessage(h) + " (header given twice)");
          col.reset();
        }
        if (col) seen[static_cast<int>(*col)] = true;
        columns.push_back(col);
      }
      if (!seen[0]) problem(r.number, "", "缺少 date(日期)列 (the date column is missing)");
      if (!seen[1]) problem(r.number, "", "缺少 kind(类型)列 (the kind column is missing)");
      header_ok = out.problems.empty();
      return Status();
    }
    if (!header_ok) return Status();
    ++out.rows;
    std::optional<Date> date;
    std::optional<Kind> kind;
    std::string name;
    std::string date_header = "date", kind_header = "kind";
    bool row_ok = true;
    auto bad = [&](const std::string& column, std::string message) {
      problem(r.number, column, std::move(message));
      row_ok = false;
    };
    for (size_t i = 0; i < columns.size(); ++i) {
      if (!columns[i]) continue;
      std::string text = i < r.cells.size() ? Trimmed(r.cells[i].text) : "";
      switch (*columns[i]) {
        case Column::kDate:
          date_header = headers[i];
          if (text.empty()) {
            bad(headers[i], "请填写日期 (date is required)");
          } else if (date = ParseDay(text); !date || date->year() < 1990 || date->year() > 2100) {
            date.reset();
            bad(headers[i], "日期不正确: " + QuoteForMessage(text) +
                                ",应为 1990–2100 年间的真实日期,如 2027-01-01 (not a date)");
          }
          break;
        case Column::kKind:
          kind_header = headers[i];
          if (text.empty()) {
            bad(headers[i], "请填写类型:holiday(放假)或 workday(调休上班) (kind is required)");
          } else if (kind = ParseKind(text); !kind) {
            bad(headers[i], "类型不正确: " + QuoteForMessage(text) +
                                ",应为 holiday(放假)或 workday(调休上班) (unknown kind)");
          }
          break;
        case Column::kName:
          name = r.cells.size() > i ? r.cells[i].text : "";
          if (Status s = ValidateLine(name, "name", "名称", kMaxCalendarNameChars, true); !s.ok()) {
            bad(headers[i], s.message());
          }
          break;
      }
    }
    if (date && kind && *kind == Kind::kWorkday && !date->IsWeekend()) {
      bad(kind_header, "调休上班应在周六或周日: " + date->ToString() + " 是" + kWeekdays[date->Weekday()] +
                           ",本来就上班 (a swapped working day falls on a weekend)");
    }
    if (date) {
      auto [it, fresh] = first_row.emplace(*date, r.number);
      if (!fresh) {
        bad(date_header, "日期 " + date->ToString() + " 与第 " + std::to_string(it->second) +
                             " 行重复 (date given twice)");
      }
    }
    if (row_ok) out.days.push_back({r.number, *date, *kind, std::move(name)});
    return Status();
  });
  if (!read.ok()) {
    problem(0, "", read.message());
  } else if (!have_header) {
    problem(0, "", "文件是空的,应有表头 date,kind,name (the file is empty)");
  }
  return out;
}

}  // namespace zb::io
