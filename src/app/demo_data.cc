#include "app/demo_data.h"

#include <array>
#include <cstdio>
#include <random>
#include <set>
#include <string_view>

#include "domain/credit_code.h"

namespace zb::app {

namespace {

constexpr std::array<std::string_view, 40> kBrands = {
    "华新", "鲁东", "海达", "瑞丰", "正海", "东润", "金泰", "中科", "蓝海", "恒通",
    "博源", "盛景", "天诚", "宏远", "信达", "润昌", "泰和", "嘉利", "万华", "合力",
    "通泰", "荣昌", "明德", "新港", "海川", "莱宝", "凤凰", "鼎盛", "昆嵛", "芝罘",
    "岱岳", "观海", "渤海", "黄海", "云峰", "福山", "牟平", "长岛", "蓬莱", "龙口"};

struct Trade {
  std::string_view words;     // the business in the name
  std::string_view industry;  // GB/T 4754 section
  std::string_view tag;
};
constexpr std::array<Trade, 14> kTrades = {{{"新材料", "C", "新材料"},
                                            {"生物医药", "C", "生物医药"},
                                            {"智能装备", "C", "高端装备"},
                                            {"汽车零部件", "C", "汽车配套"},
                                            {"电子科技", "C", "电子信息"},
                                            {"食品", "C", "食品加工"},
                                            {"软件", "I", "数字经济"},
                                            {"信息技术", "I", "数字经济"},
                                            {"物流", "G", "现代物流"},
                                            {"建设工程", "E", ""},
                                            {"置业", "K", ""},
                                            {"海洋科技", "M", "现代海洋"},
                                            {"新能源", "D", "新能源"},
                                            {"文化旅游", "R", "文化旅游"}}};
constexpr std::array<std::string_view, 3> kForms = {"有限公司", "股份有限公司", "科技有限公司"};
constexpr std::array<std::string_view, 12> kSurnames = {"王", "李", "张", "刘", "陈", "杨",
                                                        "赵", "孙", "周", "吴", "徐", "于"};
constexpr std::array<std::string_view, 10> kGiven = {"建国", "海涛", "丽娜", "志强", "秀英",
                                                     "明", "磊", "静", "军", "晓燕"};
constexpr std::array<std::string_view, 5> kTitles = {"总经理", "副总经理", "办公室主任", "项目经理", "董事长"};
constexpr std::array<std::string_view, 6> kStreets = {"迎春大街", "观海路", "山海路", "港城东大街",
                                                      "盛泉工业园", "经济开发区纬一路"};

}  // namespace

std::vector<storage::NewEnterprise> DemoEnterprises(const std::vector<int64_t>& unit_ids, int count,
                                                    uint64_t seed) {
  std::mt19937_64 rng(seed);
  auto pick = [&](size_t n) { return static_cast<size_t>(rng() % n); };
  std::vector<storage::NewEnterprise> out;
  if (unit_ids.empty()) return out;
  out.reserve(count);
  std::set<std::string> names;
  for (int i = 0; i < count; ++i) {
    const Trade& trade = kTrades[pick(kTrades.size())];
    storage::NewEnterprise e;
    // 烟台 + brand + trade + form; a registered name is unique, so a repeat
    // draws again (and past the combinations takes a branch-office suffix).
    for (int attempt = 0;; ++attempt) {
      e.name = "烟台" + std::string(kBrands[pick(kBrands.size())]) + std::string(trade.words) +
               std::string(kForms[pick(kForms.size())]);
      if (attempt >= 20) e.name += "莱山分公司" + std::to_string(i);
      if (names.insert(e.name).second) break;
    }
    char body[9];
    std::snprintf(body, sizeof body, "MA%06d", static_cast<int>((seed * 7 + static_cast<uint64_t>(i) * 7919) % 1000000));
    e.credit_code = domain::MakeCreditCode("91370613", body);  // 370613 = 莱山区
    e.industry = std::string(trade.industry);
    e.org_unit_id = unit_ids[static_cast<size_t>(i) % unit_ids.size()];
    e.address = "烟台市莱山区" + std::string(kStreets[pick(kStreets.size())]) + std::to_string(1 + pick(300)) + "号";
    e.legal_representative = std::string(kSurnames[pick(kSurnames.size())]) + std::string(kGiven[pick(kGiven.size())]);
    e.above_scale = pick(3) == 0;
    char phone[12];
    std::snprintf(phone, sizeof phone, "13%09d", static_cast<int>(rng() % 1000000000));
    e.contacts = {{std::string(kSurnames[pick(kSurnames.size())]) + std::string(kGiven[pick(kGiven.size())]),
                   std::string(kTitles[pick(kTitles.size())]), phone}};
    if (!trade.tag.empty()) e.tags.emplace_back(trade.tag);
    if (e.above_scale) e.tags.emplace_back("规上");
    if (pick(8) == 0) e.tags.emplace_back("专精特新");
    out.push_back(std::move(e));
  }
  return out;
}

}  // namespace zb::app
