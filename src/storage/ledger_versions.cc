#include "storage/ledger_versions.h"

#include <atomic>
#include <charconv>
#include <unordered_map>
#include <utility>

namespace zb::storage {

namespace {

std::atomic<uint64_t> local_commits{0};

std::mutex feeds_mu;
std::unordered_map<const db::Pool*, std::shared_ptr<LedgerVersionFeed>>& Feeds() {
  static auto* feeds = new std::unordered_map<const db::Pool*, std::shared_ptr<LedgerVersionFeed>>();
  return *feeds;
}

}  // namespace

StatusOr<LedgerVersions> ReadLedgerVersions(db::Connection& conn) {
  ZB_ASSIGN_OR_RETURN(auto row, conn.QueryOne("SELECT p.epoch, p.version, c.version FROM problem_data_version p "
                                              "CROSS JOIN calendar_meta c WHERE p.id = 1 AND c.id = 1"));
  if (!row) return Internal("problem_data_version or calendar_meta has no row");
  return LedgerVersions{{row->Text(0), row->Int(1)}, row->Int(2)};
}

void NoteLocalCommit() { local_commits.fetch_add(1, std::memory_order_acq_rel); }
uint64_t LocalCommits() { return local_commits.load(std::memory_order_acquire); }

void LedgerVersionFeed::Merge(const LedgerVersions& v) {
  if (!known_ || v.problems.epoch != v_.problems.epoch) {
    v_.problems = v.problems;
  } else if (v.problems.version > v_.problems.version) {
    v_.problems.version = v.problems.version;
  }
  if (!known_ || v.calendar > v_.calendar) v_.calendar = v.calendar;
  known_ = true;
}

void LedgerVersionFeed::Synced(const LedgerVersions& v, uint64_t commits) {
  std::lock_guard lock(mu_);
  Merge(v);
  if (commits > commits_) commits_ = commits;
  healthy_ = true;
}

bool LedgerVersionFeed::Notified(const std::string& payload) {
  // "<table> <epoch> <version>"
  const size_t a = payload.find(' ');
  const size_t b = a == std::string::npos ? a : payload.find(' ', a + 1);
  if (b == std::string::npos) return false;
  const std::string table = payload.substr(0, a);
  const std::string epoch = payload.substr(a + 1, b - a - 1);
  int64_t version = 0;
  const char* first = payload.data() + b + 1;
  const char* last = payload.data() + payload.size();
  auto [p, ec] = std::from_chars(first, last, version);
  if (ec != std::errc() || p != last) return false;
  std::lock_guard lock(mu_);
  if (!known_) return false;
  if (table == "problem_data_version") {
    if (epoch != v_.problems.epoch) {
      v_.problems = {epoch, version};
    } else if (version > v_.problems.version) {
      v_.problems.version = version;
    }
    return true;
  }
  if (table == "calendar_meta") {
    if (version > v_.calendar) v_.calendar = version;
    return true;
  }
  return false;
}

void LedgerVersionFeed::Lost() {
  std::lock_guard lock(mu_);
  if (healthy_) ++losses_;
  healthy_ = false;
}

uint64_t LedgerVersionFeed::losses() const {
  std::lock_guard lock(mu_);
  return losses_;
}

bool LedgerVersionFeed::healthy() const {
  std::lock_guard lock(mu_);
  return healthy_;
}

std::optional<LedgerVersions> LedgerVersionFeed::Current(uint64_t commits) const {
  std::lock_guard lock(mu_);
  if (!healthy_ || !known_ || commits_ < commits) return std::nullopt;
  return v_;
}

void LedgerVersionFeed::Observed(const LedgerVersions& v, uint64_t commits) {
  std::lock_guard lock(mu_);
  if (!known_) return;  // the listener has not read them yet: it sets the base
  Merge(v);
  if (commits > commits_) commits_ = commits;
}

void AttachLedgerFeed(const db::Pool& pool, std::shared_ptr<LedgerVersionFeed> feed) {
  std::lock_guard lock(feeds_mu);
  Feeds()[&pool] = std::move(feed);
}

void DetachLedgerFeed(const db::Pool& pool) {
  std::lock_guard lock(feeds_mu);
  Feeds().erase(&pool);
}

std::shared_ptr<LedgerVersionFeed> LedgerFeedOf(const db::Pool& pool) {
  std::lock_guard lock(feeds_mu);
  auto it = Feeds().find(&pool);
  return it == Feeds().end() ? nullptr : it->second;
}

StatusOr<LedgerVersions> CurrentLedgerVersions(const db::Pool& pool, db::Connection& conn) {
  std::shared_ptr<LedgerVersionFeed> feed = LedgerFeedOf(pool);
  const uint64_t commits = LocalCommits();  // before the read: the read sees every one of them
  if (feed) {
    if (auto v = feed->Current(commits)) return *v;
  }
  ZB_ASSIGN_OR_RETURN(LedgerVersions v, ReadLedgerVersions(conn));
  if (feed) feed->Observed(v, commits);
  return v;
}

}  // namespace zb::storage
