// The audit log: tables audit_log and audit_head (migration 0002).
//
// Append-only and hash-chained: every row carries prev_hash (the previous
// row's hash; 64 zeros before the first) and hash, computed by the caller's
// hasher over all the row's other fields (the canonical form lives in the
// domain, not here). seq runs 1, 2, 3, … with no gaps, assigned from the one
// audit_head row, whose update also serialises appenders on both engines
// (a row lock on PostgreSQL, the single writer on SQLite), so concurrent
// appends never fork the chain.
//
// There is deliberately no delete or update: retention (180 days minimum)
// is a separate, itself audited operation and is not provided by this
// repository. ListAudit/ScanAudit take pool.Read(); AppendAudit runs inside
// the caller's Tx, the same one as the write it records, so the entry
// commits or rolls back with it. The SQL is the same on SQLite and
// PostgreSQL.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/status.h"
#include "storage/db.h"
#include "storage/scope_sql.h"

namespace zb::storage {

struct AuditRow {
  int64_t seq = 0;
  int64_t at = 0;  // epoch ms
  std::optional<int64_t> user_id;
  std::string login;
  std::string ip;
  std::string request_id;
  std::string action;       // e.g. "create", "update", "export"
  std::string entity_type;  // e.g. "user", "project"
  std::string entity_id;
  std::string changes;  // JSON: before/after of changed fields
  std::string prev_hash;
  std::string hash;
};

// What the caller records; seq and the hashes are assigned on append.
struct NewAuditEntry {
  int64_t at = 0;
  std::optional<int64_t> user_id;
  std::string login;
  std::string ip;
  std::string request_id;
  std::string action;
  std::string entity_type;
  std::string entity_id;
  std::string changes = "{}";
};

// Computes a row's hash from every field but `hash` (seq and prev_hash included).
using AuditHasher = std::function<std::string(const AuditRow&)>;

// The chain's head: the last seq handed out and its hash.
struct AuditHead {
  int64_t seq = 0;
  std::string last_hash;
};

// Appends one entry inside the caller's Tx: takes the next seq and the last
// hash from audit_head (locking it until the Tx ends), inserts the row with
// prev_hash = last hash and hash = hasher(row), and moves the head. Returns
// the stored row. If the Tx rolls back, the seq is not used.
StatusOr<AuditRow> AppendAudit(db::Connection& conn, const NewAuditEntry& entry, const AuditHasher& hasher);

// Appends `entries` in their order, exactly as one AppendAudit each would
// (consecutive seqs, each row chained to the one before), with the head
// moved once and the rows inserted 256 a statement: what a bulk write (an
// import of 100 000 rows) records. Nothing for an empty list.
Status AppendAuditBatch(db::Connection& conn, const std::vector<NewAuditEntry>& entries, const AuditHasher& hasher);

struct AuditFilter {
  std::optional<int64_t> user_id;
  std::optional<std::string> login;        // exact
  std::optional<std::string> entity_type;  // exact
  std::optional<std::string> entity_id;    // exact (with or without entity_type)
  std::optional<std::string> action;       // exact
  std::optional<int64_t> from_ms;          // at >= from_ms
  std::optional<int64_t> to_ms;            // at < to_ms
  int64_t page = 1;                        // 1-based
  int64_t page_size = kDefaultPageSize;
};

struct AuditPage {
  std::vector<AuditRow> items;  // newest (highest seq) first
  int64_t total = 0;            // rows matching the filter, all pages
};

StatusOr<AuditPage> ListAudit(db::Connection& conn, const AuditFilter& filter);

// Up to `limit` rows with seq > after_seq in seq order, for walking the chain.
StatusOr<std::vector<AuditRow>> ScanAudit(db::Connection& conn, int64_t after_seq, int64_t limit);

// The head as stored, so a verifier can tell a truncated tail.
StatusOr<AuditHead> ReadAuditHead(db::Connection& conn);

}  // namespace zb::storage
