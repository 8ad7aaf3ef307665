// Service: what happens to one parsed request, independent of sockets.
//
//   request id → route match (or static files for non-/api GETs) → handler
//   (exceptions become 500, never a crash) → error envelope → metrics →
//   access log.
//
// Runs on a worker thread; thread-safe once built.
#pragma once

#include <memory>
#include <string>

#include <spdlog/logger.h>

#include "http/message.h"
#include "http/metrics.h"
#include "http/router.h"
#include "http/static_files.h"

namespace zb::http {

class Service {
 public:
  // `access_log` may be null (no access log).
  Service(std::unique_ptr<Router> router, std::unique_ptr<StaticFiles> static_files,
          std::shared_ptr<spdlog::logger> access_log);

  Response Handle(Request& req);

  // A response for a request the session could not parse (too large, bad
  // headers): counted and logged like any other.
  Response Reject(const Status& status, std::string_view request_id, std::string_view remote_ip,
                  std::string_view method, std::string_view target);

  // Enables authentication and permission checks (http/auth.h). Without an
  // authenticator every route is open: only for tests of the HTTP layer.
  void set_authenticator(std::shared_ptr<Authenticator> a) { authenticator_ = std::move(a); }

  const Router& router() const { return *router_; }
  Metrics& metrics() { return metrics_; }

 private:
  Response Dispatch(Request& req);
  // 401/403 for a caller the route does not admit; sets req.principal().
  Status Admit(const Route& route, Request& req);
  void Log(std::string_view ip, std::string_view method, std::string_view target, int status, size_t bytes,
           double ms, std::string_view rid);
  std::unique_ptr<Router> router_;
  std::unique_ptr<StaticFiles> static_files_;
  std::shared_ptr<spdlog::logger> access_log_;
  std::shared_ptr<Authenticator> authenticator_;
  Metrics metrics_;
};

}  // namespace zb::http
