// zhuanban — the one binary: serve, init, migrate, version.
#include <cstdio>
#include <iostream>

#include <CLI/CLI.hpp>
#include <spdlog/spdlog.h>

#include "api/audit.h"
#include "app/app.h"
#include "app/config.h"
#include "app/seed.h"
#include "core/clock.h"
#include "storage/migrations.h"

namespace {

int Fail(const zb::Status& s) {
  std::cerr << "zhuanban: " << s.message();
  if (!s.field().empty()) std::cerr << " [" << s.field() << "]";
  std::cerr << "\n";
  return 1;
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

  Config audit_config;
  CLI::App* audit = cli.add_subcommand("audit", "Audit log tools");
  audit->require_subcommand(1);
  CLI::App* audit_verify = audit->add_subcommand(
      "verify", "Walk the audit log's hash chain; name the first broken link (exit 1)");
  ConfigBinder audit_binder(audit_verify, &audit_config, false);

  CLI::App* version = cli.add_subcommand("version", "Print the version and the schema versions");

  CLI11_PARSE(cli, argc, argv);

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
    (*app)->Run(/*handle_signals=*/true);
    return 0;
  }

  if (init->parsed()) {
    if (auto s = init_binder.Finish(); !s.ok()) return Fail(s);
    zb::app::SetUpLogging(init_config);
    auto pool = zb::app::OpenDatabase(init_config);
    if (!pool.ok()) return Fail(pool.status());
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
    (*pool)->Close();
    return 0;
  }
  return 0;
}
