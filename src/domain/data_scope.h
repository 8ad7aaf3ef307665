// Data scopes: which records a user may see, RuoYi's five.
//
//   all             全部         every record
//   unit_and_below  本单位及以下  records of the user's unit and its subtree
//   unit            本单位       records of the user's unit only
//   self            仅本人       records created by or assigned to the user
//   custom          自定义单位    records of the units listed on the role (exact
//                                units; tick the children in the editor to
//                                include them, as RuoYi does)
//
// Contract
// - DataScopeCode / DataScopeLabel give the wire code and the zh-CN label;
//   ParseDataScope accepts either and returns nullopt for anything else.
// - ComputeScopeFilter(roles, user_unit_id, user_unit_path) is the union of
//   the roles' scopes, normalised:
//   * any role with kAll → {all = true} and every other member empty/false;
//   * subtree_paths: sorted, unique, and a path is dropped when another path
//     in the list is its prefix ("/1/5/" covers "/1/5/12/");
//   * unit_ids: sorted, unique; the user's own unit for kUnit plus every
//     custom unit. Ids inside a covered subtree are NOT removed (the filter
//     does not know their paths); they are redundant but harmless in SQL
//     (`path LIKE '/1/5/%' OR unit_id IN (...)`).
//   * self: some role has kSelf.
//   ComputeScopeFilter yields at most one subtree (the user's own unit);
//   NormalizeScopeFilter applies the same rules to any filter.
//   A user without a unit (user_unit_id <= 0) or with a malformed path (must
//   be "/…/" of positive decimal ids, like "/1/5/12/") gets nothing from
//   kUnit / kUnitAndBelow. No roles → the empty filter (sees nothing).
// - ScopeAllowsUnit(filter, unit_id, unit_path): a record owned by that unit
//   is visible through the unit part of the filter: all, an exact id, or a
//   subtree path that is a prefix of unit_path. Paths end with '/', so
//   "/1/5/" covers "/1/5/12/" but not "/1/50/". `self` is not considered here
//   (it depends on the record, not its unit); ScopeAllows adds it.
// - ScopeEmpty: the filter admits nothing; callers may skip the query.
// Repositories turn a ScopeFilter into SQL; an out-of-scope record is a 404.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace zb::domain {

enum class DataScope { kAll, kUnitAndBelow, kUnit, kSelf, kCustom };

struct DataScopeDef {
  DataScope scope;
  std::string_view code;   // stable wire code
  std::string_view label;  // zh-CN
  std::string_view label_en;
};

// In the order the role editor shows them.
const std::vector<DataScopeDef>& DataScopes();
std::string_view DataScopeCode(DataScope scope);
std::string_view DataScopeLabel(DataScope scope);
std::optional<DataScope> ParseDataScope(std::string_view code_or_label);

// One role's contribution. custom_unit_ids is read only for kCustom.
struct RoleScope {
  DataScope scope = DataScope::kSelf;
  std::vector<int64_t> custom_unit_ids;
};

struct ScopeFilter {
  bool all = false;
  std::vector<std::string> subtree_paths;  // unit-and-below: path prefixes ending in '/'
  std::vector<int64_t> unit_ids;           // exact units: own unit (kUnit) + custom units
  bool self = false;                       // records created by / assigned to the user
};

ScopeFilter ComputeScopeFilter(const std::vector<RoleScope>& roles, int64_t user_unit_id,
                               std::string_view user_unit_path);
// The normal form described above, for filters merged by hand (e.g. an API
// token's scope narrowed from its creator's). Malformed paths are dropped.
void NormalizeScopeFilter(ScopeFilter& filter);

bool ScopeAllowsUnit(const ScopeFilter& filter, int64_t unit_id, std::string_view unit_path);
// A single record: its owning unit, and whether the user created it or it is
// assigned to the user.
bool ScopeAllows(const ScopeFilter& filter, int64_t unit_id, std::string_view unit_path, bool owned_by_user);
bool ScopeEmpty(const ScopeFilter& filter);

// "/1/5/12/": starts and ends with '/', segments are positive decimal ids.
bool IsValidUnitPath(std::string_view path);

}  // namespace zb::domain
