#include "app/config.h"

#include <nlohmann/json.hpp>
#include <toml++/toml.h>

#include <algorithm>
#include <cstdlib>
#include <sstream>

namespace zb::app {

namespace {

std::string EnvName(const std::string& key) {
  std::string e = "ZB_";
  for (char c : key) e += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return e;
}

std::string FlagName(const std::string& key) {
  std::string f = "--";
  for (char c : key) f += c == '_' ? '-' : c;
  return f;
}

// A TOML basic string: JSON's escaping is a subset TOML accepts.
std::string TomlQuote(const std::string& s) { return nlohmann::json(s).dump(); }

}  // namespace

template <typename T>
void ConfigBinder::Bind(const std::string& key, T* target, const std::string& help) {
  Binding b;
  b.key = key;
  b.option = cmd_->add_option(FlagName(key), *target, help)->envname(EnvName(key));
  if constexpr (!std::is_same_v<T, std::string>) b.option->type_name("INT");
  b.from_toml = [target, key](const void* node_ptr) -> Status {
    const auto& node = *static_cast<const toml::node*>(node_ptr);
    if constexpr (std::is_same_v<T, std::string>) {
      if (auto v = node.value<std::string>()) { *target = *v; return Status::Ok(); }
      return ValidationFailed("配置项 " + key + " 应为字符串 (must be a string)", key);
    } else {
      if (auto v = node.value<int64_t>()) { *target = static_cast<T>(*v); return Status::Ok(); }
      return ValidationFailed("配置项 " + key + " 应为整数 (must be an integer)", key);
    }
  };
  b.render = [target]() -> std::string {
    if constexpr (std::is_same_v<T, std::string>) return TomlQuote(*target);
    else return std::to_string(*target);
  };
  bindings_.push_back(std::move(b));
}

ConfigBinder::ConfigBinder(CLI::App* cmd, Config* c, bool serve_options) : cmd_(cmd), config_(c) {
  cmd->add_option("--config", c->config_file, "TOML configuration file")->envname("ZB_CONFIG");
  Bind("db", &c->db, "Database: sqlite:PATH or postgresql://user@host:port/dbname");
  Bind("db_pool", &c->db_pool, "Database read connections (SQLite) / pool size (PostgreSQL)");
  Bind("sqlite_synchronous", &c->sqlite_synchronous, "SQLite synchronous mode: FULL or NORMAL");
  Bind("log_level", &c->log_level, "Log level: trace, debug, info, warn, error, off");
  if (!serve_options) return;
  Bind("listen", &c->listen, "Address to listen on, HOST:PORT (port 0 picks a free one)");
  Bind("web_root", &c->web_root, "Directory of the built web app (web/dist)");
  Bind("data_dir", &c->data_dir, "Directory for uploaded files (attachments/ under it)");
  Bind("io_threads", &c->io_threads, "HTTP I/O threads (1-2 suit a small machine)");
  Bind("workers", &c->workers, "Worker threads that run handlers");
  Bind("body_limit", &c->body_limit, "Largest request body in bytes (413 beyond)");
  Bind("header_limit", &c->header_limit, "Largest request head in bytes (431 beyond)");
  Bind("read_timeout_ms", &c->read_timeout_ms, "Time a client has to send a whole request");
  Bind("idle_timeout_ms", &c->idle_timeout_ms, "Time a keep-alive connection may wait idle");
  Bind("shutdown_timeout_ms", &c->shutdown_timeout_ms, "Time to finish requests in flight at shutdown");
  Bind("access_log", &c->access_log, "Access log: - (standard output), off, or a file path");
  Bind("session_idle_minutes", &c->session_idle_minutes, "Sign out after this many idle minutes");
  Bind("session_absolute_hours", &c->session_absolute_hours, "Sign out this many hours after sign-in");
  Bind("lockout_failures", &c->lockout_failures, "Failed sign-ins that lock an account");
  Bind("lockout_minutes", &c->lockout_minutes, "Minutes an account stays locked");
  Bind("password_max_age_days", &c->password_max_age_days, "Days before a password must be changed (0: never)");
  Bind("cookie_secure", &c->cookie_secure, "1: mark the session cookie Secure (HTTPS only)");
}

Status ConfigBinder::Finish() {
  // CLI11 reads the environment only when the flag is absent, so a result equal
  // to the environment's value came from there.
  for (auto& b : bindings_) {
    if (b.option->count() == 0) continue;
    const char* env = std::getenv(EnvName(b.key).c_str());
    bool from_env = env != nullptr && b.option->results() == std::vector<std::string>{env};
    b.source = from_env ? "environment" : "flag";
  }
  if (!config_->config_file.empty()) {
    toml::table table;
    try {
      table = toml::parse_file(config_->config_file);
    } catch (const toml::parse_error& err) {
      std::ostringstream where;
      where << err.source().begin;
      return ValidationFailed("配置文件 " + config_->config_file + " 有误 (" + where.str() + "): " +
                                  std::string(err.description()),
                              "config");
    }
    for (const auto& [k, node] : table) {
      auto it = std::find_if(bindings_.begin(), bindings_.end(), [&](const Binding& b) { return b.key == k.str(); });
      if (it == bindings_.end()) {
        return ValidationFailed("配置文件 " + config_->config_file + " 中有未知配置项 " + std::string(k.str()) +
                                    " (unknown key)",
                                std::string(k.str()));
      }
      if (it->option->count() > 0) continue;  // a flag or the environment wins
      ZB_RETURN_IF_ERROR(it->from_toml(&node));
      it->source = "file " + config_->config_file;
    }
  }
  return config_->Validate();
}

std::string ConfigBinder::Render() const {
  std::string out = "# zhuanban effective configuration (flag > environment > file > default)\n";
  for (const auto& b : bindings_) {
    std::string line = b.key + " = " + b.render();
    if (line.size() < 48) line.resize(48, ' ');
    out += line + " # " + b.source + "\n";
  }
  return out;
}

Status Config::Validate() const {
  if (!(db.starts_with("sqlite:") || db.starts_with("postgresql://") || db.starts_with("postgres://"))) {
    return ValidationFailed("db 应为 sqlite:PATH 或 postgresql://… (got " + db + ")", "db");
  }
  if (db == "sqlite:") return ValidationFailed("db 缺少 SQLite 文件路径", "db");
  if (data_dir.empty()) return ValidationFailed("data_dir 不能为空 (data_dir is empty)", "data_dir");
  auto range = [](int64_t v, int64_t lo, int64_t hi, const char* key) -> Status {
    if (v < lo || v > hi) {
      return ValidationFailed(std::string(key) + " 应在 " + std::to_string(lo) + " 到 " + std::to_string(hi) +
                                  " 之间 (got " + std::to_string(v) + ")",
                              key);
    }
    return Status::Ok();
  };
  ZB_RETURN_IF_ERROR(range(io_threads, 1, 16, "io_threads"));
  ZB_RETURN_IF_ERROR(range(workers, 1, 256, "workers"));
  ZB_RETURN_IF_ERROR(range(db_pool, 1, 256, "db_pool"));
  ZB_RETURN_IF_ERROR(range(body_limit, 1024, int64_t{1} << 31, "body_limit"));
  ZB_RETURN_IF_ERROR(range(header_limit, 1024, 1 << 20, "header_limit"));
  ZB_RETURN_IF_ERROR(range(read_timeout_ms, 100, 3'600'000, "read_timeout_ms"));
  ZB_RETURN_IF_ERROR(range(idle_timeout_ms, 100, 3'600'000, "idle_timeout_ms"));
  ZB_RETURN_IF_ERROR(range(shutdown_timeout_ms, 0, 3'600'000, "shutdown_timeout_ms"));
  ZB_RETURN_IF_ERROR(range(session_idle_minutes, 1, 24 * 60, "session_idle_minutes"));
  ZB_RETURN_IF_ERROR(range(session_absolute_hours, 1, 24 * 30, "session_absolute_hours"));
  ZB_RETURN_IF_ERROR(range(lockout_failures, 1, 100, "lockout_failures"));
  ZB_RETURN_IF_ERROR(range(lockout_minutes, 1, 24 * 60, "lockout_minutes"));
  ZB_RETURN_IF_ERROR(range(password_max_age_days, 0, 3650, "password_max_age_days"));
  ZB_RETURN_IF_ERROR(range(cookie_secure, 0, 1, "cookie_secure"));
  if (sqlite_synchronous != "FULL" && sqlite_synchronous != "NORMAL") {
    return ValidationFailed("sqlite_synchronous 应为 FULL 或 NORMAL", "sqlite_synchronous");
  }
  static const char* kLevels[] = {"trace", "debug", "info", "warn", "error", "critical", "off"};
  if (std::none_of(std::begin(kLevels), std::end(kLevels), [&](const char* l) { return log_level == l; })) {
    return ValidationFailed("log_level 应为 trace/debug/info/warn/error/off", "log_level");
  }
  auto opts = ServerOptions();
  return opts.ok() ? Status::Ok() : opts.status();
}

StatusOr<http::ServerOptions> Config::ServerOptions() const {
  http::ServerOptions o;
  size_t colon = listen.rfind(':');
  if (colon == std::string::npos || colon == 0) {
    return ValidationFailed("listen 应为 HOST:PORT (got " + listen + ")", "listen");
  }
  std::string host = listen.substr(0, colon);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  std::string port = listen.substr(colon + 1);
  char* end = nullptr;
  long p = std::strtol(port.c_str(), &end, 10);
  if (port.empty() || *end != '\0' || p < 0 || p > 65535) {
    return ValidationFailed("listen 的端口应为 0–65535 (got " + port + ")", "listen");
  }
  o.host = host == "localhost" ? "127.0.0.1" : host;
  o.port = static_cast<uint16_t>(p);
  o.io_threads = io_threads;
  o.workers = workers;
  o.body_limit = static_cast<size_t>(body_limit);
  o.header_limit = static_cast<size_t>(header_limit);
  o.read_timeout = std::chrono::milliseconds(read_timeout_ms);
  o.idle_timeout = std::chrono::milliseconds(idle_timeout_ms);
  o.shutdown_timeout = std::chrono::milliseconds(shutdown_timeout_ms);
  return o;
}

db::PoolOptions Config::PoolOptions() const {
  db::PoolOptions o;
  o.readers = db_pool;
  o.sqlite_synchronous = sqlite_synchronous;
  return o;
}

api::SecurityConfig Config::Security() const {
  api::SecurityConfig s;
  s.session.idle_ms = session_idle_minutes * 60'000;
  s.session.absolute_ms = session_absolute_hours * 3'600'000;
  s.lockout.max_failures = static_cast<int>(lockout_failures);
  s.lockout.lock_ms = lockout_minutes * 60'000;
  s.password.max_age_days = password_max_age_days;
  s.cookie_secure = cookie_secure != 0;
  return s;
}

}  // namespace zb::app
