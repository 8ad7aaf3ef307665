#include "domain/data_scope.h"

#include <algorithm>

namespace zb::domain {

const std::vector<DataScopeDef>& DataScopes() {
  static const std::vector<DataScopeDef> kScopes = {
      {DataScope::kAll, "all", "全部", "All"},
      {DataScope::kUnitAndBelow, "unit_and_below", "本单位及以下", "Own unit and below"},
      {DataScope::kUnit, "unit", "本单位", "Own unit"},
      {DataScope::kSelf, "self", "仅本人", "Own records only"},
      {DataScope::kCustom, "custom", "自定义单位", "Selected units"},
  };
  return kScopes;
}

std::string_view DataScopeCode(DataScope scope) {
  for (const auto& d : DataScopes()) {
    if (d.scope == scope) return d.code;
  }
  return "self";
}

std::string_view DataScopeLabel(DataScope scope) {
  for (const auto& d : DataScopes()) {
    if (d.scope == scope) return d.label;
  }
  return "仅本人";
}

std::optional<DataScope> ParseDataScope(std::string_view s) {
  for (const auto& d : DataScopes()) {
    if (s == d.code || s == d.label) return d.scope;
  }
  return std::nullopt;
}

bool IsValidUnitPath(std::string_view path) {
  if (path.size() < 3 || path.front() != '/' || path.back() != '/') return false;
  size_t seg = 0;
  for (size_t i = 1; i < path.size(); ++i) {
    char c = path[i];
    if (c == '/') {
      if (seg == 0) return false;
      seg = 0;
    } else if (c >= '0' && c <= '9') {
      if (seg == 0 && c == '0') return false;  // no leading zeros, no id 0
      ++seg;
    } else {
      return false;
    }
  }
  return true;
}

void NormalizeScopeFilter(ScopeFilter& f) {
  if (f.all) {
    f = ScopeFilter{.all = true};
    return;
  }
  std::sort(f.unit_ids.begin(), f.unit_ids.end());
  f.unit_ids.erase(std::unique(f.unit_ids.begin(), f.unit_ids.end()), f.unit_ids.end());

  // Sorted, a covering prefix comes before everything it covers.
  std::sort(f.subtree_paths.begin(), f.subtree_paths.end());
  std::vector<std::string> kept;
  for (auto& p : f.subtree_paths) {
    if (!IsValidUnitPath(p)) continue;
    if (!kept.empty() && std::string_view(p).starts_with(kept.back())) continue;
    kept.push_back(std::move(p));
  }
  f.subtree_paths = std::move(kept);
}

ScopeFilter ComputeScopeFilter(const std::vector<RoleScope>& roles, int64_t user_unit_id,
                               std::string_view user_unit_path) {
  ScopeFilter f;
  bool has_unit = user_unit_id > 0;
  bool has_path = IsValidUnitPath(user_unit_path);
  for (const auto& r : roles) {
    switch (r.scope) {
      case DataScope::kAll:
        return ScopeFilter{.all = true};
      case DataScope::kUnitAndBelow:
        if (has_path) f.subtree_paths.emplace_back(user_unit_path);
        break;
      case DataScope::kUnit:
        if (has_unit) f.unit_ids.push_back(user_unit_id);
        break;
      case DataScope::kSelf:
        f.self = true;
        break;
      case DataScope::kCustom:
        for (int64_t id : r.custom_unit_ids) {
          if (id > 0) f.unit_ids.push_back(id);
        }
        break;
    }
  }
  NormalizeScopeFilter(f);
  return f;
}

bool ScopeAllowsUnit(const ScopeFilter& f, int64_t unit_id, std::string_view unit_path) {
  if (f.all) return true;
  if (std::find(f.unit_ids.begin(), f.unit_ids.end(), unit_id) != f.unit_ids.end()) return true;
  if (!IsValidUnitPath(unit_path)) return false;
  for (const auto& p : f.subtree_paths) {
    if (!p.empty() && p.back() == '/' && unit_path.starts_with(p)) return true;
  }
  return false;
}

bool ScopeAllows(const ScopeFilter& f, int64_t unit_id, std::string_view unit_path, bool owned_by_user) {
  return (f.self && owned_by_user) || ScopeAllowsUnit(f, unit_id, unit_path);
}

bool ScopeEmpty(const ScopeFilter& f) {
  return !f.all && f.subtree_paths.empty() && f.unit_ids.empty() && !f.self;
}

}  // namespace zb::domain
