#include "storage/dict_repo.h"

#include <string>

namespace zb::storage {

namespace {

#define ZB_DICT_COLUMNS "id, dict_type, code, label, sort_order, active, version, created_at, updated_at"

constexpr char kNotFound[] = "字典项不存在";

DictItem FromRow(const db::Row& r) {
  return {.id = r.Int("id"),
          .dict_type = r.Text("dict_type"),
          .code = r.Text("code"),
          .label = r.Text("label"),
          .sort_order = r.Int("sort_order"),
          .active = r.Bool("active"),
          .version = r.Int("version"),
          .created_at = r.Int("created_at"),
          .updated_at = r.Int("updated_at")};
}

}  // namespace

StatusOr<DictItem> CreateDictItem(db::Connection& conn, const NewDictItem& in, int64_t now_ms) {
  ZB_ASSIGN_OR_RETURN(auto row, conn.QueryOne("INSERT INTO dict_items (dict_type, code, label, sort_order, active, "
                                              "version, created_at, updated_at) "
                                              "VALUES ($1, $2, $3, $4, 1, 1, $5, $5) RETURNING " ZB_DICT_COLUMNS,
                                              {in.dict_type, in.code, in.label, in.sort_order, now_ms}));
  if (!row) return Internal("INSERT … RETURNING 未返回行 (no row returned)");
  return FromRow(*row);
}

StatusOr<DictItem> GetDictItem(db::Connection& conn, int64_t id) {
  ZB_ASSIGN_OR_RETURN(auto row, conn.QueryOne("SELECT " ZB_DICT_COLUMNS " FROM dict_items WHERE id = $1", {id}));
  if (!row) return NotFound(kNotFound, "id");
  return FromRow(*row);
}

StatusOr<std::vector<DictItem>> ListDictItems(db::Connection& conn, const std::string& dict_type,
                                              bool include_inactive) {
  ZB_ASSIGN_OR_RETURN(db::Result r,
                      conn.Query("SELECT " ZB_DICT_COLUMNS " FROM dict_items "
                                 "WHERE ($1 = '' OR dict_type = $1) AND ($2 = 1 OR active = 1) "
                                 "ORDER BY dict_type, sort_order, id",
                                 {dict_type, int64_t{include_inactive ? 1 : 0}}));
  std::vector<DictItem> out;
  out.reserve(r.rows.size());
  for (const db::Row& row : r.rows) out.push_back(FromRow(row));
  return out;
}

StatusOr<DictItem> UpdateDictItem(db::Connection& conn, int64_t id, int64_t expected_version,
                                  const DictItemChanges& changes, int64_t now_ms) {
  ZB_ASSIGN_OR_RETURN(auto row, conn.QueryOne("UPDATE dict_items SET label = COALESCE($3, label), "
                                              "sort_order = COALESCE($4, sort_order), active = COALESCE($5, active), "
                                              "version = version + 1, updated_at = $6 "
                                              "WHERE id = $1 AND version = $2 RETURNING " ZB_DICT_COLUMNS,
                                              {id, expected_version, db::Opt(changes.label),
                                               db::Opt(changes.sort_order), db::OptBool(changes.active), now_ms}));
  if (row) return FromRow(*row);
  ZB_ASSIGN_OR_RETURN(auto current, conn.QueryOne("SELECT version FROM dict_items WHERE id = $1", {id}));
  if (!current) return NotFound(kNotFound, "id");
  return VersionConflict("字典项已被他人修改,请刷新后重试 (version " + std::to_string(expected_version) +
                         " expected, now " + std::to_string(current->Int("version")) + ")");
}

#undef ZB_DICT_COLUMNS

}  // namespace zb::storage
