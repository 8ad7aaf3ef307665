#include "storage/sqlite/search_grams.h"

#include <sqlite3.h>

namespace zb::db {
namespace {

// Characters are UTF-8 sequences: a new one starts at every byte that is
// not a continuation byte (10xxxxxx).
bool StartsCharacter(unsigned char c) { return (c & 0xC0) != 0x80; }

int Create(void*, const char**, int, Fts5Tokenizer** out) {
  static int instance = 0;  // stateless: any non-null pointer
  *out = reinterpret_cast<Fts5Tokenizer*>(&instance);
  return SQLITE_OK;
}

void Delete(Fts5Tokenizer*) {}

int Tokenize(Fts5Tokenizer*, void* ctx, int flags, const char* text, int n,
             int (*token)(void*, int, const char*, int, int, int)) {
  if (n <= 0) return SQLITE_OK;
  if ((flags & FTS5_TOKENIZE_QUERY) != 0) return token(ctx, 0, text, n, 0, n);
  // Document (or auxiliary) text: each character, then it with the next.
  const auto* s = reinterpret_cast<const unsigned char*>(text);
  int start = 0;
  while (start < n) {
    int next = start + 1;
    while (next < n && !StartsCharacter(s[next])) ++next;
    int rc = token(ctx, 0, text + start, next - start, start, next);
    if (rc != SQLITE_OK) return rc;
    if (next < n) {
      int after = next + 1;
      while (after < n && !StartsCharacter(s[after])) ++after;
      rc = token(ctx, 0, text + start, after - start, start, after);
      if (rc != SQLITE_OK) return rc;
    }
    start = next;
  }
  return SQLITE_OK;
}

fts5_api* Fts5Api(sqlite3* db) {
  fts5_api* api = nullptr;
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &stmt, nullptr) != SQLITE_OK) return nullptr;
  sqlite3_bind_pointer(stmt, 1, static_cast<void*>(&api), "fts5_api_ptr", nullptr);
  sqlite3_step(stmt);
  sqlite3_finalize(stmt);
  return api;
}

}  // namespace

int RegisterSearchGramsTokenizer(sqlite3* db) {
  fts5_api* api = Fts5Api(db);
  if (api == nullptr || api->iVersion < 2) return SQLITE_ERROR;
  fts5_tokenizer tokenizer{Create, Delete, Tokenize};
  return api->xCreateTokenizer(api, "zb_grams", nullptr, &tokenizer, nullptr);
}

}  // namespace zb::db
