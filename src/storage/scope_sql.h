// SQL fragments for list queries, built with placeholders: the data-scope
// filter every scoped list, count and detail read goes through, an IN list,
// a VALUES list for set-based writes
// and LIMIT/OFFSET paging. User input only ever travels as a bound
// parameter; the column names passed in are compile-time constants chosen
// by the calling repository, never user input (they are pasted into the SQL).
//
// Placeholders continue from params->size(): with two parameters already
// bound, the first placeholder appended is $3. The SQL is the same on SQLite
// and PostgreSQL.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "storage/db.h"

namespace zb::storage {

// The union of a user's role scopes, resolved to rows of org units (the
// domain turns RuoYi's five scopes into this):
//   all            → every row
//   subtree_paths  → rows whose unit path starts with one of these org-unit
//                    paths ("/1/5/"; paths are digits and '/' only, so they
//                    carry no LIKE wildcards)
//   unit_ids       → rows whose unit is one of these
//   self_user_id   → rows owned by this user
// A filter with nothing set matches no row.
struct ScopeFilterSql {
  bool all = false;
  std::vector<std::string> subtree_paths;
  std::vector<int64_t> unit_ids;
  std::optional<int64_t> self_user_id;
};

// A boolean SQL expression for `scope`: "1=1" when all, "1=0" when empty,
// else e.g. "(u.path LIKE $3 || '%' OR u.id IN ($4,$5) OR x.created_by = $6)"
// with the values appended to *params. owner_column may be empty when the
// rows have no owner (then self_user_id matches nothing).
std::string ScopeWhere(const ScopeFilterSql& scope, std::string_view unit_path_column,
                       std::string_view unit_id_column, std::string_view owner_column, db::Params* params);

// "(col >= $n AND col < $n+1)": the rows whose `column` starts with the
// unit path `path` ("/1/5/"), as a range an index serves on both engines
// (byte order: SQLite's BINARY, PostgreSQL's COLLATE "C" path columns),
// where `LIKE $n || '%'` makes SQLite read every row.
std::string PathUnder(std::string_view column, std::string_view path, db::Params* params);

// "$n,$n+1,…" for `ids` (which must not be empty), values appended to *params.
std::string InList(const std::vector<int64_t>& ids, db::Params* params);

// " LIMIT $n OFFSET $n+1" for a 1-based page; page < 1 reads as 1,
// page_size < 1 as kDefaultPageSize, and page_size is capped at kMaxPageSize.
inline constexpr int64_t kDefaultPageSize = 20;
inline constexpr int64_t kMaxPageSize = 1000;
std::string LimitOffset(int64_t page, int64_t page_size, db::Params* params);

// `text` with LIKE's wildcards (% _) and the escape character (\) escaped,
// for use as `col LIKE $n ESCAPE '\'` with '%' added around as needed.
std::string EscapeLike(std::string_view text);

// NotFound("<what>不存在", field) unless every id (distinct) is a row of
// `table` — a compile-time table name, never user input. One query.
Status CheckIdsExist(db::Connection& conn, const char* table, const std::vector<int64_t>& ids, const char* field,
                     std::string_view what);

// Appends " AND <condition>" to `where`, the condition's single '?' replaced
// by the next $N placeholder for `value` (pushed onto `params`). The
// condition is a compile-time SQL fragment, never user input.
void AndWhere(std::string& where, db::Params& params, const char* condition_with_placeholder, db::Value value);

// Rows of parameters as an SQL VALUES list, "(CAST($k AS BIGINT), …), (…)",
// the parameters appended to *params; `types` gives each column's SQL type
// (PostgreSQL would take an untyped parameter for text). Both engines name
// the columns column1, column2, …: `FROM (VALUES …) AS v` then v.column1.
std::string ValuesList(const std::vector<db::Params>& rows, const std::vector<std::string_view>& types,
                       db::Params* params);

// Runs `head` + ValuesList(rows) + `tail` for every row, up to 256 rows a
// statement (few round trips on PostgreSQL, well under SQLite's parameter
// limit); what is left over goes in power-of-two pieces, so each statement
// text is prepared once. Leaves `rows` empty.
Status ExecValues(db::Connection& conn, std::vector<db::Params>& rows, const std::vector<std::string_view>& types,
                  std::string_view head, std::string_view tail = "");

}  // namespace zb::storage
