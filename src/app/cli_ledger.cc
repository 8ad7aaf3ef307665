#include "app/cli_ledger.h"

#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <iterator>
#include <string>
#include <vector>

#include "api/api.h"
#include "api/export.h"
#include "api/ledger.h"
#include "api/projects.h"
#include "app/app.h"
#include "app/config.h"
#include "core/clock.h"
#include "core/date.h"

namespace zb::app {

namespace {

// The system as a caller: every record in scope, no user of its own.
http::Principal SystemPrincipal() {
  http::Principal p;
  p.login = "system";
  p.display_name = "系统";
  p.scope.all = true;
  return p;
}

int Fail(const Status& s) {
  std::cerr << "zhuanban: " << s.message();
  if (!s.field().empty()) std::cerr << " [" << s.field() << "]";
  std::cerr << "\n";
  return 1;
}

// A progress line on stderr when it is a terminal; nothing otherwise.
class Progress {
 public:
  explicit Progress(std::string what) : what_(std::move(what)), tty_(::isatty(2) == 1) {}
  ~Progress() { Done(); }
  void Rows(int64_t done, int64_t total = 0) {
    if (!tty_) return;
    if (total > 0) {
      int width = 30;
      int filled = static_cast<int>(done * width / std::max<int64_t>(total, 1));
      std::fprintf(stderr, "\r%s [%s%s] %lld/%lld", what_.c_str(), std::string(filled, '#').c_str(),
                   std::string(width - filled, '.').c_str(), static_cast<long long>(done),
                   static_cast<long long>(total));
    } else {
      std::fprintf(stderr, "\r%s %lld 行", what_.c_str(), static_cast<long long>(done));
    }
    std::fflush(stderr);
    drawn_ = true;
  }
  void Done() {
    if (drawn_) std::fprintf(stderr, "\n");
    drawn_ = false;
  }

 private:
  std::string what_;
  bool tty_;
  bool drawn_ = false;
};

std::string PercentEncode(std::string_view s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 0xF];
    }
  }
  return out;
}

std::string Where(const api::ImportProblem& p) {
  std::string at = p.row > 0 ? "第 " + std::to_string(p.row) + " 行" : "文件";
  if (!p.column.empty()) at += " · " + p.column;
  return at;
}

}  // namespace

struct LedgerCommands::Impl {
  // import
  CLI::App* import_projects = nullptr;
  CLI::App* import_enterprises = nullptr;
  Config import_config;
  std::unique_ptr<ConfigBinder> import_projects_binder, import_enterprises_binder;
  std::string file;
  bool dry_run = false;
  int year = 0;
  // export
  CLI::App* export_projects = nullptr;
  Config export_config;
  std::unique_ptr<ConfigBinder> export_binder;
  std::string out;
  std::string stage, level, project_type, category, board, q, tag, sort;
  int64_t org_unit = 0, export_year = 0;

  int RunImport(api::Ledger which, ConfigBinder& binder);
  int RunExport();
};

LedgerCommands::LedgerCommands(CLI::App& cli) : impl_(std::make_unique<Impl>()) {
  Impl& m = *impl_;
  CLI::App* import = cli.add_subcommand("import", "Import the 项目台账 or the 企业库 from .xlsx or .csv (UTF-8 or GBK)");
  import->require_subcommand(1);
  auto add_import = [&](const char* name, const char* help, std::unique_ptr<ConfigBinder>* binder) {
    CLI::App* sub = import->add_subcommand(name, help);
    *binder = std::make_unique<ConfigBinder>(sub, &m.import_config, false);
    sub->add_option("FILE", m.file, "The .xlsx or .csv file")->required()->check(CLI::ExistingFile);
    sub->add_flag("--dry-run", m.dry_run, "Check every row and report every problem; write nothing");
    return sub;
  };
  m.import_projects = add_import("projects", "Projects: update by 项目编号, create the others; all rows or none",
                                 &m.import_projects_binder);
  m.import_projects->add_option("--year", m.year, "The year of 年度计划投资 (default: this year)")
      ->check(CLI::Range(2000, 2100));
  m.import_enterprises = add_import("enterprises", "Enterprises: update by 统一社会信用代码, create the others",
                                    &m.import_enterprises_binder);

  CLI::App* exp = cli.add_subcommand("export", "Export the 项目台账 as .xlsx");
  exp->require_subcommand(1);
  m.export_projects = exp->add_subcommand("projects", "The 项目台账, filtered like GET /api/v1/projects");
  m.export_binder = std::make_unique<ConfigBinder>(m.export_projects, &m.export_config, false);
  CLI::App* e = m.export_projects;
  e->add_option("--out", m.out, "The .xlsx file to write")->required();
  e->add_option("--stage", m.stage, "建设阶段: codes or labels, comma-separated (在建,前期)");
  e->add_option("--level", m.level, "项目级别: codes or labels");
  e->add_option("--type", m.project_type, "项目类型: codes or labels");
  e->add_option("--category", m.category, "项目类别 codes");
  e->add_option("--board", m.board, "产业板块 codes");
  e->add_option("--org-unit", m.org_unit, "属地: this org unit id and its subtree");
  e->add_option("--year", m.export_year, "年度计划投资's year; only projects with a plan that year (default: this year, all projects)")
      ->check(CLI::Range(2000, 2100));
  e->add_option("--q", m.q, "Keyword (name, code, enterprise, 建设内容)");
  e->add_option("--tag", m.tag, "标签");
  e->add_option("--sort", m.sort, "Sort, as the list's sort parameter (-total_investment,name)");
}

LedgerCommands::~LedgerCommands() = default;

std::optional<int> LedgerCommands::Run() {
  Impl& m = *impl_;
  if (m.import_projects->parsed()) return m.RunImport(api::Ledger::kProjects, *m.import_projects_binder);
  if (m.import_enterprises->parsed()) return m.RunImport(api::Ledger::kEnterprises, *m.import_enterprises_binder);
  if (m.export_projects->parsed()) return m.RunExport();
  return std::nullopt;
}

int LedgerCommands::Impl::RunImport(api::Ledger which, ConfigBinder& binder) {
  if (auto s = binder.Finish(); !s.ok()) return Fail(s);
  SetUpLogging(import_config);
  std::ifstream in(file, std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (!in.good() && !in.eof()) return Fail(Unavailable("无法读取文件 " + file + " (cannot read the file)"));
  auto pool = OpenDatabase(import_config);
  if (!pool.ok()) return Fail(pool.status());
  const http::Principal system = SystemPrincipal();
  http::Request request;
  request.set_request_id("cli");
  Progress progress(dry_run ? "检查中" : "导入中");
  auto t0 = std::chrono::steady_clock::now();
  auto report = api::ImportLedger(which, **pool, {system, request}, std::move(bytes), SystemClock::Get().NowMs(),
                                  {.dry_run = dry_run, .year = year, .progress = [&](int64_t rows) { progress.Rows(rows); }});
  progress.Done();
  (*pool)->Close();
  if (!report.ok()) return Fail(report.status());
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  for (const auto& w : report->warnings) std::cout << "提示 " << Where(w) << ": " << w.message << "\n";
  for (const auto& e : report->errors) std::cout << Where(e) << ": " << e.message << "\n";
  char summary[256];
  std::snprintf(summary, sizeof summary, "%lld 行:新建 %lld,更新 %lld,未变 %lld(%.1f 秒)",
                static_cast<long long>(report->rows), static_cast<long long>(report->created),
                static_cast<long long>(report->updated), static_cast<long long>(report->unchanged), seconds);
  if (!report->ok) {
    std::cout << "有 " << report->problem_count << " 处问题,未写入任何数据 (nothing written)。" << summary << "\n";
    return 1;
  }
  std::cout << (dry_run ? "检查通过,未写入 (dry run): " : "已导入 (imported): ") << summary << "\n";
  return 0;
}

int LedgerCommands::Impl::RunExport() {
  if (auto s = export_binder->Finish(); !s.ok()) return Fail(s);
  SetUpLogging(export_config);
  // The filters travel as the list's query parameters, so the CLI filters
  // exactly as GET /api/v1/projects/export does.
  std::vector<std::pair<std::string, std::string>> params = {
      {"stage", stage}, {"level", level},     {"project_type", project_type}, {"category", category},
      {"board", board}, {"q", q},             {"tag", tag},                   {"sort", sort}};
  if (org_unit > 0) params.push_back({"org_unit_id", std::to_string(org_unit)});
  if (export_year > 0) params.push_back({"year", std::to_string(export_year)});
  std::string target = "/api/v1/projects/export";
  char sep = '?';
  for (const auto& [k, v] : params) {
    if (v.empty()) continue;
    target += sep + k + "=" + PercentEncode(v);
    sep = '&';
  }
  http::BeastRequest msg{boost::beast::http::verb::get, target, 11};
  auto request = http::Request::From(std::move(msg), "");
  if (!request.ok()) return Fail(request.status());
  request->set_request_id("cli");

  auto pool = OpenDatabase(export_config);
  if (!pool.ok()) return Fail(pool.status());
  const http::Principal system = SystemPrincipal();
  const int64_t now = SystemClock::Get().NowMs();
  int64_t rows = 0;
  StatusOr<std::string> bytes = Internal("not run");
  {
    auto conn = (*pool)->Read();
    if (!conn.ok()) return Fail(conn.status());
    auto filter = api::ParseProjectFilter(*request, **conn, system, now);
    if (!filter.ok()) return Fail(filter.status());
    Progress progress("导出中");
    api::ProjectExport what{.filter = std::move(*filter),
                            .year = static_cast<int>(export_year),
                            .filter_text = api::DescribeProjectFilter(**conn, request->query()),
                            .progress = [&](int64_t done, int64_t total) { progress.Rows(done, total); }};
    bytes = api::ExportProjects(**conn, what, now, &rows);
  }
  if (!bytes.ok()) return Fail(bytes.status());
  std::ofstream out_file(out, std::ios::binary | std::ios::trunc);
  out_file << *bytes;
  out_file.close();
  if (!out_file) return Fail(Unavailable("无法写入 " + out + " (cannot write the file)"));
  api::ApiContext ctx;
  ctx.pool = pool->get();
  http::Json given = http::Json::object();
  for (const auto& [k, v] : request->query()) given[k] = v;
  if (auto s = api::RecordExport(ctx, *request, now, "project", given, static_cast<size_t>(rows)); !s.ok()) {
    return Fail(s);
  }
  (*pool)->Close();
  std::cout << "已导出 " << rows << " 个项目到 " << out << " (exported)\n";
  return 0;
}

}  // namespace zb::app
