#include "domain/audit_chain.h"

#include <openssl/evp.h>

#include <stdexcept>

namespace zb::domain {

namespace {

void AppendField(std::string& out, std::string_view v) {
  out += std::to_string(v.size());
  out += ':';
  out += v;
  out += '\n';
}

std::string Sha256Hex(std::string_view a, std::string_view b) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  bool ok = ctx && EVP_DigestInit_ex(ctx, EVP_sha256(), nullptr) == 1 &&
            EVP_DigestUpdate(ctx, a.data(), a.size()) == 1 && EVP_DigestUpdate(ctx, b.data(), b.size()) == 1 &&
            EVP_DigestFinal_ex(ctx, md, &len) == 1;
  EVP_MD_CTX_free(ctx);
  if (!ok) throw std::runtime_error("SHA-256 failed");
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex(2 * len, '0');
  for (unsigned i = 0; i < len; ++i) {
    hex[2 * i] = kHex[md[i] >> 4];
    hex[2 * i + 1] = kHex[md[i] & 0xF];
  }
  return hex;
}

ChainBreak Break(int64_t seq, ChainBreak::Kind kind, std::string message) {
  return ChainBreak{.seq = seq, .kind = kind, .message = std::move(message)};
}

}  // namespace

std::string CanonicalAuditContent(const AuditEntry& e) {
  std::string out = "zb-audit-v1\n";
  out.reserve(128 + e.login.size() + e.ip.size() + e.request_id.size() + e.action.size() + e.entity_type.size() +
              e.entity_id.size() + e.changes_json.size() + e.prev_hash.size());
  AppendField(out, std::to_string(e.seq));
  AppendField(out, std::to_string(e.at_ms));
  if (e.user_id) {
    AppendField(out, std::to_string(*e.user_id));
  } else {
    out += "-\n";
  }
  AppendField(out, e.login);
  AppendField(out, e.ip);
  AppendField(out, e.request_id);
  AppendField(out, e.action);
  AppendField(out, e.entity_type);
  AppendField(out, e.entity_id);
  AppendField(out, e.changes_json);
  AppendField(out, e.prev_hash);
  return out;
}

std::string ComputeAuditHash(const AuditEntry& e) { return Sha256Hex(e.prev_hash, CanonicalAuditContent(e)); }

void SealAuditEntry(AuditEntry& e, std::string_view prev_hash) {
  e.prev_hash = std::string(prev_hash);
  e.hash = ComputeAuditHash(e);
}

std::string_view ChainBreakKindName(ChainBreak::Kind kind) {
  switch (kind) {
    case ChainBreak::kEdited: return "edited";
    case ChainBreak::kMissing: return "missing";
    case ChainBreak::kReordered: return "reordered";
    case ChainBreak::kBadGenesis: return "bad_genesis";
  }
  return "unknown";
}

AuditChainVerifier::AuditChainVerifier(std::string_view expected_first_prev_hash)
    : prev_hash_(expected_first_prev_hash) {}

void AuditChainVerifier::Feed(const AuditEntry& e) {
  if (break_) return;
  std::string n = std::to_string(e.seq);
  if (ComputeAuditHash(e) != e.hash) {
    break_ = Break(e.seq, ChainBreak::kEdited, "第 " + n + " 条审计记录内容被修改 (entry " + n + " was edited)");
    return;
  }
  if (!prev_seq_) {
    if (e.prev_hash != prev_hash_) {
      break_ = Break(e.seq, ChainBreak::kBadGenesis,
                     "第 " + n + " 条审计记录未接续链的起点，之前的记录可能被删除 (entry " + n +
                         " does not link to the start of the chain; earlier entries may have been deleted)");
      return;
    }
  } else if (e.seq <= *prev_seq_) {
    std::string p = std::to_string(*prev_seq_);
    break_ = Break(e.seq, ChainBreak::kReordered,
                   "第 " + n + " 条审计记录排在第 " + p + " 条之后，顺序错乱 (entry " + n + " comes after entry " + p +
                       ": out of order)");
    return;
  } else if (e.seq > *prev_seq_ + 1) {
    std::string from = std::to_string(*prev_seq_ + 1);
    std::string to = std::to_string(e.seq - 1);
    std::string range = from == to ? from : from + "–" + to;
    break_ = Break(e.seq, ChainBreak::kMissing,
                   "第 " + n + " 条审计记录之前的第 " + range + " 条缺失 (entries " + range + " before entry " + n +
                       " are missing)");
    return;
  } else if (e.prev_hash != prev_hash_) {
    std::string p = std::to_string(*prev_seq_);
    break_ = Break(e.seq, ChainBreak::kReordered,
                   "第 " + n + " 条审计记录与第 " + p + " 条不衔接，顺序被调换或前一条被替换 (entry " + n +
                       " does not link to entry " + p + ": reordered or replaced)");
    return;
  }
  prev_seq_ = e.seq;
  prev_hash_ = e.hash;
  ++count_;
}

std::optional<ChainBreak> VerifyAuditChain(const std::vector<AuditEntry>& entries_in_seq_order,
                                           std::string_view expected_first_prev_hash) {
  AuditChainVerifier v(expected_first_prev_hash);
  for (const auto& e : entries_in_seq_order) {
    v.Feed(e);
    if (v.result()) break;
  }
  return v.result();
}

}  // namespace zb::domain
