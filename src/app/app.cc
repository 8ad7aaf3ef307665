#include "app/app.h"

#include "api/warnings.h"
#include "app/problem_jobs.h"

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <mutex>
#include <optional>
#include <set>

#include <spdlog/sinks/basic_file_sink.h>
#include <spdlog/sinks/base_sink.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include "storage/migrations.h"
#include "storage/list_cache.h"
#include "storage/project_repo.h"

namespace zb::app {

namespace fs = std::filesystem;

void SetUpLogging(const Config& config) {
  static std::once_flag once;
  std::call_once(once, [] { spdlog::set_default_logger(spdlog::stderr_color_mt("zhuanban")); });
  spdlog::set_level(spdlog::level::from_str(config.log_level));
}

namespace {

// Standard output without a flush per line (spdlog's stdout sink flushes
// every message: a write(2) per request, a third of the throughput). Lines
// reach the terminal or journal within a second (flush_every) and at exit.
class BufferedStdoutSink final : public spdlog::sinks::base_sink<std::mutex> {
 protected:
  void sink_it_(const spdlog::details::log_msg& msg) override {
    spdlog::memory_buf_t buf;
    formatter_->format(msg, buf);
    std::fwrite(buf.data(), 1, buf.size(), stdout);
  }
  void flush_() override { std::fflush(stdout); }
};

std::shared_ptr<spdlog::logger> MakeAccessLog(const Config& config) {
  if (config.access_log == "off") return nullptr;
  std::shared_ptr<spdlog::logger> logger;
  try {
    if (config.access_log == "-") {
      logger = std::make_shared<spdlog::logger>("access", std::make_shared<BufferedStdoutSink>());
    } else {
      logger = std::make_shared<spdlog::logger>(
          "access", std::make_shared<spdlog::sinks::basic_file_sink_mt>(config.access_log));
    }
    // Registered so that flush_every reaches it.
    spdlog::drop("access");
    spdlog::register_logger(logger);
    spdlog::flush_every(std::chrono::seconds(1));
  } catch (const spdlog::spdlog_ex& e) {
    spdlog::error("access log {}: {}; access logging disabled", config.access_log, e.what());
    return nullptr;
  }
  logger->set_pattern("%Y-%m-%dT%H:%M:%S.%e%z %v");
  return logger;
}

}  // namespace

StatusOr<std::unique_ptr<db::Pool>> OpenDatabase(const Config& config) {
  if (config.db.starts_with("sqlite:")) {
    fs::path file = config.db.substr(7);
    if (file != ":memory:" && file.has_parent_path()) {
      std::error_code ec;
      fs::create_directories(file.parent_path(), ec);
      if (ec) {
        return Unavailable("无法创建数据库目录 " + file.parent_path().string() + " (" + ec.message() + ")");
      }
    }
  }
  ZB_ASSIGN_OR_RETURN(auto pool, db::Pool::Open(config.db, config.PoolOptions()));
  ZB_ASSIGN_OR_RETURN(auto report, db::Migrate(*pool));
  for (const auto& name : report.applied) spdlog::info("migration applied: {}", name);
  return pool;
}

StatusOr<std::unique_ptr<App>> App::Create(const Config& config, const Clock& clock,
                                          const std::function<void(http::Router&)>& extra_routes) {
  ZB_RETURN_IF_ERROR(config.Validate());
  ZB_ASSIGN_OR_RETURN(http::ServerOptions server_options, config.ServerOptions());
  std::unique_ptr<App> app(new App());
  ZB_ASSIGN_OR_RETURN(app->pool_, OpenDatabase(config));
#ifdef ZB_WITH_POSTGRES
  if (app->pool_->dialect() == db::Dialect::kPostgres) {
    app->version_watch_ = storage::WatchLedgerVersions(*app->pool_, config.db);
  }
#endif
  app->ctx_.pool = app->pool_.get();
  app->ctx_.clock = &clock;
  app->ctx_.version = ZB_VERSION;
  app->ctx_.security = config.Security();
  app->ctx_.data_dir = config.data_dir;
  app->ctx_.ip_limiter = std::make_unique<domain::IpFailureLimiter>(app->ctx_.security.lockout);
  auto router = std::make_unique<http::Router>();
  api::RegisterAllRoutes(*router, app->ctx_);
  if (extra_routes) extra_routes(*router);
  app->service_ = std::make_unique<http::Service>(
      std::move(router), std::make_unique<http::StaticFiles>(config.web_root), MakeAccessLog(config));
  app->ctx_.service = app->service_.get();
  app->service_->set_authenticator(
      std::make_shared<api::SessionAuthenticator>(*app->pool_, clock, app->ctx_.security));
  app->ctx_.openapi = http::OpenApiDocument(app->service_->router(), app->ctx_.version).dump();
  app->server_ = std::make_unique<http::Server>(server_options, *app->service_);
  ZB_RETURN_IF_ERROR(app->server_->Listen());
  return app;
}

void App::StartBackgroundJobs() {
  StartKeywordTables();
  jobs_ = std::thread([this] {
    std::optional<Date> ledger_day;  // the last day the ledger's daily job ran (app/problem_jobs.h)
    std::unique_lock lock(jobs_mu_);
    while (!stopping_) {
      lock.unlock();
      if (Status s = api::EnsureWarningsFresh(ctx_); !s.ok()) {
        spdlog::error("recomputing the warnings failed: {}", s.message());
      }
      if (const Date today = LocalDate(ctx_.clock->NowMs()); ledger_day != today) {
        auto done = RunProblemDaily(*pool_, today, ctx_.clock->NowMs());
        if (done.ok()) ledger_day = today;
        else spdlog::error("the ledger's daily job failed: {}", done.status().message());
      }
      lock.lock();
      jobs_cv_.wait_for(lock, std::chrono::minutes(1), [this] { return stopping_; });
    }
  });
}

void App::StartKeywordTables() {
  keyword_ = std::thread([this] {
    std::set<int64_t> years;                   // kept current: this year, and any a search asked for
    std::optional<storage::ListVersion> last;  // the data version at the previous tick
    std::unique_lock lock(jobs_mu_);
    while (true) {
      // Every 250 ms: a table is built once the data has stood still for a
      // tick — after a write, not against the writes and the pages that
      // follow it. Building costs ~0.2 s at 100 000 projects; a current
      // table costs nothing (storage::WarmKeywordTable finds it).
      if (jobs_cv_.wait_for(lock, std::chrono::milliseconds(250), [this] { return stopping_; })) return;
      years.insert(keyword_years_.begin(), keyword_years_.end());
      keyword_years_.clear();
      years.insert(LocalDate(ctx_.clock->NowMs()).year());
      lock.unlock();
      if (auto lease = pool_->Read(); lease.ok()) {
        std::optional<storage::ListVersion> now;
        if (auto v = storage::ReadListVersion(**lease); v.ok()) now = *v;
        const bool still = now && last && now->epoch == last->epoch && now->version == last->version;
        last = now;
        for (int64_t year : still ? years : std::set<int64_t>()) {
          if (Status s = storage::WarmKeywordTable(**lease, year); !s.ok()) {
            spdlog::warn("preparing the keyword search failed: {}", s.message());
          }
        }
      }
      lock.lock();
    }
  });
  storage::SetKeywordTableScheduler([this](int64_t year) {
    std::lock_guard lock(jobs_mu_);
    keyword_years_.push_back(year);
  });
}

void App::StopBackgroundJobs() {
  if (keyword_.joinable()) storage::SetKeywordTableScheduler({});
  {
    std::lock_guard lock(jobs_mu_);
    stopping_ = true;
  }
  jobs_cv_.notify_all();  // both threads
  if (jobs_.joinable()) jobs_.join();
  if (keyword_.joinable()) keyword_.join();
}

void App::Run(bool handle_signals) {
  server_->Run(handle_signals);
  StopBackgroundJobs();
  spdlog::info("server stopped; closing the database");
  if (auto access = spdlog::get("access")) access->flush();
  pool_->Close();
}

App::~App() {
  StopBackgroundJobs();
  server_.reset();
  if (pool_) pool_->Close();
}

}  // namespace zb::app
