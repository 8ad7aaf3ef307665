// `zhuanban calendar import FILE [--dry-run]`: loads a working-day calendar
// .csv (date,kind,name; UTF-8 or GBK — the shape of
// data/calendar/cn-holidays-2023-2026.csv) into the database, as
// POST /api/v1/calendar/import does (api/calendar.h does the work).
//
// It runs as the system: the audit entry "calendar.import" has no user
// (request id "cli"). Every problem is printed as "第 7 行 · kind: …" and the
// exit code is 1 when there is one (nothing written); otherwise the counts
// are printed and the exit code is 0. Running servers see the change on
// their next calendar read (calendar_meta.version).
#pragma once

#include <CLI/CLI.hpp>
#include <memory>
#include <optional>

namespace zb::app {

class CalendarCommands {
 public:
  // Adds the `calendar` subcommand (with `import`) to `cli`.
  explicit CalendarCommands(CLI::App& cli);
  ~CalendarCommands();

  // After parsing: runs `calendar import` if it was given and returns its
  // exit code; nullopt otherwise.
  std::optional<int> Run();

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace zb::app
