#include "domain/audit_chain.h"

#include <gtest/gtest.h>

#include <utility>

namespace zb::domain {
namespace {

std::vector<AuditEntry> MakeChain(int n) {
  std::vector<AuditEntry> out;
  std::string prev(kAuditGenesisHash);
  for (int i = 1; i <= n; ++i) {
    AuditEntry e;
    e.seq = i;
    e.at_ms = 1'700'000'000'000 + i * 1000;
    if (i % 3) e.user_id = i % 7 + 1;
    e.login = i % 3 ? "wang" : "";
    e.ip = "10.0.0." + std::to_string(i % 250);
    e.request_id = "req" + std::to_string(i);
    e.action = i % 2 ? "update" : "create";
    e.entity_type = "org_unit";
    e.entity_id = std::to_string(100 + i);
    e.changes_json = R"({"name":{"before":"初村镇","after":"初村镇)" + std::to_string(i) + R"("}})";
    SealAuditEntry(e, prev);
    prev = e.hash;
    out.push_back(std::move(e));
  }
  return out;
}

std::optional<ChainBreak> Stream(const std::vector<AuditEntry>& entries) {
  AuditChainVerifier v;
  for (const auto& e : entries) v.Feed(e);
  return v.result();
}

TEST(AuditChain, HashIsHexSha256AndGenesisIsZeros) {
  auto chain = MakeChain(2);
  EXPECT_EQ(chain[0].prev_hash, std::string(64, '0'));
  EXPECT_EQ(chain[0].hash.size(), 64u);
  EXPECT_EQ(chain[0].hash.find_first_not_of("0123456789abcdef"), std::string::npos);
  EXPECT_EQ(chain[1].prev_hash, chain[0].hash);
  EXPECT_EQ(ComputeAuditHash(chain[1]), chain[1].hash);
}

TEST(AuditChain, CanonicalContentIsUnambiguous) {
  AuditEntry a, b;
  a.action = "ab";
  a.entity_type = "c";
  b.action = "a";
  b.entity_type = "bc";
  EXPECT_NE(CanonicalAuditContent(a), CanonicalAuditContent(b));
  EXPECT_NE(ComputeAuditHash(a), ComputeAuditHash(b));
  AuditEntry none, zero;
  zero.user_id = 0;
  EXPECT_NE(CanonicalAuditContent(none), CanonicalAuditContent(zero));
  AuditEntry with_hash = a;
  with_hash.hash = "whatever";
  EXPECT_EQ(CanonicalAuditContent(with_hash), CanonicalAuditContent(a));
}

TEST(AuditChain, ValidChainOfHundredVerifies) {
  auto chain = MakeChain(100);
  EXPECT_FALSE(VerifyAuditChain(chain, kAuditGenesisHash).has_value());
  EXPECT_FALSE(VerifyAuditChain({}, kAuditGenesisHash).has_value());
  AuditChainVerifier v;
  for (const auto& e : chain) v.Feed(e);
  EXPECT_FALSE(v.result().has_value());
  EXPECT_EQ(v.count(), 100);
  EXPECT_EQ(v.head_hash(), chain.back().hash);
}

TEST(AuditChain, EditedEntrySeventeenIsNamed) {
  auto chain = MakeChain(100);
  chain[16].changes_json = R"({"name":{"before":"x","after":"y"}})";
  auto b = VerifyAuditChain(chain, kAuditGenesisHash);
  ASSERT_TRUE(b.has_value());
  EXPECT_EQ(b->seq, 17);
  EXPECT_EQ(b->kind, ChainBreak::kEdited);
  EXPECT_EQ(b->message, "第 17 条审计记录内容被修改 (entry 17 was edited)");
  EXPECT_EQ(ChainBreakKindName(b->kind), "edited");
  auto s = Stream(chain);
  ASSERT_TRUE(s.has_value());
  EXPECT_EQ(s->seq, 17);
  EXPECT_EQ(s->kind, ChainBreak::kEdited);

  // Every field counts, including the user id and the time.
  for (int field = 0; field < 3; ++field) {
    auto c = MakeChain(20);
    if (field == 0) c[16].user_id.reset();
    if (field == 1) c[16].at_ms += 1;
    if (field == 2) c[16].ip = "10.9.9.9";
    auto r = VerifyAuditChain(c, kAuditGenesisHash);
    ASSERT_TRUE(r.has_value()) << field;
    EXPECT_EQ(r->seq, 17);
  }
}

TEST(AuditChain, DeletedEntryFortyIsMissingAtFortyOne) {
  auto chain = MakeChain(100);
  chain.erase(chain.begin() + 39);
  auto b = VerifyAuditChain(chain, kAuditGenesisHash);
  ASSERT_TRUE(b.has_value());
  EXPECT_EQ(b->seq, 41);
  EXPECT_EQ(b->kind, ChainBreak::kMissing);
  EXPECT_NE(b->message.find("40"), std::string::npos) << b->message;
  auto s = Stream(chain);
  ASSERT_TRUE(s.has_value());
  EXPECT_EQ(s->seq, 41);
  EXPECT_EQ(s->kind, ChainBreak::kMissing);
}

TEST(AuditChain, SwappedRowsSixtyAndSixtyOneAreEditedAtSixty) {
  // In the table seq is the key: a swap exchanges everything else.
  auto chain = MakeChain(100);
  std::swap(chain[59], chain[60]);
  std::swap(chain[59].seq, chain[60].seq);
  auto b = VerifyAuditChain(chain, kAuditGenesisHash);
  ASSERT_TRUE(b.has_value());
  EXPECT_EQ(b->seq, 60);
  EXPECT_EQ(b->kind, ChainBreak::kEdited);
  auto s = Stream(chain);
  ASSERT_TRUE(s.has_value());
  EXPECT_EQ(s->seq, 60);
  EXPECT_EQ(s->kind, ChainBreak::kEdited);
}

TEST(AuditChain, RowsReadOutOfSeqOrderAreReordered) {
  auto chain = MakeChain(100);
  std::swap(chain[59], chain[60]);  // 59, 61, 60, 62: seq kept with each row
  auto b = VerifyAuditChain(chain, kAuditGenesisHash);
  ASSERT_TRUE(b.has_value());
  // 61 after 59 first looks like a gap; the caller reads ORDER BY seq, so
  // this arises only from a caller bug. Report what is seen first.
  EXPECT_EQ(b->seq, 61);
  auto dup = MakeChain(10);
  dup.insert(dup.begin() + 5, dup[4]);  // seq 5 twice
  b = VerifyAuditChain(dup, kAuditGenesisHash);
  ASSERT_TRUE(b.has_value());
  EXPECT_EQ(b->seq, 5);
  EXPECT_EQ(b->kind, ChainBreak::kReordered);
}

TEST(AuditChain, RehashedForgeryIsReorderedAtTheNextEntry) {
  // An attacker edits entry 30 and recomputes its hash, but not the rest.
  auto chain = MakeChain(50);
  chain[29].action = "delete";
  SealAuditEntry(chain[29], chain[29].prev_hash);
  auto b = VerifyAuditChain(chain, kAuditGenesisHash);
  ASSERT_TRUE(b.has_value());
  EXPECT_EQ(b->seq, 31);
  EXPECT_EQ(b->kind, ChainBreak::kReordered);
  EXPECT_EQ(Stream(chain)->seq, 31);
}

TEST(AuditChain, DeletedFirstRowsAndAnchors) {
  auto chain = MakeChain(10);
  std::vector<AuditEntry> tail(chain.begin() + 3, chain.end());
  auto b = VerifyAuditChain(tail, kAuditGenesisHash);
  ASSERT_TRUE(b.has_value());
  EXPECT_EQ(b->seq, 4);
  EXPECT_EQ(b->kind, ChainBreak::kBadGenesis);
  // After retention removed 1..3, entry 3's hash is the anchor.
  EXPECT_FALSE(VerifyAuditChain(tail, chain[2].hash).has_value());
  AuditChainVerifier v(chain[2].hash);
  for (const auto& e : tail) v.Feed(e);
  EXPECT_FALSE(v.result().has_value());
}

TEST(AuditChain, VerifierStopsAtTheFirstBreak) {
  auto chain = MakeChain(30);
  chain[9].login = "evil";
  chain[19].login = "evil";
  AuditChainVerifier v;
  for (const auto& e : chain) v.Feed(e);
  ASSERT_TRUE(v.result().has_value());
  EXPECT_EQ(v.result()->seq, 10);
  EXPECT_EQ(v.count(), 9);
  EXPECT_EQ(v.head_hash(), chain[8].hash);
}

}  // namespace
}  // namespace zb::domain
