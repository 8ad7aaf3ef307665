#include "storage/postgres/pg_version_watch.h"

#include <fcntl.h>
#include <libpq-fe.h>
#include <poll.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <string>
#include <thread>

#include "storage/ledger_versions.h"

namespace zb::storage {

namespace {

constexpr char kChannel[] = "zb_ledger_versions";
constexpr auto kResyncEvery = std::chrono::seconds(60);
constexpr int kReconnectMs = 1000;

class Watch final : public PgVersionWatch {
 public:
  Watch(const db::Pool& pool, std::string url)
      : pool_(pool), url_(std::move(url)), feed_(std::make_shared<LedgerVersionFeed>()) {
    if (pipe2(wake_, O_CLOEXEC | O_NONBLOCK) != 0) wake_[0] = wake_[1] = -1;
    AttachLedgerFeed(pool_, feed_);
    thread_ = std::thread([this] { Run(); });
  }

  ~Watch() override {
    DetachLedgerFeed(pool_);
    stop_ = true;
    if (wake_[1] >= 0) {
      const char c = 'x';
      (void)!write(wake_[1], &c, 1);
    }
    thread_.join();
    if (conn_ != nullptr) PQfinish(conn_);
    for (int fd : wake_) {
      if (fd >= 0) close(fd);
    }
  }

 private:
  void Run() {
    while (!stop_) {
      if (Connect()) {
        Serve();  // returns when the connection is lost or we stop
      }
      feed_->Lost();
      if (conn_ != nullptr) {
        PQfinish(conn_);
        conn_ = nullptr;
      }
      if (!stop_) Wait(kReconnectMs);
    }
  }

  // Sleeps up to `ms`, or until the destructor wakes us.
  void Wait(int ms) {
    pollfd p{wake_[0], POLLIN, 0};
    if (p.fd < 0) {
      std::this_thread::sleep_for(std::chrono::milliseconds(ms));
      return;
    }
    (void)poll(&p, 1, ms);
  }

  static void OnNotice(void* self, const PGresult* r) {
    const char* severity = PQresultErrorField(r, PG_DIAG_SEVERITY_NONLOCALIZED);
    // A terminated backend sends FATAL before it closes the socket.
    if (severity != nullptr && (std::strcmp(severity, "FATAL") == 0 || std::strcmp(severity, "PANIC") == 0)) {
      static_cast<Watch*>(self)->fatal_ = true;
    }
  }

  bool Connect() {
    const char* keys[] = {"connect_timeout", "application_name", "keepalives", "keepalives_idle",
                          "keepalives_interval", "keepalives_count", "dbname", "client_encoding", nullptr};
    const char* values[] = {"5", "zhuanban-listener", "1", "30", "10", "3", url_.c_str(), "UTF8", nullptr};
    conn_ = PQconnectdbParams(keys, values, /*expand_dbname=*/1);
    if (conn_ == nullptr || PQstatus(conn_) != CONNECTION_OK) return false;
    fatal_ = false;
    PQsetNoticeReceiver(conn_, &Watch::OnNotice, this);
    PGresult* r = PQexec(conn_, (std::string("LISTEN ") + kChannel).c_str());
    const bool ok = r != nullptr && PQresultStatus(r) == PGRES_COMMAND_OK;
    PQclear(r);
    // Listening first, then the read: a commit after the LISTEN is notified,
    // one before it is in what the read sees.
    return ok && Sync();
  }

  // Reads the versions on the listener's connection and hands them over.
  bool Sync() {
    const uint64_t commits = LocalCommits();
    PGresult* r = PQexec(conn_,
                         "SELECT p.epoch, p.version, c.version FROM problem_data_version p "
                         "CROSS JOIN calendar_meta c WHERE p.id = 1 AND c.id = 1");
    bool ok = r != nullptr && PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1;
    if (ok) {
      LedgerVersions v;
      v.problems.epoch = PQgetvalue(r, 0, 0);
      v.problems.version = std::strtoll(PQgetvalue(r, 0, 1), nullptr, 10);
      v.calendar = std::strtoll(PQgetvalue(r, 0, 2), nullptr, 10);
      feed_->Synced(v, commits);
    }
    PQclear(r);
    next_sync_ = std::chrono::steady_clock::now() + kResyncEvery;
    return ok && Drain();
  }

  // Applies the notifications libpq has parsed; false when one is not
  // understood and the read that replaces it fails.
  bool Drain() {
    bool resync = false;
    while (PGnotify* n = PQnotifies(conn_)) {
      if (!feed_->Notified(n->extra ? n->extra : "")) resync = true;
      PQfreemem(n);
    }
    if (fatal_ || PQstatus(conn_) != CONNECTION_OK) return false;
    return resync ? Sync() : true;
  }

  void Serve() {
    while (!stop_) {
      const auto now = std::chrono::steady_clock::now();
      if (now >= next_sync_) {
        if (!Sync()) return;
        continue;
      }
      const int timeout =
          static_cast<int>(std::chrono::duration_cast<std::chrono::milliseconds>(next_sync_ - now).count()) + 1;
      pollfd fds[2] = {{PQsocket(conn_), POLLIN, 0}, {wake_[0], POLLIN, 0}};
      if (fds[0].fd < 0) return;
      const int rc = poll(fds, fds[1].fd >= 0 ? 2 : 1, std::min(timeout, fds[1].fd >= 0 ? timeout : 250));
      if (stop_) return;
      if (rc < 0) {
        if (errno == EINTR) continue;
        return;
      }
      if (rc == 0) continue;
      if (fds[0].revents != 0) {
        if (PQconsumeInput(conn_) == 0) return;  // the socket closed or failed
        if (!Drain()) return;
        if (fds[0].revents & (POLLERR | POLLHUP | POLLNVAL)) return;
      }
    }
  }

  const db::Pool& pool_;
  const std::string url_;
  const std::shared_ptr<LedgerVersionFeed> feed_;
  int wake_[2] = {-1, -1};
  std::atomic<bool> stop_{false};
  PGconn* conn_ = nullptr;  // the thread's (the destructor's after join)
  bool fatal_ = false;      // the thread's
  std::chrono::steady_clock::time_point next_sync_;
  std::thread thread_;
};

}  // namespace

std::unique_ptr<PgVersionWatch> WatchLedgerVersions(const db::Pool& pool, const std::string& url) {
  return std::make_unique<Watch>(pool, url);
}

}  // namespace zb::storage
