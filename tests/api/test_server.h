// An in-process zhuanban server on port 0 over a fresh real database (the
// engine named by ZB_TEST_DB: sqlite or postgres), and a small blocking HTTP
// client, for the API test suite.
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <thread>

#include <nlohmann/json.hpp>

#include "app/app.h"
#include "core/clock.h"

namespace zb::testing {

using Json = nlohmann::json;

struct HttpResult {
  int status = 0;
  std::map<std::string, std::string> headers;  // lower-case names
  std::string body;
  Json json() const;
  std::string header(const std::string& lower_name) const {
    auto it = headers.find(lower_name);
    return it == headers.end() ? std::string() : it->second;
  }
};

class TestServer {
 public:
  // Starts a server; `tweak` may adjust the config (limits, timeouts, web
  // root) and `extra_routes` add test-only routes. Fails the test on error.
  explicit TestServer(const std::function<void(app::Config&)>& tweak = {},
                      const std::function<void(http::Router&)>& extra_routes = {});
  ~TestServer();

  uint16_t port() const { return port_; }
  app::App& app() { return *app_; }
  const std::string& db_url() const { return db_url_; }
  const std::string& data_dir() const { return data_dir_; }  // a fresh temporary directory per server
  FakeClock& clock() { return clock_; }
  // Begins a graceful shutdown and waits for Run() to return.
  void Stop();

  // `zhuanban init` on the test database, then the admin's password set to
  // kAdminPassword (no forced change) and signed in: later requests carry
  // the session cookie and the CSRF token unless the caller sets them.
  void SignInAsAdmin();
  // Signs in; returns the login response. On 200 the session is kept.
  HttpResult SignIn(const std::string& login, const std::string& password);
  void SignOutLocally() { cookie_.clear(); csrf_.clear(); }
  const std::string& cookie() const { return cookie_; }
  const std::string& csrf() const { return csrf_; }
  static constexpr const char* kAdminPassword = "Zb-Test-Admin-2026!";

  HttpResult Get(const std::string& target, const std::map<std::string, std::string>& headers = {}) const;
  HttpResult Send(const std::string& method, const std::string& target, const std::string& body,
                  const std::map<std::string, std::string>& headers = {}) const;
  HttpResult SendJson(const std::string& method, const std::string& target, const Json& body,
                      const std::map<std::string, std::string>& headers = {}) const;

 private:
  FakeClock clock_;
  std::string db_url_;
  std::string data_dir_;
  std::unique_ptr<app::App> app_;
  std::thread thread_;
  uint16_t port_ = 0;
  std::string cookie_;  // "zb_session=…"
  std::string csrf_;
};

// Parses one raw HTTP/1.1 response.
HttpResult ParseHttpResponse(const std::string& raw);

// Which engine this run of the suite uses ("sqlite" or "postgres").
std::string TestEngine();

// Whether a TCP connection to the port is accepted.
bool CanConnect(uint16_t port);

// Raw TCP helpers for robustness tests.
class RawConnection {
 public:
  explicit RawConnection(uint16_t port);
  ~RawConnection();
  bool Send(const std::string& bytes);
  // Reads until the peer closes or `timeout_ms` passes. Returns what arrived;
  // *closed tells whether the peer closed the connection.
  std::string ReadUntilClose(int timeout_ms, bool* closed);
  // Reads one HTTP response (head and Content-Length body). Bytes past it
  // (a pipelined answer that came in the same read) are kept for the next.
  std::string ReadResponse(int timeout_ms);

 private:
  enum class Recv { kData, kTimeout, kClosed };
  Recv RecvSome(std::chrono::steady_clock::time_point deadline, std::string* out);
  int fd_ = -1;
  std::string pending_;  // read past the last response ReadResponse returned
};

}  // namespace zb::testing
