// Configurable dictionaries: the lists each office keeps for itself, and
// what `zhuanban init` puts in them so a new installation is usable at once.
//
//   industry  行业       GB/T 4754-2017 sections (门类), code = the section
//                        letter, so national statistics line up
//   board     产业板块    the district's industry boards; every district
//                        names its own (seed 002: "3+6 产业板块") — these
//                        are a start to edit
//   category  项目类别    the project categories of the monthly reports
//                        (制造业 / 服务业 / 基础设施 / 房地产及棚户区改造 /
//                        社会民生 / 其他)
//
// Records store the code; people see and type the label (imports match it).
#pragma once

#include <string_view>
#include <vector>

namespace zb::domain {

struct DictTypeDef {
  std::string_view code;   // wire code, the dict_items.dict_type value
  std::string_view label;  // zh-CN
  std::string_view label_en;
};

const std::vector<DictTypeDef>& DictTypes();
bool IsKnownDictType(std::string_view code);

struct DefaultDictItem {
  std::string_view dict_type;
  std::string_view code;
  std::string_view label;
};

// In display order within each type.
const std::vector<DefaultDictItem>& DefaultDictItems();

}  // namespace zb::domain
