#include "storage/scope_sql.h"

#include <algorithm>

namespace zb::storage {

namespace {

std::string Placeholder(db::Params* params, db::Value v) {
  params->push_back(std::move(v));
  return "$" + std::to_string(params->size());
}

}  // namespace

std::string ScopeWhere(const ScopeFilterSql& scope, std::string_view unit_path_column,
                       std::string_view unit_id_column, std::string_view owner_column, db::Params* params) {
  if (scope.all) return "1=1";
  std::vector<std::string> terms;
  for (const std::string& path : scope.subtree_paths) {
    terms.push_back(std::string(unit_path_column) + " LIKE " + Placeholder(params, path) + " || '%'");
  }
  if (!scope.unit_ids.empty()) {
    terms.push_back(std::string(unit_id_column) + " IN (" + InList(scope.unit_ids, params) + ")");
  }
  if (scope.self_user_id && !owner_column.empty()) {
    terms.push_back(std::string(owner_column) + " = " + Placeholder(params, *scope.self_user_id));
  }
  if (terms.empty()) return "1=0";
  std::string out = "(";
  for (size_t i = 0; i < terms.size(); ++i) {
    if (i > 0) out += " OR ";
    out += terms[i];
  }
  out += ")";
  return out;
}

std::string InList(const std::vector<int64_t>& ids, db::Params* params) {
  std::string out;
  for (int64_t id : ids) {
    if (!out.empty()) out += ",";
    out += Placeholder(params, id);
  }
  return out;
}

std::string LimitOffset(int64_t page, int64_t page_size, db::Params* params) {
  if (page < 1) page = 1;
  if (page_size < 1) page_size = kDefaultPageSize;
  page_size = std::min(page_size, kMaxPageSize);
  std::string limit = Placeholder(params, page_size);
  std::string offset = Placeholder(params, (page - 1) * page_size);
  return " LIMIT " + limit + " OFFSET " + offset;
}

std::string PathUnder(std::string_view column, std::string_view path, db::Params* params) {
  // Every string with the prefix sorts at or after it and before the
  // prefix with its last byte raised by one ("/1/5/" → "/1/50").
  std::string end(path);
  if (!end.empty()) ++end.back();
  params->push_back(std::string(path));
  std::string lo = "$" + std::to_string(params->size());
  params->push_back(end);
  std::string hi = "$" + std::to_string(params->size());
  return "(" + std::string(column) + " >= " + lo + " AND " + std::string(column) + " < " + hi + ")";
}

std::string EscapeLike(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    if (c == '%' || c == '_' || c == '\\') out += '\\';
    out += c;
  }
  return out;
}

void AndWhere(std::string& where, db::Params& params, const char* condition_with_placeholder, db::Value value) {
  params.push_back(std::move(value));
  std::string c = condition_with_placeholder;
  c.replace(c.find('?'), 1, "$" + std::to_string(params.size()));
  where += " AND " + c;
}

Status CheckIdsExist(db::Connection& conn, const char* table, const std::vector<int64_t>& ids, const char* field,
                     std::string_view what) {
  if (ids.empty()) return Status();
  db::Params params;
  const std::string in = InList(ids, &params);
  ZB_ASSIGN_OR_RETURN(auto row, conn.QueryOne(std::string("SELECT COUNT(*) AS n FROM ") + table + " WHERE id IN (" +
                                                  in + ")",
                                              params));
  if (!row || row->Int("n") != static_cast<int64_t>(ids.size())) return NotFound(std::string(what) + "不存在", field);
  return Status();
}

std::string ValuesList(const std::vector<db::Params>& rows, const std::vector<std::string_view>& types,
                       db::Params* params) {
  std::string out;
  for (const db::Params& row : rows) {
    out += out.empty() ? "(" : ", (";
    for (size_t i = 0; i < row.size(); ++i) {
      params->push_back(row[i]);
      out += (i ? ", CAST($" : "CAST($") + std::to_string(params->size()) + " AS " + std::string(types.at(i)) + ")";
    }
    out += ")";
  }
  return out;
}

Status ExecValues(db::Connection& conn, std::vector<db::Params>& rows, const std::vector<std::string_view>& types,
                  std::string_view head, std::string_view tail) {
  constexpr size_t kBatch = 256;
  for (size_t first = 0; first < rows.size();) {
    size_t n = kBatch;
    while (n > rows.size() - first) n /= 2;
    const auto begin = rows.begin() + static_cast<std::ptrdiff_t>(first);
    const std::vector<db::Params> batch(std::make_move_iterator(begin),
                                        std::make_move_iterator(begin + static_cast<std::ptrdiff_t>(n)));
    db::Params params;
    params.reserve(n * types.size());
    const std::string values = ValuesList(batch, types, &params);
    ZB_RETURN_IF_ERROR(conn.Exec(std::string(head) + values + std::string(tail), params));
    first += n;
  }
  rows.clear();
  return Status();
}

}  // namespace zb::storage
