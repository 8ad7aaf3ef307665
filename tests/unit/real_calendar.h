// The real 2023–2026 working-day calendar shipped in data/calendar, for the
// unit tests and the scheduling bench (bench/schedule_bench.cc), which
// compute in working days. ZB_SOURCE_DIR is the repository root.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <sstream>
#include <string>

#include "core/date.h"
#include "core/work_calendar.h"

namespace zb::testing {

inline Date D(const char* s) { return *Date::Parse(s); }

inline WorkCalendar RealCalendar() {
  const char* path = ZB_SOURCE_DIR "/data/calendar/cn-holidays-2023-2026.csv";
  std::ifstream in(path);
  if (!in) {
    std::fprintf(stderr, "cannot read %s\n", path);
    std::abort();
  }
  std::map<Date, WorkCalendar::DayKind> days;
  std::string line;
  std::getline(in, line);  // header
  while (std::getline(in, line)) {
    std::stringstream ss(line);
    std::string date, kind;
    std::getline(ss, date, ',');
    std::getline(ss, kind, ',');
    days[D(date.c_str())] = kind == "holiday" ? WorkCalendar::DayKind::kHoliday : WorkCalendar::DayKind::kWorkday;
  }
  return WorkCalendar(std::move(days));
}

}  // namespace zb::testing
