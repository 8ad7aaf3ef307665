// Recording writes in the tamper-evident audit log (domain/audit_chain.h,
// storage/audit_repo.h). Call inside the transaction that makes the change,
// so the change and its record commit or roll back together.
#pragma once

#include <string>
#include <vector>

#include "core/status.h"
#include "domain/audit_chain.h"
#include "http/message.h"
#include "storage/audit_repo.h"
#include "storage/db.h"

namespace zb::api {

// The audit row as the chain hashes it.
domain::AuditEntry ToAuditEntry(const storage::AuditRow& row);

// Appends one entry: who (the request's principal), from where (IP, request
// id), what (action on entity_type/entity_id) and `changes`
// ({"before":{…},"after":{…}} of the fields that changed).
Status RecordAudit(db::Connection& conn, const http::Request& req, int64_t now_ms, std::string action,
                   std::string entity_type, std::string entity_id, const http::Json& changes);

// Entries of one bulk write (an import), recorded as RecordAudit would
// record each, in the order added: Flush appends what is pending with
// storage::AppendAuditBatch (the chain's head moved once). Call Flush in
// the same transaction, before anything else is audited in it.
class AuditBatch {
 public:
  AuditBatch(const http::Request& req, int64_t now_ms);
  void Add(std::string action, std::string entity_type, std::string entity_id, const http::Json& changes);
  size_t pending() const { return entries_.size(); }
  Status Flush(db::Connection& conn);

 private:
  storage::NewAuditEntry who_;  // the fields every entry shares
  std::vector<storage::NewAuditEntry> entries_;
};

// {"before":{k: before[k]},"after":{k: after[k]}} for the keys whose values
// differ (all of `after` when `before` is null), leaving out `ignore`d keys.
http::Json ChangedFields(const http::Json& before, const http::Json& after,
                         std::initializer_list<std::string_view> ignore = {"version", "updated_at", "created_at"});

struct AuditVerifyReport {
  int64_t entries = 0;
  std::string message;  // Chinese first; empty when intact
  bool intact() const { return message.empty(); }
};

// Walks the whole chain in seq order, in batches, and checks its end against
// the chain head (so rows deleted from the end are noticed too).
StatusOr<AuditVerifyReport> VerifyAuditLog(db::Pool& pool);

}  // namespace zb::api
