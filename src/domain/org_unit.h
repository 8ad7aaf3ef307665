// Organisation units: the tree every record hangs from (市 → 区县/开发区 →
// 镇街/园区 → 村社, with 部门 under any level). Pure rules: kinds and their
// labels, and validation of what a user submits.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace zb::domain {

struct OrgUnitKind {
  std::string_view code;      // stable wire code
  std::string_view label;     // zh-CN
  std::string_view label_en;
};

// city 市, county 区县, zone 开发区/园区, town 镇街, village 村社, department 部门.
const std::vector<OrgUnitKind>& OrgUnitKinds();

// Accepts the code or the Chinese label ("town" or "镇街"); returns the code.
std::optional<std::string_view> ParseOrgUnitKind(std::string_view code_or_label);

// Fields a user sets on an org unit. Empty optionals are "not given".
struct OrgUnitInput {
  std::optional<std::string> name;
  std::optional<std::string> short_name;
  std::optional<std::string> code;
  std::optional<std::string> kind;  // normalised to the code by Validate
  std::optional<int64_t> sort_order;
};

// Validates an input; `creating` requires name, code and kind. Normalises
// `kind` to its code and trims surrounding spaces from text fields. The
// Status names the first offending field.
Status ValidateOrgUnit(OrgUnitInput& in, bool creating);

}  // namespace zb::domain
