#include "app/problem_jobs.h"

#include <iostream>
#include <string>

#include "app/app.h"
#include "app/config.h"
#include "core/clock.h"
#include "storage/calendar_repo.h"

namespace zb::app {

StatusOr<storage::ProblemDailyReport> RunProblemDaily(db::Pool& pool, Date today, int64_t now_ms) {
  storage::ProblemDailyReport report;
  ZB_RETURN_IF_ERROR(db::InTx(pool, [&](db::Connection& c) -> Status {
    ZB_ASSIGN_OR_RETURN(auto cal, storage::CurrentCalendar(c));
    ZB_ASSIGN_OR_RETURN(report, storage::RunProblemDaily(c, *cal, today, now_ms));
    return Status();
  }));
  return report;
}

struct ProblemCommands::Impl {
  CLI::App* daily = nullptr;
  Config config;
  std::unique_ptr<ConfigBinder> binder;
  std::string date;

  int RunDaily();
};

ProblemCommands::ProblemCommands(CLI::App& cli) : impl_(std::make_unique<Impl>()) {
  Impl& m = *impl_;
  CLI::App* problems = cli.add_subcommand("problems", "The problem and request ledger (问题台账)");
  problems->require_subcommand(1);
  m.daily = problems->add_subcommand(
      "daily", "The daily job: due-soon and overdue notices, automatic escalation (idempotent for a day)");
  m.binder = std::make_unique<ConfigBinder>(m.daily, &m.config, false);
  m.daily->add_option("--date", m.date, "Run as of this day (YYYY-MM-DD, China time); default today");
}

ProblemCommands::~ProblemCommands() = default;

std::optional<int> ProblemCommands::Run() {
  if (impl_->daily->parsed()) return impl_->RunDaily();
  return std::nullopt;
}

int ProblemCommands::Impl::RunDaily() {
  auto fail = [](const Status& s) {
    std::cerr << "zhuanban: " << s.message() << (s.field().empty() ? "" : " [" + s.field() + "]") << "\n";
    return 1;
  };
  if (auto s = binder->Finish(); !s.ok()) return fail(s);
  SetUpLogging(config);
  const int64_t now = SystemClock::Get().NowMs();
  Date today = LocalDate(now);
  if (!date.empty()) {
    auto d = Date::Parse(date, "date");
    if (!d.ok()) return fail(d.status());
    today = *d;
  }
  auto pool = OpenDatabase(config);
  if (!pool.ok()) return fail(pool.status());
  auto report = RunProblemDaily(**pool, today, now);
  (*pool)->Close();
  if (!report.ok()) return fail(report.status());
  std::cout << today.ToString() << ": 即将到期提醒 " << report->due_soon << " 项,逾期提醒 " << report->overdue
            << " 项,自动提级 " << report->escalated << " 项,消息 " << report->notices << " 条\n";
  return 0;
}

}  // namespace zb::app
