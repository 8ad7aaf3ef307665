// The FTS5 tokenizer "zb_grams" behind the short-term keyword index
// (migration 0019, table project_search_grams): a document's tokens are
// every character and every pair of adjacent characters of its text, as
// they are (the text is already folded: storage ProjectSearchText), so a
// one- or two-character term is one token and its matches are exactly the
// texts holding it as a substring. A query's phrase is one token, whole:
// callers ask only for terms of one or two characters.
//
// Registered on every connection the SQLite pool opens (a tokenizer lives
// in the connection, not the file): a tool without it — the sqlite3 shell —
// can read every other table but cannot write project_search_grams, nor
// delete a project (its trigger updates the index).
#pragma once

struct sqlite3;

namespace zb::db {

// SQLITE_OK, or SQLite's error code.
int RegisterSearchGramsTokenizer(sqlite3* db);

}  // namespace zb::db
