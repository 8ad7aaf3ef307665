#include "api/audit.h"

#include "domain/audit_chain.h"

namespace zb::api {

domain::AuditEntry ToAuditEntry(const storage::AuditRow& row) {
  return {.seq = row.seq,
          .at_ms = row.at,
          .user_id = row.user_id,
          .login = row.login,
          .ip = row.ip,
          .request_id = row.request_id,
          .action = row.action,
          .entity_type = row.entity_type,
          .entity_id = row.entity_id,
          .changes_json = row.changes,
          .prev_hash = row.prev_hash,
          .hash = row.hash};
}

namespace {

// Who and from where, for an entry of `req` at `now_ms`.
storage::NewAuditEntry EntryOf(const http::Request& req, int64_t now_ms) {
  const http::Principal* p = req.principal();
  return {.at = now_ms,
          .user_id = p ? std::optional<int64_t>(p->user_id) : std::nullopt,
          .login = p ? p->login : "",
          .ip = req.remote_ip(),
          .request_id = req.request_id()};
}

std::string HashOf(const storage::AuditRow& r) { return domain::ComputeAuditHash(ToAuditEntry(r)); }

}  // namespace

Status RecordAudit(db::Connection& conn, const http::Request& req, int64_t now_ms, std::string action,
                   std::string entity_type, std::string entity_id, const http::Json& changes) {
  storage::NewAuditEntry e = EntryOf(req, now_ms);
  e.action = std::move(action);
  e.entity_type = std::move(entity_type);
  e.entity_id = std::move(entity_id);
  e.changes = changes.dump();
  return storage::AppendAudit(conn, e, HashOf).status();
}

AuditBatch::AuditBatch(const http::Request& req, int64_t now_ms) : who_(EntryOf(req, now_ms)) {}

void AuditBatch::Add(std::string action, std::string entity_type, std::string entity_id, const http::Json& changes) {
  storage::NewAuditEntry& e = entries_.emplace_back(who_);
  e.action = std::move(action);
  e.entity_type = std::move(entity_type);
  e.entity_id = std::move(entity_id);
  e.changes = changes.dump();
}

Status AuditBatch::Flush(db::Connection& conn) {
  ZB_RETURN_IF_ERROR(storage::AppendAuditBatch(conn, entries_, HashOf));
  entries_.clear();
  return Status();
}

http::Json ChangedFields(const http::Json& before, const http::Json& after,
                         std::initializer_list<std::string_view> ignore) {
  http::Json b = http::Json::object(), a = http::Json::object();
  for (const auto& [k, v] : after.items()) {
    if (std::find(ignore.begin(), ignore.end(), k) != ignore.end()) continue;
    if (before.is_object() && before.contains(k) && before[k] == v) continue;
    if (before.is_object() && before.contains(k)) b[k] = before[k];
    a[k] = v;
  }
  http::Json out = {{"after", a}};
  if (before.is_object()) out["before"] = b;
  return out;
}

StatusOr<AuditVerifyReport> VerifyAuditLog(db::Pool& pool) {
  ZB_ASSIGN_OR_RETURN(auto conn, pool.Read());
  ZB_ASSIGN_OR_RETURN(storage::AuditHead head, storage::ReadAuditHead(*conn));
  domain::AuditChainVerifier verifier;
  int64_t after = 0;
  while (true) {
    ZB_ASSIGN_OR_RETURN(auto rows, storage::ScanAudit(*conn, after, 5000));
    if (rows.empty()) break;
    for (const auto& r : rows) verifier.Feed(ToAuditEntry(r));
    after = rows.back().seq;
    if (verifier.result()) break;
  }
  AuditVerifyReport report;
  report.entries = verifier.count();
  if (auto broken = verifier.result()) {
    report.message = broken->message;
  } else if (verifier.count() != head.seq || verifier.head_hash() != head.last_hash) {
    report.message = "审计日志末尾缺少记录:链头为第 " + std::to_string(head.seq) + " 条,实际只到第 " +
                     std::to_string(after) + " 条 (entries deleted from the end of the log)";
  }
  return report;
}

}  // namespace zb::api
