// sql_text.h — small SQL text helpers shared by the storage adapters.
// Internal to src/storage; repositories do not need it.
#pragma once

#include <string>
#include <string_view>

#include "core/status.h"

namespace zb::db::internal {

struct PlaceholderScan {
  std::string sql;    // the input, with $N rewritten to ?N when asked
  int max_index = 0;  // the highest N seen (0: no placeholders)
};

// Finds $1…$n placeholders. `$` counts only outside string literals ('…',
// E'…'), quoted identifiers ("…"), comments (-- and /* */) and PostgreSQL
// dollar-quoted strings ($tag$…$tag$), and not inside an identifier such as
// a$1. $10 is parameter ten, never $1 followed by 0. With `rewrite_to_sqlite`
// every placeholder is rewritten to ?N, which SQLite numbers by N (it numbers
// $N by first appearance, which is why we rewrite).
PlaceholderScan ScanPlaceholders(std::string_view sql, bool rewrite_to_sqlite);

// The error both adapters return when a statement runs inside a transaction
// that an earlier failed statement aborted, and for COMMIT of such a
// transaction (which then rolls back). PostgreSQL behaves so natively; the
// SQLite adapter imitates it so code that swallows an error inside a Tx fails
// the same way on both engines.
Status TransactionAborted();

// The kAlreadyExists status for a unique violation, identical on both
// engines. `qualified_columns` is "table.col" or "table.a, table.b" (the form
// SQLite reports); the message names them and the field is the column name
// when there is exactly one.
Status UniqueViolation(std::string_view qualified_columns);

// The kConflict status for a foreign-key violation, `detail` appended.
Status ForeignKeyViolation(std::string_view detail);

// Trims ASCII whitespace and one trailing ';' from both ends, uppercases, so
// callers can recognise "COMMIT" / "ROLLBACK" written any way.
std::string NormalizeKeyword(std::string_view sql);

}  // namespace zb::db::internal
