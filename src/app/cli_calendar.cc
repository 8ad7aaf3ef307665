#include "app/cli_calendar.h"

#include <fstream>
#include <iostream>
#include <iterator>
#include <string>

#include "api/calendar.h"
#include "app/app.h"
#include "app/config.h"
#include "core/clock.h"

namespace zb::app {

struct CalendarCommands::Impl {
  CLI::App* import = nullptr;
  Config config;
  std::unique_ptr<ConfigBinder> binder;
  std::string file;
  bool dry_run = false;

  int RunImport();
};

CalendarCommands::CalendarCommands(CLI::App& cli) : impl_(std::make_unique<Impl>()) {
  Impl& m = *impl_;
  CLI::App* calendar = cli.add_subcommand("calendar", "The working-day calendar (工作日历)");
  calendar->require_subcommand(1);
  m.import = calendar->add_subcommand(
      "import", "Load holidays and swapped working days from a .csv (date,kind,name; UTF-8 or GBK); all rows or none");
  m.binder = std::make_unique<ConfigBinder>(m.import, &m.config, false);
  m.import->add_option("FILE", m.file, "The .csv file, e.g. the State Council's notice for next year")
      ->required()
      ->check(CLI::ExistingFile);
  m.import->add_flag("--dry-run", m.dry_run, "Check every row and report every problem; write nothing");
}

CalendarCommands::~CalendarCommands() = default;

std::optional<int> CalendarCommands::Run() {
  if (impl_->import->parsed()) return impl_->RunImport();
  return std::nullopt;
}

int CalendarCommands::Impl::RunImport() {
  auto fail = [](const Status& s) {
    std::cerr << "zhuanban: " << s.message() << "\n";
    return 1;
  };
  if (auto s = binder->Finish(); !s.ok()) return fail(s);
  SetUpLogging(config);
  std::ifstream in(file, std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (!in.good() && !in.eof()) return fail(Unavailable("无法读取文件 " + file + " (cannot read the file)"));
  auto pool = OpenDatabase(config);
  if (!pool.ok()) return fail(pool.status());
  http::Request request;  // no principal: the audit entry has no user
  request.set_request_id("cli");
  auto report = api::ImportCalendar(**pool, request, bytes, SystemClock::Get().NowMs(), dry_run);
  (*pool)->Close();
  if (!report.ok()) return fail(report.status());
  for (const auto& e : report->errors) {
    std::cout << (e.row > 0 ? "第 " + std::to_string(e.row) + " 行" : std::string("文件"))
              << (e.column.empty() ? "" : " · " + e.column) << ": " << e.message << "\n";
  }
  const std::string summary = std::to_string(report->rows) + " 行:新增 " + std::to_string(report->created) +
                              ",修改 " + std::to_string(report->updated) + ",未变 " +
                              std::to_string(report->unchanged);
  if (!report->ok) {
    std::cout << "有 " << report->problem_count << " 处问题,未写入任何数据 (nothing written)。" << summary << "\n";
    return 1;
  }
  std::cout << (dry_run ? "检查通过,未写入 (dry run): " : "已导入 (imported): ") << summary << "\n";
  return 0;
}

}  // namespace zb::app
