#include "storage/sql_text.h"

#include <cctype>

namespace zb::db::internal {

namespace {

bool IsIdentChar(char c) {
  unsigned char u = static_cast<unsigned char>(c);
  return std::isalnum(u) || c == '_' || c == '$' || u >= 0x80;
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// Index just past a quoted run that starts at sql[i] == quote. A doubled quote
// is an escaped quote; with `backslash_escapes` (E'…') so is \'.
size_t SkipQuoted(std::string_view sql, size_t i, char quote, bool backslash_escapes) {
  size_t j = i + 1;
  while (j < sql.size()) {
    if (backslash_escapes && sql[j] == '\\') {
      j += 2;
      continue;
    }
    if (sql[j] == quote) {
      if (j + 1 < sql.size() && sql[j + 1] == quote) {
        j += 2;
        continue;
      }
      return j + 1;
    }
    ++j;
  }
  return sql.size();  // unterminated: the engine will report it
}

}  // namespace

PlaceholderScan ScanPlaceholders(std::string_view sql, bool rewrite_to_sqlite) {
  PlaceholderScan out;
  out.sql.reserve(sql.size());
  size_t i = 0;
  const size_t n = sql.size();
  while (i < n) {
    const char c = sql[i];
    const bool after_ident = i > 0 && IsIdentChar(sql[i - 1]);
    size_t end = i + 1;  // the end of the run copied verbatim
    if (c == '\'') {
      const bool escape_string =
          i > 0 && (sql[i - 1] == 'E' || sql[i - 1] == 'e') && (i < 2 || !IsIdentChar(sql[i - 2]));
      end = SkipQuoted(sql, i, '\'', escape_string);
    } else if (c == '"') {
      end = SkipQuoted(sql, i, '"', false);
    } else if (c == '-' && i + 1 < n && sql[i + 1] == '-') {
      size_t nl = sql.find('\n', i);
      end = nl == std::string_view::npos ? n : nl + 1;
    } else if (c == '/' && i + 1 < n && sql[i + 1] == '*') {
      int depth = 0;  // PostgreSQL nests block comments
      size_t j = i;
      while (j < n) {
        if (sql[j] == '/' && j + 1 < n && sql[j + 1] == '*') {
          ++depth;
          j += 2;
        } else if (sql[j] == '*' && j + 1 < n && sql[j + 1] == '/') {
          j += 2;
          if (--depth == 0) break;
        } else {
          ++j;
        }
      }
      end = j;
    } else if (c == '$' && !after_ident && i + 1 < n && IsDigit(sql[i + 1])) {
      size_t j = i + 1;
      long long index = 0;
      while (j < n && IsDigit(sql[j])) {
        if (index < 1000000) index = index * 10 + (sql[j] - '0');
        ++j;
      }
      if (index > out.max_index) out.max_index = static_cast<int>(index);
      out.sql += rewrite_to_sqlite ? '?' : '$';
      out.sql.append(sql.substr(i + 1, j - i - 1));
      i = j;
      continue;
    } else if (c == '$' && !after_ident) {
      // A dollar-quoted string: $$…$$ or $tag$…$tag$ (tag not starting with
      // a digit, which was handled above).
      size_t j = i + 1;
      while (j < n && sql[j] != '$' && IsIdentChar(sql[j])) ++j;
      if (j < n && sql[j] == '$') {
        std::string_view tag = sql.substr(i, j - i + 1);
        size_t close = sql.find(tag, j + 1);
        if (close != std::string_view::npos) end = close + tag.size();
      }
    }
    out.sql.append(sql.substr(i, end - i));
    i = end;
  }
  return out;
}

Status TransactionAborted() {
  return Internal(
      "事务已因先前的错误中止,操作已回滚 (current transaction is aborted after an earlier error; "
      "it was rolled back)");
}

Status UniqueViolation(std::string_view qualified_columns) {
  std::string columns(qualified_columns);
  std::string field;
  if (columns.find(',') == std::string::npos) {
    size_t dot = columns.rfind('.');
    field = dot == std::string::npos ? columns : columns.substr(dot + 1);
  }
  return AlreadyExists("数据已存在,不能重复: " + columns + " (unique constraint violated: " + columns + ")", field);
}

Status ForeignKeyViolation(std::string_view detail) {
  return Conflict("关联数据冲突:引用的记录不存在或仍被引用 (foreign key constraint failed" +
                  (detail.empty() ? std::string() : ": " + std::string(detail)) + ")");
}

std::string NormalizeKeyword(std::string_view sql) {
  size_t b = 0;
  size_t e = sql.size();
  while (b < e && std::isspace(static_cast<unsigned char>(sql[b]))) ++b;
  while (e > b && (std::isspace(static_cast<unsigned char>(sql[e - 1])) || sql[e - 1] == ';')) --e;
  std::string out(sql.substr(b, e - b));
  for (char& ch : out) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  return out;
}

}  // namespace zb::db::internal
