#include "domain/org_unit.h"

#include "core/text.h"

namespace zb::domain {

const std::vector<OrgUnitKind>& OrgUnitKinds() {
  static const std::vector<OrgUnitKind> kKinds = {
      {"city", "市", "City"},
      {"county", "区县", "District / county"},
      {"zone", "开发区/园区", "Development zone / park"},
      {"town", "镇街", "Town / subdistrict"},
      {"village", "村社", "Village / community"},
      {"department", "部门", "Department"},
  };
  return kKinds;
}

std::optional<std::string_view> ParseOrgUnitKind(std::string_view s) {
  for (const auto& k : OrgUnitKinds()) {
    if (s == k.code || s == k.label) return k.code;
  }
  return std::nullopt;
}

Status ValidateOrgUnit(OrgUnitInput& in, bool creating) {
  if (creating) {
    if (!in.name) return ValidationFailed("名称不能为空 (name is required)", "name");
    if (!in.code) return ValidationFailed("编码不能为空 (code is required)", "code");
    if (!in.kind) return ValidationFailed("类型不能为空 (kind is required)", "kind");
  }
  if (in.name) ZB_RETURN_IF_ERROR(ValidateLine(*in.name, "name", "名称", 100, false));
  if (in.short_name) ZB_RETURN_IF_ERROR(ValidateLine(*in.short_name, "short_name", "简称", 50, true));
  if (in.code) {
    ZB_RETURN_IF_ERROR(ValidateLine(*in.code, "code", "编码", 64, false));
    for (char c : *in.code) {
      bool ok = (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '-' || c == '_' ||
                c == '.';
      if (!ok) {
        return ValidationFailed("编码只能包含字母、数字和 - _ . (code: letters, digits, - _ . only)", "code");
      }
    }
  }
  if (in.kind) {
    auto k = ParseOrgUnitKind(*in.kind);
    if (!k) {
      return ValidationFailed("类型应为 市/区县/开发区/园区/镇街/村社/部门 之一 (unknown kind: " + *in.kind + ")",
                              "kind");
    }
    in.kind = std::string(*k);
  }
  if (in.sort_order && (*in.sort_order < -1'000'000 || *in.sort_order > 1'000'000)) {
    return ValidationFailed("排序号应在 -1000000 到 1000000 之间", "sort_order");
  }
  return Status::Ok();
}

}  // namespace zb::domain
