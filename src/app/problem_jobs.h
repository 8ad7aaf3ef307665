// The ledger's daily job (storage/problem_daily.h) as the app runs it:
// `serve` at start-up and whenever the China-time date changes
// (App::StartBackgroundJobs), and `zhuanban problems daily [--date D]` by
// hand — the same function, idempotent for a day.
#pragma once

#include <CLI/CLI.hpp>
#include <memory>
#include <optional>

#include "core/date.h"
#include "core/status.h"
#include "storage/db.h"
#include "storage/problem_daily.h"

namespace zb::app {

// One transaction over the whole ledger, with the committed calendar.
StatusOr<storage::ProblemDailyReport> RunProblemDaily(db::Pool& pool, Date today, int64_t now_ms);

class ProblemCommands {
 public:
  // Adds `problems daily [--date YYYY-MM-DD]` to `cli`.
  explicit ProblemCommands(CLI::App& cli);
  ~ProblemCommands();

  // After parsing: runs it if it was given and returns its exit code;
  // nullopt otherwise.
  std::optional<int> Run();

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace zb::app
