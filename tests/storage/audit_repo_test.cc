// storage/audit_repo: written once, run on both engines.
#include "storage/audit_repo.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <functional>
#include <string>
#include <thread>
#include <vector>

#include "storage/identity_fixture.h"

namespace zb::storage_test {
namespace {

using storage::AuditFilter;
using storage::AuditRow;
using storage::NewAuditEntry;

// A stand-in for the domain's canonical hash: std::hash over every field but
// `hash`, as hex. Enough to tell rows apart and check the chain.
std::string TestHash(const AuditRow& r) {
  std::string s = std::to_string(r.seq) + "|" + std::to_string(r.at) + "|" +
                  (r.user_id ? std::to_string(*r.user_id) : "-") + "|" + r.login + "|" + r.ip + "|" + r.request_id +
                  "|" + r.action + "|" + r.entity_type + "|" + r.entity_id + "|" + r.changes + "|" + r.prev_hash;
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016zx", std::hash<std::string>{}(s));
  return buf;
}

NewAuditEntry Entry(int64_t at, const std::string& action, const std::string& type, const std::string& id,
                    std::optional<int64_t> user = std::nullopt, const std::string& login = "") {
  NewAuditEntry e;
  e.at = at;
  e.user_id = user;
  e.login = login;
  e.ip = "10.0.0.1";
  e.request_id = "req-" + std::to_string(at);
  e.action = action;
  e.entity_type = type;
  e.entity_id = id;
  e.changes = R"({"name":["旧","新"]})";
  return e;
}

// Checks `rows` (ScanAudit order) are one chain: seq 1, 2, 3, … and each
// row's prev_hash the hash of the row before, each hash TestHash of its
// row. Returns the last hash (64 zeros for none).
std::string ExpectOneChain(const std::vector<AuditRow>& rows) {
  std::string prev(64, '0');
  for (size_t i = 0; i < rows.size(); ++i) {
    AuditRow r = rows[i];
    EXPECT_EQ(r.seq, static_cast<int64_t>(i + 1));
    EXPECT_EQ(r.prev_hash, prev) << "broken at seq " << r.seq;
    const std::string stored = r.hash;
    r.hash.clear();
    EXPECT_EQ(TestHash(r), stored) << "seq " << r.seq;
    prev = stored;
  }
  return prev;
}

template <typename Engine>
class AuditRepoTest : public IdentityTest<Engine> {
 protected:
  StatusOr<AuditRow> Append(const NewAuditEntry& e) {
    return this->Write([&](db::Connection& c) { return storage::AppendAudit(c, e, TestHash); });
  }
  StatusOr<std::vector<AuditRow>> ScanAll() {
    return this->Read([&](db::Connection& c) { return storage::ScanAudit(c, 0, 100000); });
  }
};
TYPED_TEST_SUITE(AuditRepoTest, Engines, EngineName);

TYPED_TEST(AuditRepoTest, AppendChainsFromTheSeededHead) {
  ZB_ASSERT_OK_AND_ASSIGN(AuditRow a, this->Append(Entry(kIdT0, "create", "user", "1", 5, "admin")));
  EXPECT_EQ(a.seq, 1);
  EXPECT_EQ(a.prev_hash, std::string(64, '0'));
  EXPECT_EQ(a.hash, TestHash(AuditRow{a.seq, a.at, a.user_id, a.login, a.ip, a.request_id, a.action, a.entity_type,
                                      a.entity_id, a.changes, a.prev_hash, ""}));
  ZB_ASSERT_OK_AND_ASSIGN(AuditRow b, this->Append(Entry(kIdT0 + 1, "update", "user", "1")));
  EXPECT_EQ(b.seq, 2);
  EXPECT_EQ(b.prev_hash, a.hash);
  EXPECT_FALSE(b.user_id.has_value());

  ZB_ASSERT_OK_AND_ASSIGN(auto rows, this->ScanAll());
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].login, "admin");
  EXPECT_EQ(rows[0].user_id, 5);
  EXPECT_EQ(rows[0].ip, "10.0.0.1");
  EXPECT_EQ(rows[0].request_id, "req-" + std::to_string(kIdT0));
  EXPECT_EQ(rows[0].changes, R"({"name":["旧","新"]})");
  EXPECT_EQ(rows[0].hash, a.hash);
  EXPECT_EQ(rows[1].hash, b.hash);
  ZB_ASSERT_OK_AND_ASSIGN(auto head, this->Read([&](db::Connection& c) { return storage::ReadAuditHead(c); }));
  EXPECT_EQ(head.seq, 2);
  EXPECT_EQ(head.last_hash, b.hash);
}

TYPED_TEST(AuditRepoTest, ARolledBackAppendLeavesNoGap) {
  {
    ZB_ASSERT_OK_AND_ASSIGN(db::Tx tx, this->pool().Begin());
    ZB_ASSERT_OK(storage::AppendAudit(tx.conn(), Entry(kIdT0, "create", "user", "1"), TestHash).status());
  }  // rolled back
  ZB_ASSERT_OK_AND_ASSIGN(AuditRow a, this->Append(Entry(kIdT0, "create", "user", "2")));
  EXPECT_EQ(a.seq, 1);
  EXPECT_EQ(a.prev_hash, std::string(64, '0'));
  auto no_hasher = this->Write([&](db::Connection& c) {
    return storage::AppendAudit(c, Entry(kIdT0, "x", "y", "z"), storage::AuditHasher());
  });
  EXPECT_FALSE(no_hasher.ok());
}

// Four threads append 50 rows each at once: seq must be 1..200 without gaps
// and every prev_hash the hash of the row before (no fork in the chain).
TYPED_TEST(AuditRepoTest, ConcurrentAppendsFormOneChain) {
  constexpr int kThreads = 4;
  constexpr int kPerThread = 50;
  std::vector<std::thread> threads;
  std::vector<Status> failures(kThreads);
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        Status s = db::InTx(this->pool(), [&](db::Connection& c) -> Status {
          return storage::AppendAudit(c, Entry(kIdT0 + i, "update", "thread", std::to_string(t)), TestHash)
              .status();
        });
        if (!s.ok()) {
          failures[t] = s;
          return;
        }
      }
    });
  }
  for (std::thread& th : threads) th.join();
  for (const Status& s : failures) ZB_ASSERT_OK(s);

  ZB_ASSERT_OK_AND_ASSIGN(auto rows, this->ScanAll());
  ASSERT_EQ(rows.size(), static_cast<size_t>(kThreads * kPerThread));
  const std::string prev = ExpectOneChain(rows);  // no fork
  ZB_ASSERT_OK_AND_ASSIGN(auto head, this->Read([&](db::Connection& c) { return storage::ReadAuditHead(c); }));
  EXPECT_EQ(head.seq, kThreads * kPerThread);
  EXPECT_EQ(head.last_hash, prev);
}

// An import's 300 entries appended as one batch (pieces of 256, 32, 8 and 4
// rows) between two single appends: one unbroken chain, every field kept,
// the same rows one AppendAudit each would have written; an empty batch
// and a rolled-back one change nothing.
TYPED_TEST(AuditRepoTest, ABatchAppendsTheSameChainAsOneAtATime) {
  ZB_ASSERT_OK(this->Append(Entry(kIdT0, "import", "project", "", 7, "admin")).status());
  std::vector<NewAuditEntry> batch;
  for (int i = 0; i < 300; ++i) {
    batch.push_back(Entry(kIdT0 + 1 + i, i % 3 ? "update" : "create", "project", std::to_string(1000 + i),
                          i % 2 ? std::optional<int64_t>(7) : std::nullopt, i % 2 ? "admin" : ""));
  }
  ZB_ASSERT_OK(this->Write([&](db::Connection& c) { return storage::AppendAuditBatch(c, batch, TestHash); }));
  ZB_ASSERT_OK(this->Write([&](db::Connection& c) { return storage::AppendAuditBatch(c, {}, TestHash); }));
  {
    ZB_ASSERT_OK_AND_ASSIGN(db::Tx tx, this->pool().Begin());
    ZB_ASSERT_OK(storage::AppendAuditBatch(tx.conn(), batch, TestHash));
  }  // rolled back
  ZB_ASSERT_OK_AND_ASSIGN(AuditRow last, this->Append(Entry(kIdT0 + 400, "update", "user", "9")));
  EXPECT_EQ(last.seq, 302);

  ZB_ASSERT_OK_AND_ASSIGN(auto rows, this->ScanAll());
  ASSERT_EQ(rows.size(), 302u);
  EXPECT_EQ(ExpectOneChain(rows), last.hash);
  for (size_t i = 1; i <= 300; ++i) {
    const AuditRow& r = rows[i];
    const NewAuditEntry& e = batch[i - 1];
    EXPECT_EQ(r.at, e.at);
    EXPECT_EQ(r.user_id, e.user_id) << "seq " << r.seq;
    EXPECT_EQ(r.login, e.login);
    EXPECT_EQ(r.ip, e.ip);
    EXPECT_EQ(r.request_id, e.request_id);
    EXPECT_EQ(r.action, e.action);
    EXPECT_EQ(r.entity_type, e.entity_type);
    EXPECT_EQ(r.entity_id, e.entity_id);
    EXPECT_EQ(r.changes, R"({"name":["旧","新"]})");
  }
  ZB_ASSERT_OK_AND_ASSIGN(auto head, this->Read([&](db::Connection& c) { return storage::ReadAuditHead(c); }));
  EXPECT_EQ(head.seq, 302);
  EXPECT_EQ(head.last_hash, last.hash);
}

TYPED_TEST(AuditRepoTest, ListFiltersNewestFirstAndScanPages) {
  ZB_ASSERT_OK(this->Append(Entry(kIdT0 + 0, "create", "user", "1", 1, "admin")).status());
  ZB_ASSERT_OK(this->Append(Entry(kIdT0 + 10, "update", "user", "1", 1, "admin")).status());
  ZB_ASSERT_OK(this->Append(Entry(kIdT0 + 20, "update", "user", "2", 2, "li")).status());
  ZB_ASSERT_OK(this->Append(Entry(kIdT0 + 30, "create", "project", "1", 2, "li")).status());
  ZB_ASSERT_OK(this->Append(Entry(kIdT0 + 40, "export", "project", "", 1, "admin")).status());
  auto list = [&](const AuditFilter& f) {
    return this->Read([&](db::Connection& c) { return storage::ListAudit(c, f); });
  };
  auto seqs = [](const storage::AuditPage& p) {
    std::vector<int64_t> out;
    for (const AuditRow& r : p.items) out.push_back(r.seq);
    return out;
  };
  ZB_ASSERT_OK_AND_ASSIGN(auto p, list(AuditFilter{}));
  EXPECT_EQ(p.total, 5);
  EXPECT_EQ(seqs(p), (std::vector<int64_t>{5, 4, 3, 2, 1}));
  AuditFilter f;
  f.user_id = 2;
  ZB_ASSERT_OK_AND_ASSIGN(p, list(f));
  EXPECT_EQ(seqs(p), (std::vector<int64_t>{4, 3}));
  f = AuditFilter{};
  f.login = "admin";
  f.action = "update";
  ZB_ASSERT_OK_AND_ASSIGN(p, list(f));
  EXPECT_EQ(seqs(p), (std::vector<int64_t>{2}));
  f = AuditFilter{};
  f.entity_type = "user";
  f.entity_id = "1";
  ZB_ASSERT_OK_AND_ASSIGN(p, list(f));
  EXPECT_EQ(seqs(p), (std::vector<int64_t>{2, 1}));
  f = AuditFilter{};
  f.entity_type = "project";
  ZB_ASSERT_OK_AND_ASSIGN(p, list(f));
  EXPECT_EQ(seqs(p), (std::vector<int64_t>{5, 4}));
  f = AuditFilter{};
  f.from_ms = kIdT0 + 10;
  f.to_ms = kIdT0 + 40;
  ZB_ASSERT_OK_AND_ASSIGN(p, list(f));
  EXPECT_EQ(seqs(p), (std::vector<int64_t>{4, 3, 2}));
  f.page = 2;
  f.page_size = 2;
  ZB_ASSERT_OK_AND_ASSIGN(p, list(f));
  EXPECT_EQ(p.total, 3);
  EXPECT_EQ(seqs(p), (std::vector<int64_t>{2}));

  ZB_ASSERT_OK_AND_ASSIGN(auto scan, this->Read([&](db::Connection& c) { return storage::ScanAudit(c, 2, 2); }));
  ASSERT_EQ(scan.size(), 2u);
  EXPECT_EQ(scan[0].seq, 3);
  EXPECT_EQ(scan[1].seq, 4);
  ZB_ASSERT_OK_AND_ASSIGN(scan, this->Read([&](db::Connection& c) { return storage::ScanAudit(c, 5, 10); }));
  EXPECT_TRUE(scan.empty());
}

}  // namespace
}  // namespace zb::storage_test
