#include "api/scope.h"

#include <string>

#include "domain/data_scope.h"

namespace zb::api {

storage::ScopeFilterSql ScopeSql(const http::Principal& p) {
  storage::ScopeFilterSql s;
  s.all = p.scope.all;
  s.subtree_paths = p.scope.subtree_paths;
  s.unit_ids = p.scope.unit_ids;
  if (p.scope.self) s.self_user_id = p.user_id;
  return s;
}

bool InScope(const http::Principal& p, int64_t unit_id, std::string_view unit_path, bool owned_by_caller) {
  return domain::ScopeAllows(p.scope, unit_id, unit_path, owned_by_caller);
}

Status NotVisible(std::string_view what_zh, std::string_view what_en, std::string_view field) {
  return NotFound(std::string(what_zh) + "不存在 (no such " + std::string(what_en) + ")", std::string(field));
}

StatusOr<storage::OrgUnit> VisibleUnit(db::Connection& conn, const http::Principal& p, int64_t id,
                                       std::string_view field) {
  auto unit = storage::GetOrgUnit(conn, id);
  if (unit.status().code() == StatusCode::kNotFound ||
      (unit.ok() && unit->id != p.org_unit_id && !InScope(p, unit->id, unit->path))) {
    return NotVisible(field == "parent_id" ? "上级单位" : "组织机构", "org unit", field);
  }
  return unit;
}

}  // namespace zb::api
