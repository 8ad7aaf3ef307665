// The audit log's hash chain: each entry carries the SHA-256 of its content
// and of the previous entry's hash, so an edited, deleted or reordered row is
// detected by walking the chain (`zhuanban audit verify`).
//
// Contract
// - CanonicalAuditContent(e) serialises every field except `hash`, in a fixed
//   order, as "zb-audit-v1\n" then, per field, "<byte length>:<bytes>\n";
//   integers are written in decimal and then length-prefixed, and an absent
//   user_id is "-\n" (a length always starts with a digit). So no two
//   different entries share a serialisation ("ab"+"c" ≠ "a"+"bc"). This
//   format is frozen: changing it needs a new version tag.
// - ComputeAuditHash(e) = lowercase hex SHA-256 (OpenSSL EVP) of
//   e.prev_hash + CanonicalAuditContent(e). SealAuditEntry sets prev_hash and
//   hash for an entry about to be appended; the first entry's prev_hash is
//   kAuditGenesisHash (64 zeros), later ones the previous entry's hash.
//   The caller assigns seq (1, 2, 3, … without gaps) and appends under one
//   writer so that two entries never chain to the same predecessor.
// - VerifyAuditChain(entries in seq order, expected_first_prev_hash) returns
//   the FIRST broken link, or nullopt for an intact (or empty) chain. For
//   each entry, in order:
//     1. its stored hash differs from ComputeAuditHash → kEdited at its seq;
//     2. first entry: prev_hash != expected_first_prev_hash → kBadGenesis
//        (the first rows were deleted, or the wrong anchor was given);
//     3. seq not greater than the previous seq → kReordered (input out of
//        seq order, or a duplicated seq);
//     4. seq > previous seq + 1 → kMissing at this entry's seq (the rows in
//        between were deleted);
//     5. prev_hash != previous entry's hash, though its own hash is intact →
//        kReordered (rows swapped, or a predecessor replaced by a row whose
//        hash was recomputed).
//   A swap of two rows' contents in the table (seq stays, as it is the key)
//   shows as kEdited at the lower seq, because seq is part of the hashed
//   content. Messages are Chinese first with English in brackets:
//   "第 17 条审计记录内容被修改 (entry 17 was edited)".
//   expected_first_prev_hash is kAuditGenesisHash for a full chain, or the
//   hash of the last entry removed by retention (keep it as the anchor).
// - AuditChainVerifier does the same one entry at a time, holding only the
//   previous entry's seq and hash, so a chain of millions of rows streams
//   through it. After the first break, Feed ignores further entries.
// - Limits: the chain is unkeyed. It proves that rows were not changed
//   without recomputing every later hash; someone with write access to the
//   table and this code can rewrite the tail. Record the head hash outside
//   the database (the daily log, a printout) to close that gap.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace zb::domain {

inline constexpr std::string_view kAuditGenesisHash =
    "0000000000000000000000000000000000000000000000000000000000000000";

struct AuditEntry {
  int64_t seq = 0;
  int64_t at_ms = 0;
  std::optional<int64_t> user_id;
  std::string login;
  std::string ip;
  std::string request_id;
  std::string action;
  std::string entity_type;
  std::string entity_id;
  std::string changes_json;
  std::string prev_hash;
  std::string hash;
};

std::string CanonicalAuditContent(const AuditEntry& e);
std::string ComputeAuditHash(const AuditEntry& e);
// e.prev_hash = prev_hash; e.hash = ComputeAuditHash(e).
void SealAuditEntry(AuditEntry& e, std::string_view prev_hash);

struct ChainBreak {
  enum Kind { kEdited, kMissing, kReordered, kBadGenesis };
  int64_t seq = 0;  // the entry at which the chain breaks
  Kind kind = kEdited;
  std::string message;
};

// "edited", "missing", "reordered", "bad_genesis".
std::string_view ChainBreakKindName(ChainBreak::Kind kind);

std::optional<ChainBreak> VerifyAuditChain(const std::vector<AuditEntry>& entries_in_seq_order,
                                           std::string_view expected_first_prev_hash);

class AuditChainVerifier {
 public:
  explicit AuditChainVerifier(std::string_view expected_first_prev_hash = kAuditGenesisHash);

  void Feed(const AuditEntry& e);
  // The first break seen so far, or nullopt if every fed entry links.
  std::optional<ChainBreak> result() const { return break_; }
  int64_t count() const { return count_; }           // entries fed before the break
  const std::string& head_hash() const { return prev_hash_; }  // last good entry's hash

 private:
  std::string prev_hash_;
  std::optional<int64_t> prev_seq_;
  int64_t count_ = 0;
  std::optional<ChainBreak> break_;
};

}  // namespace zb::domain
