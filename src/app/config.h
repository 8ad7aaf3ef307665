// Configuration: command-line flags, then environment (ZB_*), then an
// optional TOML file (--config / ZB_CONFIG), then defaults — the first that
// sets a value wins. Every key has the same name in all three places:
// flag --body-limit, env ZB_BODY_LIMIT, TOML body_limit.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "api/auth.h"
#include "core/status.h"
#include "http/server.h"
#include "storage/db.h"

namespace zb::app {

struct Config {
  std::string db = "sqlite:./var/zhuanban.db";
  std::string listen = "127.0.0.1:8080";
  std::string web_root = "web/dist";
  std::string data_dir = "./var";  // uploaded files: <data_dir>/attachments/ab/cd/<sha256>
  int io_threads = 1;
  int workers = 4;
  int64_t body_limit = 12 * 1024 * 1024;  // a 10 MiB photo (attachments) with its multipart envelope
  int64_t header_limit = 16 * 1024;
  int64_t read_timeout_ms = 15000;
  int64_t idle_timeout_ms = 60000;
  int64_t shutdown_timeout_ms = 10000;
  std::string access_log = "-";  // "-": standard output; "off"; or a file path
  std::string log_level = "info";
  std::string sqlite_synchronous = "FULL";
  int db_pool = 4;
  // Sign-in (等保: timeouts, lockout, password age); see docs/security.md.
  int64_t session_idle_minutes = 30;
  int64_t session_absolute_hours = 12;
  int64_t lockout_failures = 5;
  int64_t lockout_minutes = 15;
  int64_t password_max_age_days = 90;
  int64_t cookie_secure = 0;  // 1: the session cookie is Secure (served over TLS)
  std::string config_file;

  // Checks ranges and formats; names the offending key.
  Status Validate() const;
  StatusOr<http::ServerOptions> ServerOptions() const;
  db::PoolOptions PoolOptions() const;
  api::SecurityConfig Security() const;
};

// Binds options to a CLI11 (sub)command and applies the TOML file after
// parsing. Keep one binder per subcommand.
class ConfigBinder {
 public:
  // `serve_options`: also bind the HTTP server's keys (not only the database's).
  ConfigBinder(CLI::App* cmd, Config* config, bool serve_options);

  // Call after CLI parsing: fills keys neither a flag nor the environment set
  // from the TOML file, then validates.
  Status Finish();

  // The effective configuration as TOML, each key commented with its source.
  std::string Render() const;

 private:
  struct Binding {
    std::string key;
    CLI::Option* option;
    std::function<Status(const void* toml_node)> from_toml;
    std::function<std::string()> render;
    std::string source = "default";
  };
  template <typename T>
  void Bind(const std::string& key, T* target, const std::string& help);

  CLI::App* cmd_;
  Config* config_;
  std::vector<Binding> bindings_;
};

}  // namespace zb::app
