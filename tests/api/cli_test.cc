// The binary as an operator meets it: subcommands, configuration
// precedence, migrations, and a clean stop on SIGTERM.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <thread>

#include "api/test_server.h"
#include "storage/migrations.h"
#include "storage/test_db.h"

namespace zb::testing {
namespace {

namespace fs = std::filesystem;

struct CommandResult {
  int exit_code = -1;
  std::string output;  // stdout and stderr
};

CommandResult RunCommand(const std::string& cmd) {
  CommandResult r;
  FILE* p = ::popen((cmd + " 2>&1").c_str(), "r");
  if (!p) return r;
  std::array<char, 4096> buf;
  size_t n;
  while ((n = fread(buf.data(), 1, buf.size(), p)) > 0) r.output.append(buf.data(), n);
  int status = ::pclose(p);
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

std::string Binary() { return ZB_BINARY; }

fs::path TempDir() {
  fs::path d = fs::temp_directory_path() / ("zb-cli-" + std::to_string(::getpid()) + "-" +
                                            std::to_string(std::chrono::steady_clock::now().time_since_epoch().count()));
  fs::create_directories(d);
  return d;
}

TEST(Cli, VersionAndHelp) {
  auto v = RunCommand(Binary() + " version");
  EXPECT_EQ(v.exit_code, 0);
  EXPECT_NE(v.output.find("zhuanban " ZB_VERSION), std::string::npos) << v.output;
  for (const char* sub : {"serve", "init", "migrate", "version"}) {
    auto h = RunCommand(Binary() + " " + sub + " --help");
    EXPECT_EQ(h.exit_code, 0) << sub;
    EXPECT_NE(h.output.find("Usage"), std::string::npos) << sub << h.output;
  }
  EXPECT_NE(RunCommand(Binary()).exit_code, 0);  // a subcommand is required
}

TEST(Cli, ConfigPrecedenceIsFlagThenEnvironmentThenFileThenDefault) {
  fs::path dir = TempDir();
  fs::path toml = dir / "zb.toml";
  std::ofstream(toml) << "listen = \"127.0.0.1:7001\"\nworkers = 7\nbody_limit = 2048\naccess_log = \"off\"\n";
  std::string base = Binary() + " serve --config " + toml.string() + " --print-config";

  auto file_only = RunCommand("env -u ZB_LISTEN -u ZB_WORKERS " + base);
  ASSERT_EQ(file_only.exit_code, 0) << file_only.output;
  EXPECT_NE(file_only.output.find("listen = \"127.0.0.1:7001\""), std::string::npos) << file_only.output;
  EXPECT_NE(file_only.output.find("workers = 7"), std::string::npos);
  EXPECT_NE(file_only.output.find("# file"), std::string::npos);
  EXPECT_NE(file_only.output.find("db = \"sqlite:./var/zhuanban.db\""), std::string::npos);  // default

  auto env = RunCommand("ZB_LISTEN=127.0.0.1:7002 " + base);
  EXPECT_NE(env.output.find("listen = \"127.0.0.1:7002\""), std::string::npos) << env.output;
  EXPECT_NE(env.output.find("# environment"), std::string::npos);

  auto flag = RunCommand("ZB_LISTEN=127.0.0.1:7002 " + base + " --listen 127.0.0.1:7003");
  EXPECT_NE(flag.output.find("listen = \"127.0.0.1:7003\""), std::string::npos) << flag.output;
  EXPECT_NE(flag.output.find("workers = 7"), std::string::npos);
  fs::remove_all(dir);
}

TEST(Cli, BadConfigurationIsRefusedNamingTheKey) {
  fs::path dir = TempDir();
  std::ofstream(dir / "bad.toml") << "lisen = \"x\"\n";
  auto unknown = RunCommand(Binary() + " serve --print-config --config " + (dir / "bad.toml").string());
  EXPECT_NE(unknown.exit_code, 0);
  EXPECT_NE(unknown.output.find("lisen"), std::string::npos) << unknown.output;
  std::ofstream(dir / "syntax.toml") << "listen = \n";
  auto syntax = RunCommand(Binary() + " serve --print-config --config " + (dir / "syntax.toml").string());
  EXPECT_NE(syntax.exit_code, 0);
  auto listen = RunCommand(Binary() + " serve --print-config --listen nonsense");
  EXPECT_NE(listen.exit_code, 0);
  EXPECT_NE(listen.output.find("listen"), std::string::npos) << listen.output;
  auto db = RunCommand(Binary() + " serve --print-config --db mysql://x");
  EXPECT_NE(db.exit_code, 0);
  EXPECT_NE(db.output.find("db"), std::string::npos);
  fs::remove_all(dir);
}

TEST(Cli, MigrateIsIdempotentAndRefusesANewerDatabase) {
  auto url = testdb::FreshDatabaseUrl(TestEngine() == "postgres" ? db::Dialect::kPostgres : db::Dialect::kSqlite);
  ASSERT_TRUE(url.ok()) << url.status().ToString();
  auto first = RunCommand(Binary() + " migrate --db '" + *url + "'");
  ASSERT_EQ(first.exit_code, 0) << first.output;
  EXPECT_NE(first.output.find("applied"), std::string::npos) << first.output;
  auto second = RunCommand(Binary() + " migrate --db '" + *url + "'");
  EXPECT_EQ(second.exit_code, 0);
  EXPECT_NE(second.output.find("up to date"), std::string::npos) << second.output;
  {
    auto pool = db::Pool::Open(*url);
    ASSERT_TRUE(pool.ok());
    ASSERT_TRUE(db::InTx(**pool, [](db::Connection& c) {
                  return c.Exec("INSERT INTO schema_version (version, name, applied_at) VALUES ($1, $2, $3)",
                                {int64_t{9999}, std::string("9999_future"), int64_t{0}});
                }).ok());
    (*pool)->Close();
  }
  auto refused = RunCommand(Binary() + " migrate --db '" + *url + "'");
  EXPECT_NE(refused.exit_code, 0);
  EXPECT_NE(refused.output.find("9999"), std::string::npos) << refused.output;
  (void)testdb::DropDatabase(*url);
}

TEST(Cli, ServeStopsCleanlyOnSigterm) {
  fs::path dir = TempDir();
  int out[2];
  ASSERT_EQ(::pipe(out), 0);
  pid_t pid = ::fork();
  if (pid == 0) {
    ::dup2(out[1], 1);
    ::close(out[0]);
    std::string db = "sqlite:" + (dir / "zb.db").string();
    ::execl(ZB_BINARY, ZB_BINARY, "serve", "--listen", "127.0.0.1:0", "--db", db.c_str(), "--access-log", "off",
            "--web-root", "", static_cast<char*>(nullptr));
    ::_exit(127);
  }
  ::close(out[1]);
  std::string line;
  char c;
  while (::read(out[0], &c, 1) == 1 && c != '\n') line += c;
  size_t at = line.find("http://127.0.0.1:");
  ASSERT_NE(at, std::string::npos) << line;
  uint16_t port = static_cast<uint16_t>(std::stoi(line.substr(at + 17)));
  {
    RawConnection conn(port);
    conn.Send("GET /readyz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    bool closed;
    EXPECT_EQ(ParseHttpResponse(conn.ReadUntilClose(3000, &closed)).status, 200);
  }
  ::kill(pid, SIGTERM);
  int status = 0;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  pid_t done = 0;
  while ((done = ::waitpid(pid, &status, WNOHANG)) == 0 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  if (done == 0) ::kill(pid, SIGKILL);
  ASSERT_EQ(done, pid) << "serve did not stop within 5 s of SIGTERM";
  EXPECT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0);
  ::close(out[0]);
  // The database was closed cleanly: no WAL left behind to replay.
  EXPECT_FALSE(fs::exists(dir / "zb.db-wal") && fs::file_size(dir / "zb.db-wal") > 0);
  fs::remove_all(dir);
}

}  // namespace
}  // namespace zb::testing
