// The 问题台账's versions — its data version (migration 0009's
// problem_data_version) and the calendar's (0006's calendar_meta) — as a
// request reads them to find its cached answer (storage/list_cache.h,
// api/problems.cc, api/problem_stats.cc), without a round trip to a
// PostgreSQL server per request (issue 6).
//
// How a request gets them (CurrentLedgerVersions):
//   * SQLite, or PostgreSQL without a listener: one statement reading both
//     on the request's connection (in-process on SQLite).
//   * PostgreSQL with a healthy listener (storage/postgres/pg_version_watch.h:
//     one connection LISTENing on zb_ledger_versions, which migration 0018's
//     triggers notify at every bump): the versions it keeps in memory.
//
// Never older than the data, as a client can tell:
//   * A write committed by THIS process (any connection of any pool): the
//     PostgreSQL adapter counts every commit (NoteLocalCommit) once COMMIT
//     has returned — before the writer's response is sent — and a request
//     that sees a count the listener's versions were not read after reads
//     them itself. So the answer to a request sent after a write's response
//     arrived is never older than that write.
//   * A write committed by ANOTHER process (the CLI, another server): seen
//     when its notification arrives, which PostgreSQL sends after the commit,
//     in commit order. The window is the notification's trip to this
//     process (the server signals the listening backend as it commits; well
//     under a millisecond on one machine): a request this process receives
//     inside it still gets the answer from before that write.
//   * Until the listener has LISTENed and read the versions (start-up), and
//     from the moment its connection fails until it has reconnected and
//     read them again, every request reads them itself.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "core/status.h"
#include "storage/db.h"
#include "storage/list_cache.h"

namespace zb::storage {

struct LedgerVersions {
  ListVersion problems;    // problem_data_version
  int64_t calendar = 0;    // calendar_meta.version
};

// One statement, on `conn`.
StatusOr<LedgerVersions> ReadLedgerVersions(db::Connection& conn);

// Commits by this process so far (every engine's adapter may count; the
// PostgreSQL one does). NoteLocalCommit is called once COMMIT (or a
// statement outside a transaction that may write) has returned.
void NoteLocalCommit();
uint64_t LocalCommits();

// What a listener knows, for the requests of one pool. Thread-safe.
class LedgerVersionFeed {
 public:
  // The listener LISTENs, then reads the versions (`v`, after `commits`
  // local commits had returned): from now on it is told of every change.
  void Synced(const LedgerVersions& v, uint64_t commits);
  // A notification: "<table> <epoch> <version>" (migration 0018). False
  // when it is not understood (or before Synced): the listener reads again.
  bool Notified(const std::string& payload);
  // The listener's connection is gone: requests read for themselves until
  // the next Synced.
  void Lost();
  bool healthy() const;
  uint64_t losses() const;  // how many times a healthy feed was lost

  // The versions if they can be answered without reading: the listener is
  // healthy and has read them after this process's `commits` commits.
  std::optional<LedgerVersions> Current(uint64_t commits) const;
  // A request read `v` itself after `commits` local commits: keep the newer.
  void Observed(const LedgerVersions& v, uint64_t commits);

 private:
  void Merge(const LedgerVersions& v);  // mu_ held
  mutable std::mutex mu_;
  bool healthy_ = false;
  bool known_ = false;
  uint64_t losses_ = 0;
  LedgerVersions v_;
  uint64_t commits_ = 0;  // local commits every one of which v_ includes
};

// The feed of `pool`'s listener, while one is attached (one per pool; the
// attachment must end before the pool is destroyed).
void AttachLedgerFeed(const db::Pool& pool, std::shared_ptr<LedgerVersionFeed> feed);
void DetachLedgerFeed(const db::Pool& pool);
std::shared_ptr<LedgerVersionFeed> LedgerFeedOf(const db::Pool& pool);

// The versions for a request on `pool` using `conn`: the listener's when it
// can answer, else read on `conn` (see above).
StatusOr<LedgerVersions> CurrentLedgerVersions(const db::Pool& pool, db::Connection& conn);

}  // namespace zb::storage
