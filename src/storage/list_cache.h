// Caches of answers derived from the project list's data, valid for one data
// version. Migration 0005's project_list_version is bumped (by triggers) by
// every committed write that could change a project list page: projects and
// their lists, stage events, org units, and the names a page shows
// (enterprises, users, teams, dictionary labels — migration 0008). A
// result is stored under the version read BEFORE computing it, so it is
// never older than its version; the next read after any such commit, from
// any process, misses.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "core/status.h"
#include "storage/db.h"

namespace zb::storage {

struct ListVersion {
  std::string epoch;  // tells databases apart (tests open many in one process)
  int64_t version = 0;
};

// nullopt only before migration 0005 (a database being migrated).
StatusOr<std::optional<ListVersion>> ReadListVersion(db::Connection& conn);

// Bound parameters as text for a cache key: "|i12|s3:abc|n" (tagged, so 1
// and "1" differ; strings length-prefixed, so no two lists read alike). A
// key is the SQL that computes an answer and this.
inline std::string ParamsKey(const db::Params& params) {
  std::string out;
  for (const auto& v : params) {
    out += '|';
    if (const auto* i = std::get_if<int64_t>(&v)) {
      out += "i" + std::to_string(*i);
    } else if (const auto* d = std::get_if<double>(&v)) {
      out += "d" + std::to_string(*d);
    } else if (const auto* s = std::get_if<std::string>(&v)) {
      out += "s" + std::to_string(s->size()) + ":" + *s;
    } else {
      out += "n";
    }
  }
  return out;
}

// At most max_entries results of one version; a newer version (or a full
// cache) starts afresh. Thread-safe.
template <typename T>
class VersionedCache {
 public:
  explicit VersionedCache(size_t max_entries) : max_entries_(max_entries) {}

  std::optional<T> Get(const ListVersion& v, const std::string& key) {
    std::lock_guard lock(mu_);
    if (v.epoch != epoch_ || v.version != version_) return std::nullopt;
    auto it = entries_.find(key);
    if (it == entries_.end()) return std::nullopt;
    return it->second;
  }

  // Get, or else `compute()` (→ StatusOr<T>) and Put — once: a caller
  // asking for a (version, key) another caller is computing waits for that
  // answer instead of computing it again. After a write every page asked
  // for is new; without this, 50 connections asking for the same cold page
  // ran 50 copies of its query (a write a second then brought the ledger's
  // list from ~13 000 to ~90 requests a second at 500 000 items).
  template <typename Compute>
  StatusOr<T> GetOrCompute(const ListVersion& v, const std::string& key, Compute&& compute) {
    const std::string flight_key = v.epoch + "|" + std::to_string(v.version) + "|" + key;
    std::shared_ptr<Flight> flight;
    bool mine = false;
    {
      std::lock_guard lock(mu_);
      if (v.epoch == epoch_ && v.version == version_) {
        if (auto it = entries_.find(key); it != entries_.end()) return it->second;
      }
      auto& f = flights_[flight_key];
      if (!f) {
        f = std::make_shared<Flight>();
        mine = true;
      }
      flight = f;
    }
    if (!mine) {
      std::unique_lock lock(flight->mu);
      flight->cv.wait(lock, [&] { return flight->result.has_value(); });
      return *flight->result;
    }
    StatusOr<T> result = compute();
    if (result.ok()) Put(v, key, *result);
    {
      std::lock_guard lock(mu_);
      flights_.erase(flight_key);
    }
    {
      std::lock_guard lock(flight->mu);
      flight->result = result;
    }
    flight->cv.notify_all();
    return result;
  }

  void Put(const ListVersion& v, const std::string& key, const T& value) {
    std::lock_guard lock(mu_);
    if (v.epoch == epoch_ && v.version < version_) return;  // computed before a newer write was seen
    if (v.epoch != epoch_ || v.version != version_ || entries_.size() >= max_entries_) {
      entries_.clear();
      epoch_ = v.epoch;
      version_ = v.version;
    }
    entries_.emplace(key, value);
  }

 private:
  const size_t max_entries_;
  std::mutex mu_;
  std::string epoch_;
  int64_t version_ = -1;
  std::unordered_map<std::string, T> entries_;
  // Answers being computed, by (epoch, version, key): their waiters.
  struct Flight {
    std::mutex mu;
    std::condition_variable cv;
    std::optional<StatusOr<T>> result;
  };
  std::unordered_map<std::string, std::shared_ptr<Flight>> flights_;
};

}  // namespace zb::storage
