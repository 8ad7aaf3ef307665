#include "api/test_server.h"

#include <atomic>
#include <filesystem>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>

#include "app/seed.h"
#include "domain/password.h"
#include "storage/test_db.h"
#include "storage/user_repo.h"

namespace zb::testing {

std::string TestEngine() {
  const char* e = std::getenv("ZB_TEST_DB");
  return e && std::string(e) == "postgres" ? "postgres" : "sqlite";
}

Json HttpResult::json() const {
  Json j = Json::parse(body, nullptr, false);
  EXPECT_FALSE(j.is_discarded()) << "response is not JSON: " << body.substr(0, 300);
  return j;
}

TestServer::TestServer(const std::function<void(app::Config&)>& tweak,
                       const std::function<void(http::Router&)>& extra_routes) {
  auto url = testdb::FreshDatabaseUrl(TestEngine() == "postgres" ? db::Dialect::kPostgres : db::Dialect::kSqlite);
  if (!url.ok()) {
    ADD_FAILURE() << "no test database: " << url.status().ToString();
    return;
  }
  db_url_ = *url;
  app::Config config;
  config.db = db_url_;
  config.listen = "127.0.0.1:0";
  config.web_root = "";
  config.access_log = "off";
  config.log_level = "warn";
  config.workers = 4;
  config.db_pool = 4;
  // Uploads go to a directory of this server's own, removed with it.
  static std::atomic<int> servers{0};
  data_dir_ = (std::filesystem::temp_directory_path() /
               ("zb-test-data-" + std::to_string(::getpid()) + "-" + std::to_string(++servers)))
                  .string();
  config.data_dir = data_dir_;
  if (tweak) tweak(config);
  app::SetUpLogging(config);
  auto app = app::App::Create(config, clock_, extra_routes);
  if (!app.ok()) {
    ADD_FAILURE() << "server did not start: " << app.status().ToString();
    return;
  }
  app_ = std::move(*app);
  port_ = app_->port();
  thread_ = std::thread([this] { app_->Run(false); });
}

void TestServer::Stop() {
  if (!thread_.joinable()) return;
  app_->Shutdown();
  thread_.join();
}

TestServer::~TestServer() {
  Stop();
  app_.reset();
  if (!db_url_.empty()) (void)testdb::DropDatabase(db_url_);
  std::error_code ignored;
  if (!data_dir_.empty()) std::filesystem::remove_all(data_dir_, ignored);
}

namespace {

int Connect(uint16_t port) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    return -1;
  }
  int one = 1;
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  return fd;
}

}  // namespace

HttpResult ParseHttpResponse(const std::string& raw) {
  HttpResult r;
  size_t head_end = raw.find("\r\n\r\n");
  if (head_end == std::string::npos) return r;
  std::string head = raw.substr(0, head_end);
  r.body = raw.substr(head_end + 4);
  size_t line_end = head.find("\r\n");
  std::string status_line = head.substr(0, line_end);
  if (status_line.size() >= 12) r.status = std::atoi(status_line.c_str() + 9);
  size_t pos = line_end == std::string::npos ? head.size() : line_end + 2;
  while (pos < head.size()) {
    size_t e = head.find("\r\n", pos);
    if (e == std::string::npos) e = head.size();
    std::string line = head.substr(pos, e - pos);
    size_t colon = line.find(':');
    if (colon != std::string::npos) {
      std::string name = line.substr(0, colon);
      for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      std::string value = line.substr(colon + 1);
      while (!value.empty() && value.front() == ' ') value.erase(0, 1);
      r.headers[name] = value;
    }
    pos = e + 2;
  }
  auto cl = r.headers.find("content-length");
  if (cl != r.headers.end()) r.body.resize(std::min<size_t>(r.body.size(), std::stoul(cl->second)));
  return r;
}

void TestServer::SignInAsAdmin() {
  ASSERT_TRUE(app_) << "server not started";
  auto report = app::InitDatabase(app_->pool(), {}, clock_);
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  Status s = db::InTx(app_->pool(), [&](db::Connection& c) -> Status {
    ZB_ASSIGN_OR_RETURN(auto admin, storage::FindUserByLogin(c, "admin"));
    if (!admin) return NotFound("no admin");
    return storage::SetPassword(c, admin->id, domain::HashPassword(kAdminPassword), clock_.NowMs(), false);
  });
  ASSERT_TRUE(s.ok()) << s.ToString();
  auto r = SignIn("admin", kAdminPassword);
  ASSERT_EQ(r.status, 200) << r.body;
}

HttpResult TestServer::SignIn(const std::string& login, const std::string& password) {
  std::string saved_cookie = cookie_, saved_csrf = csrf_;
  cookie_.clear();
  csrf_.clear();
  HttpResult r = SendJson("POST", "/api/v1/auth/login", {{"username", login}, {"password", password}});
  if (r.status == 200) {
    std::string set = r.header("set-cookie");
    cookie_ = set.substr(0, set.find(';'));
    csrf_ = r.json()["csrf_token"];
  } else {
    cookie_ = saved_cookie;
    csrf_ = saved_csrf;
  }
  return r;
}

HttpResult TestServer::Send(const std::string& method, const std::string& target, const std::string& body,
                            const std::map<std::string, std::string>& headers) const {
  RawConnection c(port_);
  std::string req = method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n";
  for (const auto& [k, v] : headers) req += k + ": " + v + "\r\n";
  if (!cookie_.empty() && !headers.count("Cookie")) req += "Cookie: " + cookie_ + "\r\n";
  if (!csrf_.empty() && !headers.count("X-CSRF-Token")) req += "X-CSRF-Token: " + csrf_ + "\r\n";
  if (!body.empty() || method == "POST" || method == "PATCH" || method == "PUT") {
    req += "Content-Length: " + std::to_string(body.size()) + "\r\n";
  }
  req += "\r\n" + body;
  EXPECT_TRUE(c.Send(req));
  bool closed = false;
  return ParseHttpResponse(c.ReadUntilClose(10000, &closed));
}

HttpResult TestServer::Get(const std::string& target, const std::map<std::string, std::string>& headers) const {
  return Send("GET", target, "", headers);
}

HttpResult TestServer::SendJson(const std::string& method, const std::string& target, const Json& body,
                                const std::map<std::string, std::string>& headers) const {
  auto h = headers;
  h.emplace("Content-Type", "application/json");
  return Send(method, target, body.dump(), h);
}

bool CanConnect(uint16_t port) {
  int fd = Connect(port);
  if (fd >= 0) ::close(fd);
  return fd >= 0;
}

RawConnection::RawConnection(uint16_t port) : fd_(Connect(port)) { EXPECT_GE(fd_, 0) << "connect failed"; }

RawConnection::~RawConnection() {
  if (fd_ >= 0) ::close(fd_);
}

bool RawConnection::Send(const std::string& bytes) {
  size_t off = 0;
  while (off < bytes.size()) {
    ssize_t n = ::send(fd_, bytes.data() + off, bytes.size() - off, MSG_NOSIGNAL);
    if (n <= 0) return false;
    off += static_cast<size_t>(n);
  }
  return true;
}

RawConnection::Recv RawConnection::RecvSome(std::chrono::steady_clock::time_point deadline, std::string* out) {
  int left = static_cast<int>(
      std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now()).count());
  if (left <= 0) return Recv::kTimeout;
  pollfd p{fd_, POLLIN, 0};
  if (::poll(&p, 1, left) <= 0) return Recv::kTimeout;
  char buf[65536];
  ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
  if (n <= 0) return Recv::kClosed;
  out->append(buf, static_cast<size_t>(n));
  return Recv::kData;
}

std::string RawConnection::ReadUntilClose(int timeout_ms, bool* closed) {
  std::string out;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  Recv r;
  while ((r = RecvSome(deadline, &out)) == Recv::kData) {
  }
  *closed = r == Recv::kClosed;
  return out;
}

std::string RawConnection::ReadResponse(int timeout_ms) {
  std::string out = std::move(pending_);
  pending_.clear();
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  while (true) {
    size_t head_end = out.find("\r\n\r\n");
    if (head_end != std::string::npos) {
      HttpResult r = ParseHttpResponse(out.substr(0, head_end + 4));
      size_t want = r.headers.count("content-length") ? std::stoul(r.headers["content-length"]) : 0;
      if (out.size() >= head_end + 4 + want) {
        pending_ = out.substr(head_end + 4 + want);
        out.resize(head_end + 4 + want);
        return out;
      }
    }
    if (RecvSome(deadline, &out) != Recv::kData) return out;
  }
}

}  // namespace zb::testing
