// The enterprise library (企业库) in the database: enterprises with their
// contacts and tags (migration 0003).
//
// Every function takes the Connection to run on: pool.Read() for reads, a Tx
// for writes — CreateEnterprise and UpdateEnterprise write several tables and
// must be inside a Tx. The SQL is the same on SQLite and PostgreSQL. Times
// are epoch milliseconds supplied by the caller. Input is assumed validated
// by the domain (credit code normalised and checked, tags trimmed and
// distinct); the database still enforces the credit code's uniqueness and
// the org unit reference.
//
// Errors: NotFound("企业不存在", "id") for a missing enterprise;
// NotFound(field "org_unit_id") for a missing unit; AlreadyExists (field
// "credit_code") for a credit code another enterprise has; VersionConflict
// when the expected version is stale; anything else from the adapter.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/status.h"
#include "storage/db.h"
#include "storage/scope_sql.h"

namespace zb::storage {

struct EnterpriseContact {
  std::string name;
  std::string title;  // 职务
  std::string phone;
  bool operator==(const EnterpriseContact&) const = default;
};

struct Enterprise {
  int64_t id = 0;
  std::string name;
  std::string credit_code;
  std::string industry;  // dictionary code; '' unset
  int64_t org_unit_id = 0;
  std::string org_unit_name;  // read with the row
  std::string org_path;       // read with the row, for scope checks
  std::string address;
  std::string legal_representative;
  bool above_scale = false;  // 规上
  std::optional<int64_t> created_by;
  int64_t version = 1;
  int64_t created_at = 0;
  int64_t updated_at = 0;
  std::vector<EnterpriseContact> contacts;  // in their listed order
  std::vector<std::string> tags;            // sorted
};

struct NewEnterprise {
  std::string name;
  std::string credit_code;
  std::string industry;
  int64_t org_unit_id = 0;
  std::string address;
  std::string legal_representative;
  bool above_scale = false;
  std::optional<int64_t> created_by;
  std::vector<EnterpriseContact> contacts;
  std::vector<std::string> tags;
};

// Fields to change; unset ones keep their value. The lists, when set,
// replace the whole list.
struct EnterpriseChanges {
  std::optional<std::string> name;
  std::optional<std::string> credit_code;
  std::optional<std::string> industry;
  std::optional<int64_t> org_unit_id;
  std::optional<std::string> address;
  std::optional<std::string> legal_representative;
  std::optional<bool> above_scale;
  std::optional<std::vector<EnterpriseContact>> contacts;
  std::optional<std::vector<std::string>> tags;
};

struct EnterpriseFilter {
  std::optional<ScopeFilterSql> scope;         // the reader's data scope: the enterprise's unit, or created_by
  std::optional<int64_t> only_id;              // an enterprise user: their own enterprise only
  std::optional<std::string> org_path_prefix;  // only this subtree ("/1/5/")
  std::string keyword;                         // substring of name or credit code; '' = any
  std::optional<std::string> industry;
  std::optional<bool> above_scale;
  std::optional<std::string> tag;
  int64_t page = 1;  // 1-based
  int64_t page_size = kDefaultPageSize;
};

struct EnterprisePage {
  std::vector<Enterprise> items;  // ordered by id
  int64_t total = 0;              // rows matching the filter, all pages
};

// Inserts the enterprise at version 1 with its contacts and tags. Run inside a Tx.
StatusOr<Enterprise> CreateEnterprise(db::Connection& conn, const NewEnterprise& in, int64_t now_ms);

StatusOr<Enterprise> GetEnterprise(db::Connection& conn, int64_t id);

// The enterprise with this (normalised) credit code, if any — for imports'
// upsert.
StatusOr<std::optional<Enterprise>> FindEnterpriseByCreditCode(db::Connection& conn, const std::string& credit_code);

// One page of enterprises matching `filter`, contacts and tags included
// (three queries plus the count, whatever the page size).
StatusOr<EnterprisePage> ListEnterprises(db::Connection& conn, const EnterpriseFilter& filter);

// The id, name and credit code of every enterprise ListEnterprises lists
// when every unit is in scope, by id, in one query: for an export that only
// names the enterprises of its rows (no contacts, no tags, no paging).
struct EnterpriseCode {
  int64_t id = 0;
  std::string name, credit_code;
};
StatusOr<std::vector<EnterpriseCode>> ListEnterpriseCodes(db::Connection& conn);

// Applies `changes` if the enterprise is still at `expected_version`; bumps
// the version and updated_at and returns the new row. Run inside a Tx.
StatusOr<Enterprise> UpdateEnterprise(db::Connection& conn, int64_t id, int64_t expected_version,
                                      const EnterpriseChanges& changes, int64_t now_ms);

}  // namespace zb::storage
