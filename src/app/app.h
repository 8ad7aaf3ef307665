// App: the wiring. Config → database pool (migrated) → router with every
// route → Service → Server. Used by `zhuanban serve` and, in-process on port
// 0, by the API tests.
#pragma once

#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "api/api.h"
#include "app/config.h"
#include "core/clock.h"
#include "http/server.h"
#include "http/service.h"
#include "storage/db.h"
#include "storage/postgres/pg_version_watch.h"

namespace zb::app {

// Opens the database named by config.db (creating a SQLite file's directory)
// and applies pending migrations. Refuses a database newer than the binary.
StatusOr<std::unique_ptr<db::Pool>> OpenDatabase(const Config& config);

// Sets up the default (stderr) logger at config.log_level.
void SetUpLogging(const Config& config);

class App {
 public:
  // Opens and migrates the database, builds the routes, binds the socket.
  // `extra_routes` lets tests add routes of their own (e.g. a slow one).
  static StatusOr<std::unique_ptr<App>> Create(const Config& config, const Clock& clock,
                                               const std::function<void(http::Router&)>& extra_routes = {});
  ~App();

  uint16_t port() const { return server_->port(); }
  db::Pool& pool() { return *pool_; }
  const http::Router& router() const { return service_->router(); }
  // Serves until Shutdown() or, with handle_signals, SIGINT/SIGTERM; then
  // finishes requests in flight and closes the database.
  void Run(bool handle_signals);
  void Shutdown() { server_->Shutdown(); }

  // `serve` only: keeps the stored warnings current while serving — at
  // start-up and then every minute it asks api::EnsureWarningsFresh, which
  // recomputes them all when the day (China time), the calendar or the
  // thresholds have changed since; and, on a thread of its own, keeps the
  // keyword search's table current (storage::WarmKeywordTable) for this
  // year and any year a search asked for: built once the data has stood
  // still for 250 ms, while searches run in SQL. Stops when Run returns.
  void StartBackgroundJobs();

 private:
  App() = default;
  std::unique_ptr<db::Pool> pool_;
  // PostgreSQL: the listener keeping the 问题台账's versions (destroyed
  // before the pool; storage/ledger_versions.h).
  std::unique_ptr<storage::PgVersionWatch> version_watch_;
  api::ApiContext ctx_;
  std::unique_ptr<http::Service> service_;
  std::unique_ptr<http::Server> server_;
  std::thread jobs_;
  std::mutex jobs_mu_;
  std::condition_variable jobs_cv_;
  bool stopping_ = false;  // guarded by jobs_mu_
  // The keyword search's table keeper: the years searches asked for.
  std::thread keyword_;
  std::vector<int64_t> keyword_years_;  // guarded by jobs_mu_
  void StartKeywordTables();
  void StopBackgroundJobs();
};

}  // namespace zb::app
