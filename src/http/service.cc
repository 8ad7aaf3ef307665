#include "http/service.h"

#include <chrono>
#include <exception>

#include <spdlog/spdlog.h>

#include "core/ids.h"
#include "http/static_files.h"

namespace zb::http {

namespace {

// A large JSON answer (the portfolio Gantt's 10 000 rows are ~4 MB) goes
// gzipped to a client that accepts it: level 1 costs a few ms per MB and
// shrinks such text 5–8 times, which is what a district's network notices.
constexpr size_t kCompressAbove = 64 * 1024;

void MaybeCompress(const Request& req, Response& r) {
  if (r.body.size() < kCompressAbove || !r.content_type.starts_with("application/json")) return;
  if (!AcceptsGzip(req.Header("Accept-Encoding"))) return;
  std::string gz = Gzip(r.body, 1);
  if (gz.empty() || gz.size() >= r.body.size()) return;
  r.body = std::move(gz);
  r.With("Content-Encoding", "gzip").With("Vary", "Accept-Encoding");
}

std::vector<std::string> RouteLabels(const Router& r) {
  std::vector<std::string> out;
  for (const Route& route : r.routes()) out.push_back(route.pattern);
  return out;
}
}  // namespace

Service::Service(std::unique_ptr<Router> router, std::unique_ptr<StaticFiles> static_files,
                 std::shared_ptr<spdlog::logger> access_log)
    : router_(std::move(router)),
      static_files_(std::move(static_files)),
      access_log_(std::move(access_log)),
      metrics_(RouteLabels(*router_)) {}

Response Service::Dispatch(Request& req) {
  const std::string& path = req.path();
  bool api = path == "/api" || path.starts_with("/api/");
  auto match = router_->Match(req.method(), path);
  if (!match.ok()) {
    bool get = req.verb() == boost::beast::http::verb::get || req.verb() == boost::beast::http::verb::head;
    if (!api && get && match.status().code() == StatusCode::kNotFound && static_files_) {
      req.set_route("static");
      return static_files_->Serve(req);
    }
    if (match.status().code() == StatusCode::kMethodNotAllowed) {
      Response r = Response::Error(Status(StatusCode::kMethodNotAllowed, match.status().message()));
      r.With("Allow", match.status().field());
      return r;
    }
    return Response::Error(match.status());
  }
  req.set_route(match->route->pattern);
  req.SetPathParams(std::move(match->params));
  try {
    if (Status admitted = Admit(*match->route, req); !admitted.ok()) return Response::Error(admitted);
    StatusOr<Response> r = match->route->handler(req);
    if (!r.ok()) {
      if (r.status().code() == StatusCode::kInternal) {
        spdlog::error("rid={} {} {}: {}", req.request_id(), req.method(), path, r.status().ToString());
        return Response::Error(Internal("服务器内部错误,请联系管理员并提供请求编号 " + req.request_id()));
      }
      return Response::Error(r.status());
    }
    MaybeCompress(req, *r);
    return std::move(r).value();
  } catch (const std::exception& e) {
    spdlog::error("rid={} {} {}: unhandled exception: {}", req.request_id(), req.method(), path, e.what());
  } catch (...) {
    spdlog::error("rid={} {} {}: unhandled non-standard exception", req.request_id(), req.method(), path);
  }
  return Response::Error(Internal("服务器内部错误,请联系管理员并提供请求编号 " + req.request_id()));
}

Status Service::Admit(const Route& route, Request& req) {
  const RouteDoc& doc = route.doc;
  if (!authenticator_ || doc.permission == kPublic) return Status::Ok();
  ZB_ASSIGN_OR_RETURN(std::shared_ptr<const Principal> p, authenticator_->Authenticate(req));
  auto verb = req.verb();
  bool unsafe = verb != boost::beast::http::verb::get && verb != boost::beast::http::verb::head &&
                verb != boost::beast::http::verb::options;
  if (unsafe && !p->via_token && (p->csrf_token.empty() || req.Header("X-CSRF-Token") != p->csrf_token)) {
    return Forbidden("缺少或错误的 CSRF 令牌,请刷新页面后重试 (missing or wrong X-CSRF-Token)");
  }
  if (p->must_change_password && !doc.allow_before_password_change) {
    return Forbidden("请先修改密码 (you must change your password first)");
  }
  if (doc.permission != kAuthenticated && !p->Has(doc.permission)) {
    return Forbidden("没有权限:" + doc.permission + " (permission required)");
  }
  req.set_principal(std::move(p));
  return Status::Ok();
}

Response Service::Handle(Request& req) {
  auto start = std::chrono::steady_clock::now();
  Metrics::InFlight gauge(metrics_);
  std::string_view rid = req.Header("X-Request-Id");
  req.set_request_id(!rid.empty() && IsSafeId(rid) ? std::string(rid) : NewRequestId());
  Response r = Dispatch(req);
  double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  metrics_.Observe(req.route(), req.method(), r.status, ms);
  Log(req.remote_ip(), req.method(), req.target(), r.status, r.body.size(), ms, req.request_id());
  return r;
}

Response Service::Reject(const Status& status, std::string_view request_id, std::string_view remote_ip,
                         std::string_view method, std::string_view target) {
  Response r = Response::Error(status);
  metrics_.Observe("unmatched", method, r.status, 0);
  Log(remote_ip, method, target, r.status, r.body.size(), 0, request_id);
  return r;
}

void Service::Log(std::string_view ip, std::string_view method, std::string_view target, int status,
                  size_t bytes, double ms, std::string_view rid) {
  if (!access_log_) return;
  if (target.size() > 512) target = target.substr(0, 512);
  access_log_->info("{} \"{} {}\" {} {} {:.3f}ms rid={}", ip, method, target, status, bytes, ms, rid);
}

}  // namespace zb::http
