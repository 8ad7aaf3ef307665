// zhuanban — the one binary: serve, init, migrate, version.
#include <unistd.h>

#include <cstdio>
#include <iostream>

#include <CLI/CLI.hpp>
#include <spdlog/spdlog.h>

#include "api/audit.h"
#include "app/app.h"
#include "app/cli_calendar.h"
#include "app/cli_ledger.h"
#include "app/config.h"
#include "app/demo_problems.h"
#include "app/problem_jobs.h"
#include "app/project_gen.h"
#include "app/seed.h"
#include "core/clock.h"
#include "storage/migrations.h"
#include "storage/project_repo.h"

namespace {

int Fail(const zb::Status& s) {
  std::cerr << "zhuanban: " << s.message();
  if (!s.field().empty()) std::cerr << " [" << s.field() << "]";
  std::cerr << "\n";
  return 1;
}

// Search text that migration 0005 could only copy (no OpenCC nor pinyin in
// SQL) or that is missing: written properly (storage/project_repo.h).
zb::Status RebuildProjectSearch(zb::db::Pool& pool) {
  int64_t n = 0;
  ZB_RETURN_IF_ERROR(zb::db::InTx(pool, [&](zb::db::Connection& c) -> zb::Status {
    ZB_ASSIGN_OR_RETURN(n, zb::storage::RebuildProjectSearch(c));
    return zb::Status();
  }));
  if (n > 0) std::cout << "search text rebuilt for " << n << " projects\n";
  return zb::Status();
}

}  // namespace

int main(int argc, char** argv) {
  using zb::app::Config;
  using zb::app::ConfigBinder;

  CLI::App cli{"zhuanban (专班) — key investment project service platform"};
  cli.require_subcommand(1);
  cli.set_help_all_flag("--help-all", "Help for every subcommand");

  Config serve_config;
  CLI::App* serve = cli.add_subcommand("serve", "Serve the JSON API and the web app");
  ConfigBinder serve_binder(serve, &serve_config, true);
  bool print_config = false;
  serve->add_flag("--print-config", print_config, "Print the effective configuration and exit");

  Config init_config;
  CLI::App* init = cli.add_subcommand("init", "Create the database, its schema and the root org unit");
  ConfigBinder init_binder(init, &init_config, false);
  zb::app::InitOptions init_options;
  init->add_option("--org-name", init_options.root_name, "Name of the root org unit (e.g. 莱山区)");
  init->add_flag("--demo", init_options.demo, "Also seed a realistic demo organisation");

  Config migrate_config;
  CLI::App* migrate = cli.add_subcommand("migrate", "Apply pending schema migrations and exit");
  ConfigBinder migrate_binder(migrate, &migrate_config, false);

  Config gen_config;
  CLI::App* gen = cli.add_subcommand("gen", "Add scale data for benchmarks: N believable projects (app/project_gen.h)");
  ConfigBinder gen_binder(gen, &gen_config, false);
  int64_t gen_projects = 0;
  int64_t gen_problems = 0;
  uint64_t gen_seed = 1;
  gen->add_option("--projects", gen_projects, "How many projects to add")->check(CLI::NonNegativeNumber);
  gen->add_option("--problems", gen_problems, "How many ledger items (问题诉求) to add (app/demo_problems.h)")
      ->check(CLI::NonNegativeNumber);
  gen->add_option("--seed", gen_seed, "Random seed: the same seed gives the same projects (default 1)");

  Config audit_config;
  CLI::App* audit = cli.add_subcommand("audit", "Audit log tools");
  audit->require_subcommand(1);
  CLI::App* audit_verify = audit->add_subcommand(
      "verify", "Walk the audit log's hash chain; name the first broken link (exit 1)");
  ConfigBinder audit_binder(audit_verify, &audit_config, false);

  CLI::App* version = cli.add_subcommand("version", "Print the version and the schema versions");

  zb::app::LedgerCommands ledger(cli);  // import, export
  zb::app::CalendarCommands calendar(cli);  // calendar import
  zb::app::ProblemCommands problems(cli);   // problems daily

  CLI11_PARSE(cli, argc, argv);
  if (auto code = ledger.Run()) return *code;
  if (auto code = calendar.Run()) return *code;
  if (auto code = problems.Run()) return *code;

  if (version->parsed()) {
    std::cout << "zhuanban " << ZB_VERSION << "\n"
              << "schema: sqlite " << zb::db::LatestVersion(zb::db::Dialect::kSqlite) << ", postgres "
              << zb::db::LatestVersion(zb::db::Dialect::kPostgres) << "\n";
    return 0;
  }

  if (serve->parsed()) {
    if (auto s = serve_binder.Finish(); !s.ok()) return Fail(s);
    if (print_config) {
      std::cout << serve_binder.Render();
      return 0;
    }
    zb::app::SetUpLogging(serve_config);
    auto app = zb::app::App::Create(serve_config, zb::SystemClock::Get());
    if (!app.ok()) return Fail(app.status());
    std::printf("zhuanban %s serving on http://%s:%u (database: %s)\n", ZB_VERSION,
                serve_config.ServerOptions()->host.c_str(), (*app)->port(),
                std::string(zb::db::DialectName((*app)->pool().dialect())).c_str());
    std::fflush(stdout);
    (*app)->StartBackgroundJobs();
    (*app)->Run(/*handle_signals=*/true);
    return 0;
  }

  if (init->parsed()) {
    if (auto s = init_binder.Finish(); !s.ok()) return Fail(s);
    zb::app::SetUpLogging(init_config);
    auto pool = zb::app::OpenDatabase(init_config);
    if (!pool.ok()) return Fail(pool.status());
    if (auto s = RebuildProjectSearch(**pool); !s.ok()) return Fail(s);
    auto report = zb::app::InitDatabase(**pool, init_options, zb::SystemClock::Get());
    if (!report.ok()) return Fail(report.status());
    std::cout << *report;
    (*pool)->Close();
    return 0;
  }

  if (audit_verify->parsed()) {
    if (auto s = audit_binder.Finish(); !s.ok()) return Fail(s);
    zb::app::SetUpLogging(audit_config);
    auto pool = zb::db::Pool::Open(audit_config.db, audit_config.PoolOptions());
    if (!pool.ok()) return Fail(pool.status());
    auto report = zb::api::VerifyAuditLog(**pool);
    (*pool)->Close();
    if (!report.ok()) return Fail(report.status());
    if (!report->intact()) {
      std::cout << "审计日志被篡改 (audit log tampered): " << report->message << "\n";
      return 1;
    }
    std::cout << "审计日志完整 (audit log intact): " << report->entries << " entries\n";
    return 0;
  }

  if (migrate->parsed()) {
    if (auto s = migrate_binder.Finish(); !s.ok()) return Fail(s);
    zb::app::SetUpLogging(migrate_config);
    auto pool = zb::db::Pool::Open(migrate_config.db, migrate_config.PoolOptions());
    if (!pool.ok()) return Fail(pool.status());
    auto report = zb::db::Migrate(**pool);
    if (!report.ok()) return Fail(report.status());
    std::cout << "schema version " << report->from_version << " → " << report->to_version;
    if (report->applied.empty()) std::cout << " (up to date)";
    std::cout << "\n";
    for (const auto& name : report->applied) std::cout << "  applied " << name << "\n";
    if (auto s = RebuildProjectSearch(**pool); !s.ok()) return Fail(s);
    (*pool)->Close();
    return 0;
  }

  if (gen->parsed()) {
    if (auto s = gen_binder.Finish(); !s.ok()) return Fail(s);
    zb::app::SetUpLogging(gen_config);
    auto pool = zb::app::OpenDatabase(gen_config);
    if (!pool.ok()) return Fail(pool.status());
    const bool tty = isatty(fileno(stderr)) != 0;
    if (gen_projects == 0 && gen_problems > 0) {
      auto made = zb::app::GenerateProblems(**pool, gen_problems, gen_seed, [tty](int64_t done, int64_t total) {
        if (tty) std::fprintf(stderr, "\r生成问题 (problems) %lld / %lld", static_cast<long long>(done),
                              static_cast<long long>(total));
      });
      if (tty) std::fprintf(stderr, "\n");
      (*pool)->Close();
      if (!made.ok()) return Fail(made.status());
      std::cout << "generated " << *made << " problems\n";
      return 0;
    }
    if (gen_problems > 0) {
      std::cerr << "zhuanban: gen takes --projects or --problems, one at a time\n";
      return 2;
    }
    auto report = zb::app::GenerateProjects(**pool, gen_projects, gen_seed, [tty](int64_t done, int64_t total) {
      if (tty) std::fprintf(stderr, "\r生成项目 (projects) %lld / %lld", static_cast<long long>(done),
                            static_cast<long long>(total));
    });
    if (tty) std::fprintf(stderr, "\n");
    (*pool)->Close();
    if (!report.ok()) return Fail(report.status());
    std::cout << "generated " << report->projects << " projects, " << report->enterprises << " new enterprises, "
              << report->plans << " node plans\n";
    return 0;
  }
  return 0;
}
