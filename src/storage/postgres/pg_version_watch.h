// The listener behind storage/ledger_versions.h on PostgreSQL: one
// connection of its own (application_name "zhuanban-listener", outside the
// pool) that LISTENs on zb_ledger_versions (migration 0018), then reads the
// versions, and from then on applies each notification to the pool's
// LedgerVersionFeed, on a thread of its own.
//
//   * Lost connection (server restart, terminated backend, socket error):
//     the feed is marked lost at once — requests read the versions
//     themselves — and the listener reconnects every second until it can
//     LISTEN and read them again.
//   * Every minute it reads them again on its connection (which also
//     proves the connection alive); TCP keepalives find a dead peer.
//   * Destroying the watch detaches the feed and stops the thread (at once:
//     it waits on a pipe beside the socket).
#pragma once

#include <memory>
#include <string>

#include "storage/db.h"

namespace zb::storage {

class PgVersionWatch {
 public:
  virtual ~PgVersionWatch() = default;
};

// Starts the listener for `pool` (opened on `url`); requests on `pool` use
// it through CurrentLedgerVersions. The watch must be destroyed before the
// pool.
std::unique_ptr<PgVersionWatch> WatchLedgerVersions(const db::Pool& pool, const std::string& url);

}  // namespace zb::storage
