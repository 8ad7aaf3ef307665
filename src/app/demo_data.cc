#include "app/demo_data.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <functional>
#include <optional>
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

// ---- projects ------------------------------------------------------------------

namespace {

using domain::ProjectStage;

// A deterministic source of choices (rng() % n as above: the same on every
// standard library, unlike the <random> distributions).
class Dice {
 public:
  explicit Dice(uint64_t seed) : g_(seed) {}
  size_t Below(size_t n) { return static_cast<size_t>(g_() % n); }
  int64_t Between(int64_t lo, int64_t hi) {
    return lo + static_cast<int64_t>(g_() % static_cast<uint64_t>(hi - lo + 1));
  }
  double Unit() { return static_cast<double>(g_() >> 11) * 0x1.0p-53; }
  bool Chance(double p) { return Unit() < p; }
  template <typename C>
  const auto& Pick(const C& c) {
    return c[Below(std::size(c))];
  }

 private:
  std::mt19937_64 g_;
};

// The district's places (DemoUnits codes), where projects stand: name for
// addresses, short name for project names, and a point to scatter around.
struct Place {
  std::string_view code, name, short_name;
  double lng, lat;
};
constexpr std::array<Place, 10> kPlaces = {{{"LS", "莱山区", "莱山区", 121.445, 37.452},
                                            {"LS-KFQ", "莱山经济开发区", "开发区", 121.472, 37.428},
                                            {"LS-JJZ", "解甲庄街道", "解甲庄", 121.362, 37.382},
                                            {"LS-CJ", "初家街道", "初家", 121.412, 37.468},
                                            {"LS-YGZ", "院格庄街道", "院格庄", 121.498, 37.402},
                                            {"LS-BHL", "滨海路街道", "滨海路", 121.468, 37.474},
                                            {"LS-HHL", "黄海路街道", "黄海路", 121.432, 37.481},
                                            {"LS-MJ", "马家都街道", "马家都", 121.548, 37.441},
                                            {"LS-JJZ-BS", "北山社区", "北山", 121.351, 37.391},
                                            {"LS-JJZ-ZS", "枣山社区", "枣山", 121.372, 37.371}}};
// Where public works are sited: the district (区级工程), the zone and the subdistricts.
constexpr std::array<size_t, 8> kPublicSites = {0, 1, 2, 3, 4, 5, 6, 7};

// The 区领导 by portfolio, as indices into kLeaders.
enum Leader { kMayor, kExecutive, kIndustry, kUrban, kSocial, kZone };
constexpr std::array<std::string_view, 6> kLeaders = {"leader", "liuzhiyuan", "chenxiaodong",
                                                      "zhanghaitao", "gaowenjing", "yuxuefeng"};
constexpr std::array<std::string_view, 6> kLeaderTitles = {"区长", "常务副区长", "分管工业的副区长",
                                                           "分管城建的副区长", "分管社会事业的副区长",
                                                           "开发区党工委书记"};

// 包联人员 of a 责任部门 (unit code → login); others take the 项目服务中心's.
const std::map<std::string_view, std::string_view>& DepartmentLiaisons() {
  static const std::map<std::string_view, std::string_view> kMap = {
      {"LS-GXJ", "qupeng"},        {"LS-ZJJ", "jiangtao"},  {"LS-FGJ", "songjia"},
      {"LS-KFQ-ZSJ", "suihaibo"},  {"LS-KFQ-JSJ", "baolian"}, {"LS-ZRZY", "zrzy"},
      {"LS-SWJ", "liuyang"}};
  return kMap;
}
constexpr std::array<std::string_view, 2> kCentreLiaisons = {"maxiao", "hanxue"};

// One kind of project: who builds it, how it is filed, what it is called.
struct Item {
  // Placeholders: {b} the owner's 字号+行业, {p} the place, {r} a road, {v} a
  // village, {o} an ordinal; numbers {a} 万平方米, {e} 台(套), {q} capacity,
  // {l} lines, {k} km, {w} metres, {m} 亩, {c} a count.
  std::string_view name;
  std::string_view content;  // '' = the sector's
  std::string_view department = {};  // '' = one of the sector's
  int64_t max_wan = 0;               // 0 = the sector's
};
struct Sector {
  std::string_view trade;  // owners: demo enterprises with this trade in their name
  std::string_view board, category;
  bool is_public;          // government-led: no 在谈/签约, ends at 竣工, sited by the district
  int weight;
  int64_t min_wan, max_wan;  // total investment, 万元
  std::string_view content;
  std::vector<Item> items;
  std::vector<std::string_view> departments;  // 责任部门 codes
  Leader leader;                              // the 分管 区领导
};

const std::vector<Sector>& Sectors() {
  static const std::vector<Sector> kSectors = {
      {"新材料", "materials", "manufacturing", false, 30, 3000, 800000,
       "新建生产车间、研发楼及仓储用房{a}万平方米,购置反应釜、精馏塔、自动化包装线等设备{e}台(套),达产后年产值约{q}亿元",
       {{"{b}年产{l}万吨高性能复合材料项目", ""},
        {"{b}高端膜材料产业化项目", ""},
        {"{b}锂电池正极材料生产线项目", ""},
        {"{b}电子级化学品扩能项目", ""},
        {"{b}特种陶瓷材料研发生产基地项目", ""},
        {"{b}聚氨酯新材料产业园项目", ""},
        {"{b}碳纤维复合材料制品技改项目", ""},
        {"{b}生产线智能化技改项目", "对现有生产线实施智能化改造,新增DCS控制系统及在线检测设备{e}台(套),改造车间{a}万平方米"}},
       {"LS-GXJ", "LS-GXJ", "LS-FGJ"},
       kIndustry},
      {"智能装备", "equipment", "manufacturing", false, 30, 3000, 500000,
       "新建联合厂房及研发中心{a}万平方米,购置数控加工中心、焊接机器人、检测平台等设备{e}台(套),形成年产{c}台(套)的生产能力",
       {{"{b}智能装备制造基地项目", ""},
        {"{b}油气田压裂成套装备扩能项目", ""},
        {"{b}工业机器人及智能产线项目", ""},
        {"{b}海洋工程装备研发制造项目", ""},
        {"{b}高端数控机床生产线项目", ""},
        {"{b}智能电网设备产业化项目", ""},
        {"{b}数字化车间技改项目", "对机加工、装配车间实施数字化改造,购置五轴加工中心、AGV等设备{e}台(套),建设MES系统"}},
       {"LS-GXJ"},
       kIndustry},
      {"汽车零部件", "nev", "manufacturing", false, 16, 2000, 300000,
       "新建智能化生产车间{a}万平方米,引进冲压、焊装、注塑自动化生产线{l}条,配套建设检测中心及仓储物流设施",
       {{"{b}新能源汽车电驱系统生产项目", ""},
        {"{b}汽车轻量化零部件智能工厂项目", ""},
        {"{b}动力电池结构件生产线项目", ""},
        {"{b}汽车密封件扩产项目", ""},
        {"{b}生产线自动化技改项目", "对冲压、焊装生产线实施自动化改造,新增机器人{e}台,配套建设数字化管理平台"}},
       {"LS-GXJ"},
       kIndustry},
      {"电子科技", "it", "manufacturing", false, 20, 2000, 300000,
       "改造提升洁净厂房{a}万平方米,购置SMT贴片线、自动化测试设备等{e}台(套),达产后年产各类电子产品{c}万件(套)",
       {{"{b}智能电表及物联网终端生产项目", ""},
        {"{b}集成电路封装测试项目", ""},
        {"{b}新型显示模组生产线项目", ""},
        {"{b}5G通信模块智能制造项目", ""},
        {"{b}智能工厂技改项目", "对现有厂房及产线实施智能化改造,购置自动化检测及仓储设备{e}台(套)"}},
       {"LS-GXJ"},
       kIndustry},
      {"生物医药", "biomed", "manufacturing", false, 22, 3000, 400000,
       "建设符合GMP标准的生产车间、质检中心及研发楼{a}万平方米,购置发酵罐、灌装线、冻干机等设备{e}台(套)",
       {{"{b}创新药研发及产业化基地项目", ""},
        {"{b}高端医疗器械生产项目", ""},
        {"{b}生物制剂GMP车间建设项目", ""},
        {"{b}体外诊断试剂生产线项目", ""},
        {"{b}中药配方颗粒生产项目", ""},
        {"{b}原料药绿色化技改项目", "对原料药生产车间实施绿色化、连续化改造,新增连续流反应及废气处理设备{e}台(套)"}},
       {"LS-GXJ", "LS-WJJ"},
       kIndustry},
      {"食品", "agriculture", "manufacturing", false, 12, 1000, 100000,
       "新建生产车间、冷库及配套用房{a}万平方米,引进自动化生产线{l}条,达产后年产各类产品{c}吨",
       {{"{b}宠物食品智能工厂项目", ""},
        {"{b}中央厨房及冷链配送中心项目", ""},
        {"{b}海洋食品精深加工项目", ""},
        {"{b}葡萄酒酿造及酒庄建设项目", ""}},
       {"LS-GXJ", "LS-SWJ"},
       kIndustry},
      {"信息技术", "digital", "services", false, 14, 2000, 300000,
       "建设研发办公楼、数据机房及配套设施{a}万平方米,部署服务器机柜{e}个,引进软件和信息技术企业{l}0家入驻",
       {{"{b}数字经济产业园项目", ""},
        {"{b}工业互联网平台建设项目", ""},
        {"{b}人工智能算力中心项目", ""},
        {"{b}智慧城市运营中心项目", ""}},
       {"LS-GXJ", "LS-FGJ"},
       kExecutive},
      {"软件", "ai", "services", false, 8, 1000, 150000,
       "建设软件研发中心及孵化空间{a}万平方米,搭建人工智能开放平台,引进研发团队{l}个",
       {{"{b}研发总部基地项目", ""}, {"{b}人工智能创新中心项目", ""}, {"{b}大数据产业基地项目", ""}},
       {"LS-GXJ"},
       kExecutive},
      {"物流", "services", "services", false, 10, 3000, 200000,
       "建设仓储库房、冷库及分拨中心{a}万平方米,配套智能分拣系统和物流信息平台",
       {{"{b}冷链物流园项目", ""}, {"{b}智慧物流分拨中心项目", ""}, {"{b}跨境电商产业园项目", ""}},
       {"LS-SWJ", "LS-FGJ"},
       kExecutive},
      {"海洋科技", "marine", "manufacturing", false, 14, 2000, 300000,
       "建设海洋科技研发楼、育苗车间及配套设施{a}万平方米,购置养殖、加工及检测设备{e}台(套)",
       {{"{b}海洋牧场综合体项目", ""},
        {"{b}海水淡化装备研发生产项目", ""},
        {"{b}深远海养殖装备配套基地项目", ""},
        {"{b}海洋生物活性物质提取项目", ""}},
       {"LS-FGJ"},
       kExecutive},
      {"新能源", "energy", "infrastructure", false, 14, 1000, 200000,
       "建设光伏组件、储能系统及配套升压站,装机容量{q}兆瓦,配套建设智慧能源管理平台",
       {{"{b}分布式光伏发电项目", ""},
        {"{b}储能电站项目", ""},
        {"{b}氢能装备产业化项目", "新建氢能装备生产车间{a}万平方米,购置电解槽组装线及检测设备{e}台(套)"},
        {"{b}热电联产节能改造项目", "对现有热电机组实施节能技术改造,新建余热回收系统,年节约标准煤{c}吨"}},
       {"LS-FGJ", "LS-GDGS"},
       kIndustry},
      {"文化旅游", "culture_tourism", "services", false, 16, 3000, 300000,
       "建设游客服务中心、文化展示馆、精品民宿及配套设施,总建筑面积{a}万平方米,同步实施景观提升和停车场建设",
       {{"{p}滨海文旅康养综合体项目", ""},
        {"{b}文创产业园项目", ""},
        {"{p}乡村振兴田园综合体项目", ""},
        {"{b}滨海度假酒店项目", ""},
        {"{p}历史文化街区提升项目", ""}},
       {"LS-SWJ", "LS-FGJ"},
       kSocial},
      {"置业", "services", "livelihood", false, 10, 3000, 150000,
       "建设医养结合服务中心、康复楼及老年公寓{a}万平方米,设置养老床位{c}张",
       {{"{b}医养结合康养中心项目", ""}, {"{b}智慧养老服务综合体项目", ""}, {"{b}康复医院建设项目", ""}},
       {"LS-WJJ"},
       kSocial},
      {"置业", "services", "services", false, 8, 5000, 300000,
       "建设商务办公楼及配套商业{a}万平方米,引进区域总部、金融及专业服务机构入驻",
       {{"{b}总部经济大厦项目", ""}, {"{p}商业综合体项目", ""}, {"{b}科创孵化园项目", ""}},
       {"LS-SWJ", "LS-FGJ"},
       kExecutive},
      {"建设工程", "other", "infrastructure", true, 36, 1000, 500000,
       "道路全长{k}公里,红线宽度{w}米,同步建设雨污水管网、照明、绿化及交通设施",
       {{"{r}道路新建工程", "", "", 150000},
        {"{r}拓宽改造工程", "", "", 100000},
        {"{r}综合管廊工程", "建设综合管廊{k}公里,纳入给水、电力、通信、燃气等管线,配套建设监控中心", "", 300000},
        {"{p}片区雨污分流改造工程", "改造雨污水管网{k}公里,新建检查井、截流井及泵站,实现片区雨污分流", "", 50000},
        {"{p}供热管网改造工程", "改造一级供热管网{k}公里,新建换热站{l}座", "", 50000},
        {"{p}供水管网提升工程", "敷设供水管道{k}公里,改造老旧小区供水设施,新建加压泵站{l}座", "", 50000},
        {"莱山区{o}污水处理厂扩建工程", "新增污水处理能力{l}万吨/日,配套建设进水泵房、生化池及深度处理设施", "",
         100000},
        {"{p}220千伏输变电工程", "新建220千伏变电站一座,主变容量2×180兆伏安,配套线路{k}公里", "LS-GDGS", 80000},
        {"{p}智慧停车场建设项目", "新建立体停车库及智慧停车系统,新增停车泊位{c}个", "", 30000}},
       {"LS-ZJJ", "LS-ZJJ", "LS-ZRZY"},
       kUrban},
      {"建设工程", "other", "livelihood", true, 24, 2000, 200000,
       "规划用地{m}亩,总建筑面积{a}万平方米,建设教学楼、综合楼、风雨操场及配套设施,设置{l}0个教学班",
       {{"莱山区第{o}实验小学新建工程", "", "LS-JTJ", 50000},
        {"{p}中学扩建工程", "", "LS-JTJ", 50000},
        {"{p}中心幼儿园新建工程", "总建筑面积{a}万平方米,设置{l}个教学班,配套建设室外活动场地", "LS-JTJ", 8000},
        {"莱山区人民医院新院区建设项目", "总建筑面积{a}万平方米,设置床位{c}张,建设门急诊楼、医技楼、住院楼及配套设施",
         "LS-WJJ", 300000},
        {"{p}社区卫生服务中心新建工程", "总建筑面积{a}万平方米,设置全科诊室、预防保健、康复理疗等功能用房", "LS-WJJ",
         5000},
        {"莱山区全民健身中心项目", "建设综合体育馆、游泳馆及室外运动场地,总建筑面积{a}万平方米", "LS-JTJ", 60000},
        {"{p}综合养老服务中心项目", "建设养老服务用房{a}万平方米,设置养老床位{c}张,配套日间照料中心", "LS-WJJ", 20000}},
       {"LS-JTJ", "LS-WJJ", "LS-ZJJ"},
       kSocial},
      {"置业", "other", "real_estate", true, 18, 10000, 600000,
       "总用地{m}亩,总建筑面积{a}万平方米,建设安置住房{c}套及配套商业、幼儿园、社区服务用房",
       {{"{v}旧村改造项目", ""},
        {"{p}棚户区改造安置房项目", ""},
        {"{p}老旧小区改造工程", "改造老旧小区{l}个,涉及居民{c}户,实施管网更新、外墙保温、加装电梯及环境整治", "LS-ZJJ",
         50000}},
       {"LS-ZJJ", "LS-ZRZY"},
       kUrban},
  };
  return kSectors;
}

constexpr std::array<std::string_view, 12> kRoads = {"双河东路", "迎春大街东延", "观海路北延", "山海南路",
                                                     "港城东大街", "盛泉路", "枫林路", "秀林路",
                                                     "金山路", "银海路", "凤凰台路", "桐林路"};
constexpr std::array<std::string_view, 10> kVillages = {"宋家庄村", "午台社区", "松岚社区", "南寨村",
                                                        "东泊子村", "孙家滩村", "大疃村", "南院庄村",
                                                        "盛泉村", "寨里村"};
constexpr std::array<std::string_view, 5> kOrdinals = {"二", "三", "四", "五", "六"};

// How many projects end in each stage: most 在建 and 前期, as a ledger has them.
constexpr std::array<std::pair<ProjectStage, int>, 9> kStageShares = {{{ProjectStage::kPlanning, 20},
                                                                       {ProjectStage::kNegotiating, 24},
                                                                       {ProjectStage::kSigned, 26},
                                                                       {ProjectStage::kPreparing, 62},
                                                                       {ProjectStage::kBuilding, 110},
                                                                       {ProjectStage::kCompleted, 20},
                                                                       {ProjectStage::kOperating, 20},
                                                                       {ProjectStage::kSuspended, 10},
                                                                       {ProjectStage::kTerminated, 8}}};

std::string_view MoveNote(ProjectStage to, bool is_public) {
  switch (to) {
    case ProjectStage::kNegotiating:
      return "与企业开展项目洽谈,对接用地及配套需求";
    case ProjectStage::kSigned:
      return "签订投资协议";
    case ProjectStage::kPreparing:
      return is_public ? "项目建议书获批,开展可研及规划设计" : "完成项目备案,办理用地及规划手续";
    case ProjectStage::kBuilding:
      return "取得施工许可,正式开工建设";
    case ProjectStage::kCompleted:
      return is_public ? "完成竣工验收,交付使用" : "主体工程竣工验收";
    case ProjectStage::kOperating:
      return "设备安装调试完毕,正式投产";
    case ProjectStage::kSuspended:
      return "受资金及要素保障影响,暂缓建设";
    case ProjectStage::kTerminated:
      return "企业投资计划调整,项目终止";
    default:
      return "";
  }
}

// Replaces each "{x}" of `tpl` by fills[x].
std::string Fill(std::string_view tpl, const std::map<char, std::string>& fills) {
  std::string out;
  for (size_t i = 0; i < tpl.size(); ++i) {
    if (tpl[i] == '{' && i + 2 < tpl.size() && tpl[i + 2] == '}') {
      auto it = fills.find(tpl[i + 1]);
      if (it != fills.end()) {
        out += it->second;
        i += 2;
        continue;
      }
    }
    out += tpl[i];
  }
  return out;
}

// "烟台华新新材料有限公司" → "华新新材料": how a ledger names the owner.
std::string ShortFirmName(const std::string& name) {
  std::string s = name;
  if (s.rfind("烟台", 0) == 0) s = s.substr(std::string("烟台").size());
  if (size_t branch = s.find("莱山分公司"); branch != std::string::npos) s = s.substr(0, branch);
  for (std::string_view form : {"科技有限公司", "股份有限公司", "有限公司"}) {
    if (s.size() > form.size() && s.compare(s.size() - form.size(), form.size(), form) == 0) {
      return s.substr(0, s.size() - form.size());
    }
  }
  return s;
}

// "1.5": one decimal, for 万平方米 and 公里.
std::string OneDecimal(int64_t tenths) {
  return std::to_string(tenths / 10) + (tenths % 10 ? "." + std::to_string(tenths % 10) : "");
}

std::optional<std::string> Text(std::optional<Date> d) {
  if (!d) return std::nullopt;
  return d->ToString();
}

}  // namespace

const std::vector<DemoStaff>& DemoStaffAccounts() {
  static const std::vector<DemoStaff> kStaff = {
      {"liuzhiyuan", "刘志远", "LS", "leader"},        {"chenxiaodong", "陈晓东", "LS", "leader"},
      {"zhanghaitao", "张海涛", "LS", "leader"},       {"gaowenjing", "高文静", "LS", "leader"},
      {"yuxuefeng", "于学峰", "LS-KFQ", "leader"},     {"maxiao", "马骁", "LS-XMFW", "liaison"},
      {"hanxue", "韩雪", "LS-XMFW", "liaison"},        {"qupeng", "曲鹏", "LS-GXJ", "liaison"},
      {"jiangtao", "姜涛", "LS-ZJJ", "liaison"},       {"songjia", "宋佳", "LS-FGJ", "liaison"},
      {"suihaibo", "隋海波", "LS-KFQ-ZSJ", "liaison"}, {"liuyang", "刘洋", "LS-SWJ", "liaison"},
  };
  return kStaff;
}

std::vector<DemoProject> DemoProjects(const DemoDistrict& district, int count, uint64_t seed) {
  Dice dice(seed);
  const auto& sectors = Sectors();
  const Date today = district.today;
  auto unit = [&](std::string_view code) { return district.units.at(std::string(code)); };
  auto user = [&](std::string_view login) { return district.users.at(std::string(login)); };
  auto place_of = [&](int64_t unit_id) -> const Place* {
    for (const Place& p : kPlaces) {
      if (unit(p.code) == unit_id) return &p;
    }
    return nullptr;
  };

  // Owners by trade, weighted towards the development zone (3 draws each).
  std::map<std::string_view, std::vector<const storage::Enterprise*>> owners;
  for (const Sector& s : sectors) {
    auto& list = owners[s.trade];
    if (!list.empty()) continue;
    for (const auto& f : district.firms) {
      if (f.name.find(s.trade) == std::string::npos) continue;
      for (int w = f.org_unit_id == unit("LS-KFQ") ? 3 : 1; w > 0; --w) list.push_back(&f);
    }
  }

  std::vector<ProjectStage> stages;
  for (int i = 0; stages.size() < static_cast<size_t>(count); ++i) {
    const auto& [stage, share] = kStageShares[static_cast<size_t>(i) % kStageShares.size()];
    for (int k = 0; k < std::max(1, share * count / 300) && stages.size() < static_cast<size_t>(count); ++k) {
      stages.push_back(stage);
    }
  }
  std::shuffle(stages.begin(), stages.end(), std::mt19937_64(seed + 1));
  int total_weight = 0;
  for (const Sector& s : sectors) total_weight += s.weight;

  std::vector<DemoProject> out;
  std::set<std::string> names;
  for (int i = 0; i < count; ++i) {
    const Sector* sector = &sectors.front();
    for (int64_t roll = dice.Between(1, total_weight); const Sector& s : sectors) {
      if ((roll -= s.weight) <= 0) {
        sector = &s;
        break;
      }
    }
    DemoProject p;
    ProjectStage stage = stages[static_cast<size_t>(i)];
    storage::ProjectData& d = p.data;
    d.board = std::string(sector->board);
    d.category = std::string(sector->category);

    // Owner and place. Public works are sited by the district and built by
    // a construction firm (代建); a 谋划 investment may have no owner yet.
    const auto& candidates = owners[sector->trade];
    const storage::Enterprise* firm = candidates.empty() ? nullptr : dice.Pick(candidates);
    const Place* place = nullptr;
    if (sector->is_public) {
      place = &kPlaces[dice.Pick(kPublicSites)];
    } else {
      place = firm ? place_of(firm->org_unit_id) : nullptr;
      if (!place || place->code == "LS") place = &kPlaces[dice.Chance(0.75) ? 1 : 0];
    }
    if (stage == ProjectStage::kPlanning && !sector->is_public && dice.Chance(0.4)) firm = nullptr;
    if (firm) d.enterprise_id = firm->id;

    // Name and content, unique names (a repeat becomes the next 期).
    const Item& item = dice.Pick(sector->items);
    std::string village(dice.Pick(kVillages));
    if (item.name.find("{v}") != std::string_view::npos && place->code == "LS-JJZ" && dice.Chance(0.6)) {
      place = &kPlaces[dice.Chance(0.5) ? 8 : 9];  // 旧村改造 in 解甲庄's communities
      village = std::string(place->name);
    }
    d.org_unit_id = unit(place->code);
    std::map<char, std::string> fills = {{'b', firm ? ShortFirmName(firm->name) : std::string(place->short_name)},
                                         {'p', std::string(place->code == "LS" ? "城区" : place->short_name)},
                                         {'r', std::string(dice.Pick(kRoads))},
                                         {'v', village},
                                         {'o', std::string(dice.Pick(kOrdinals))},
                                         {'a', OneDecimal(dice.Between(5, 150))},
                                         {'e', std::to_string(dice.Between(5, 80) * 10)},
                                         {'q', std::to_string(dice.Between(2, 60))},
                                         {'l', std::to_string(dice.Between(2, 9))},
                                         {'k', OneDecimal(dice.Between(8, 65))},
                                         {'w', std::to_string(dice.Pick(std::array<int, 4>{24, 30, 40, 50}))},
                                         {'m', std::to_string(dice.Between(4, 40) * 5)},
                                         {'c', std::to_string(dice.Between(2, 40) * 50)}};
    d.name = Fill(item.name, fills);
    const std::string first = d.name;
    for (std::string_view phase : {"二期", "三期", "四期", "五期"}) {
      if (!names.contains(d.name)) break;
      const std::string_view suffix = "项目";
      d.name = first.ends_with(suffix) ? first.substr(0, first.size() - suffix.size()) + std::string(phase) + "项目"
                                       : first + "(" + std::string(phase) + ")";
    }
    names.insert(d.name);
    d.construction_content = Fill(item.content.empty() ? sector->content : item.content, fills);
    d.address = std::string("烟台市莱山区") + (place->code == "LS" ? "" : std::string(place->name));
    if (firm && !sector->is_public && place_of(firm->org_unit_id) == place) d.address = firm->address;
    d.lng = std::round((place->lng + (dice.Unit() - 0.5) * 0.04) * 1e4) / 1e4;
    d.lat = std::round((place->lat + (dice.Unit() - 0.5) * 0.03) * 1e4) / 1e4;

    // Investment with a long tail (most near the low end), rounded as a
    // ledger writes it; the level follows the size.
    const double u = std::pow(dice.Unit(), 2.2);
    const int64_t max_wan = item.max_wan ? item.max_wan : sector->max_wan;
    const int64_t min_wan = std::min(sector->min_wan, max_wan / 4);
    int64_t wan = static_cast<int64_t>(static_cast<double>(min_wan) *
                                       std::pow(static_cast<double>(max_wan) / static_cast<double>(min_wan), u));
    wan = wan >= 10000 ? wan / 100 * 100 : wan / 10 * 10;
    d.total_investment = wan * 10000;
    if (wan >= 150000)
      d.level = dice.Chance(0.55) ? "provincial" : "municipal";
    else if (wan >= 50000)
      d.level = dice.Chance(0.7) ? "municipal" : "county";
    else if (wan >= 10000)
      d.level = dice.Chance(0.85) ? "county" : "general";
    else if (wan >= 5000)
      d.level = dice.Chance(0.5) ? "county" : "general";
    else
      d.level = "general";

    // The lifecycle: the main line up to the stage (public works skip 在谈
    // and 签约 and end at 竣工), walked back from today with realistic gaps.
    if (sector->is_public) {
      if (stage == ProjectStage::kNegotiating || stage == ProjectStage::kSigned) stage = ProjectStage::kPreparing;
      if (stage == ProjectStage::kOperating) stage = ProjectStage::kCompleted;
    }
    ProjectStage last_main = stage;
    if (stage == ProjectStage::kSuspended) {
      last_main = dice.Chance(0.3) ? ProjectStage::kPreparing : ProjectStage::kBuilding;
    } else if (stage == ProjectStage::kTerminated) {
      last_main = sector->is_public
                      ? ProjectStage::kPlanning
                      : dice.Pick(std::array<ProjectStage, 4>{ProjectStage::kNegotiating, ProjectStage::kNegotiating,
                                                              ProjectStage::kSigned, ProjectStage::kPreparing});
    }
    std::vector<ProjectStage> path;
    const std::vector<ProjectStage> line =
        sector->is_public
            ? std::vector<ProjectStage>{ProjectStage::kPreparing, ProjectStage::kBuilding, ProjectStage::kCompleted}
            : std::vector<ProjectStage>{ProjectStage::kNegotiating, ProjectStage::kSigned,    ProjectStage::kPreparing,
                                        ProjectStage::kBuilding,    ProjectStage::kCompleted, ProjectStage::kOperating};
    for (ProjectStage s : line) {
      if (last_main == ProjectStage::kPlanning) break;
      path.push_back(s);
      if (s == last_main) break;
    }
    if (stage == ProjectStage::kSuspended || stage == ProjectStage::kTerminated) path.push_back(stage);
    // How long ago each move happened: the last by the stage's age, the
    // others by the gap that leads to the next.
    const int64_t build_days = 300 + static_cast<int64_t>(u * 700);  // bigger projects build longer
    auto age = [&](ProjectStage s) -> int64_t {
      switch (s) {
        case ProjectStage::kNegotiating:
          return dice.Between(5, 150);
        case ProjectStage::kSigned:
          return dice.Between(5, 200);
        case ProjectStage::kPreparing:
          return dice.Between(5, 240);
        case ProjectStage::kBuilding:
          return dice.Between(5, 700);
        case ProjectStage::kCompleted:
          return dice.Between(5, 360);
        case ProjectStage::kOperating:
          return dice.Between(5, 500);
        default:
          return dice.Between(10, 300);
      }
    };
    auto gap_before = [&](ProjectStage s) -> int64_t {
      switch (s) {
        case ProjectStage::kSigned:
          return dice.Between(20, 150);
        case ProjectStage::kPreparing:
          return dice.Between(10, 90);
        case ProjectStage::kBuilding:
          return dice.Between(30, 240);
        case ProjectStage::kCompleted:
          return build_days + dice.Between(-60, 120);
        case ProjectStage::kOperating:
          return dice.Between(20, 150);
        default:
          return dice.Between(30, 300);
      }
    };
    std::vector<Date> dates(path.size());
    if (!path.empty()) {
      dates.back() = today.AddDays(-age(path.back()));
      for (size_t k = path.size() - 1; k > 0; --k) dates[k - 1] = dates[k].AddDays(-gap_before(path[k]));
    }
    p.registered =
        (dates.empty() ? today.AddDays(-dice.Between(0, 200)) : dates.front().AddDays(-dice.Between(10, 120)));
    for (size_t k = 0; k < path.size(); ++k) {
      p.moves.push_back({path[k], dates[k], std::string(MoveNote(path[k], sector->is_public))});
    }
    p.stage = stage;
    auto reached = [&](ProjectStage s) -> std::optional<Date> {
      for (const auto& m : p.moves) {
        if (m.to == s) return m.on;
      }
      return std::nullopt;
    };

    // Type: a project that started before this year and is still being
    // built is filed as 续建; the others by what the name says.
    const std::string& name = d.name;
    if (name.find("扩") != std::string::npos)
      d.project_type = "expansion";
    else if (name.find("技改") != std::string::npos || name.find("节能改造") != std::string::npos)
      d.project_type = "renovation";
    else if (sector->is_public)
      d.project_type = dice.Chance(0.9) ? "new" : "expansion";
    else
      d.project_type = dice.Pick(std::array<std::string_view, 10>{"new", "new", "new", "new", "new", "new", "new",
                                                                  "expansion", "expansion", "renovation"});
    const auto started = reached(ProjectStage::kBuilding);
    const auto completed = reached(ProjectStage::kCompleted);
    if (started && started->year() < today.year() && (!completed || completed->year() >= today.year())) {
      d.project_type = "continuing";
    }

    // Planned dates: near the actual ones where reached (a little earlier:
    // offices plan optimistically), ahead of today otherwise, in order.
    const auto signed_on = reached(ProjectStage::kSigned);
    std::optional<Date> plan_sign, plan_start, plan_complete, plan_operate;
    if (!sector->is_public) {
      plan_sign = signed_on ? signed_on->AddDays(-dice.Between(0, 30)) : today.AddDays(dice.Between(20, 180));
    }
    Date after = plan_sign ? std::max(*plan_sign, today) : today;
    if (started) {
      plan_start = started->AddDays(-dice.Between(0, 45));
    } else {
      plan_start = after.AddDays(dice.Between(30, 240));
      if (stage == ProjectStage::kTerminated && !p.moves.empty())
        plan_start = p.moves.back().on.AddDays(dice.Between(30, 120));
    }
    if (plan_sign && *plan_start < *plan_sign) plan_start = plan_sign->AddDays(dice.Between(15, 60));
    plan_complete = completed ? completed->AddDays(-dice.Between(-30, 60)) : plan_start->AddDays(build_days);
    if (*plan_complete < *plan_start) plan_complete = plan_start->AddDays(build_days);
    if (!sector->is_public) {
      const auto operating = reached(ProjectStage::kOperating);
      plan_operate =
          operating ? operating->AddDays(-dice.Between(0, 45)) : plan_complete->AddDays(dice.Between(30, 120));
      if (*plan_operate < *plan_complete) plan_operate = plan_complete->AddDays(dice.Between(30, 120));
    }
    d.planned_signed_on = Text(plan_sign);
    d.planned_started_on = Text(plan_start);
    d.planned_completed_on = Text(plan_complete);
    d.planned_operating_on = Text(plan_operate);

    // Annual plans: this year for projects under way or about to be, last
    // year too for most of the ones already building then.
    const int year = today.year();
    auto plan_for = [&](int y, double lo, double hi) {
      const double share = lo + dice.Unit() * (hi - lo);
      int64_t planned = static_cast<int64_t>(static_cast<double>(wan) * share) / 10 * 10;  // 万元, to 10万
      d.plans.push_back({y, std::max<int64_t>(planned, 50) * 10000,
                         plan_start->year() == y && (!started || started->year() >= y),
                         plan_complete->year() == y && (!completed || completed->year() >= y),
                         plan_operate && plan_operate->year() == y});
    };
    const bool active = stage == ProjectStage::kSigned || stage == ProjectStage::kPreparing ||
                        stage == ProjectStage::kBuilding || stage == ProjectStage::kSuspended ||
                        (completed && completed->year() == year);
    if (started && started->year() < year && (!completed || completed->year() >= year - 1) && dice.Chance(0.8)) {
      plan_for(year - 1, 0.2, 0.4);
    }
    if (active) {
      if (stage == ProjectStage::kBuilding)
        plan_for(year, 0.15, 0.45);
      else
        plan_for(year, 0.05, 0.25);
    }

    // 包保: the 分管 区领导 (the 区长 for 省重点, often the 常务 for 市重点,
    // the zone's secretary for many zone projects), a 责任部门 and its 包联人员.
    Leader lead = sector->leader;
    if (d.level == "provincial")
      lead = kMayor;
    else if (d.level == "municipal" && dice.Chance(0.4))
      lead = kExecutive;
    else if (place->code == "LS-KFQ" && dice.Chance(0.4))
      lead = kZone;
    d.leader_user_id = user(kLeaders[lead]);
    std::string_view dept = item.department.empty() ? dice.Pick(sector->departments) : item.department;
    if (place->code == "LS-KFQ" && !sector->is_public && dice.Chance(0.4)) {
      dept = stage <= ProjectStage::kSigned ? "LS-KFQ-ZSJ" : "LS-KFQ-JSJ";
    }
    d.responsible_unit_id = unit(dept);
    const auto& by_dept = DepartmentLiaisons();
    auto it = by_dept.find(dept);
    d.liaison_ids.push_back(user(it != by_dept.end() ? it->second : dice.Pick(kCentreLiaisons)));
    if (dice.Chance(0.5)) {
      d.liaison_ids.push_back(user(place->code == "LS-KFQ" ? std::string_view("baolian") : dice.Pick(kCentreLiaisons)));
    }
    std::sort(d.liaison_ids.begin(), d.liaison_ids.end());
    d.liaison_ids.erase(std::unique(d.liaison_ids.begin(), d.liaison_ids.end()), d.liaison_ids.end());

    // Tags as offices use them.
    std::set<std::string> tags;
    if (!sector->is_public && reached(ProjectStage::kNegotiating) && dice.Chance(0.6)) tags.insert("招商引资");
    if (firm && std::find(firm->tags.begin(), firm->tags.end(), "专精特新") != firm->tags.end())
      tags.insert("专精特新");
    if (d.level == "provincial") tags.insert("省重大项目");
    if (d.level != "general" && dice.Chance(0.3)) tags.insert("530工程");
    if (d.project_type == "renovation") tags.insert("技术改造");
    if (sector->is_public && dice.Chance(0.4)) tags.insert("专项债");
    if (d.category == "livelihood" && dice.Chance(0.6)) tags.insert("民生实事");
    if (d.category == "real_estate" && sector->is_public) tags.insert("城市更新");
    if (!sector->is_public && dice.Chance(0.05)) tags.insert("外资");
    d.tags.assign(tags.begin(), tags.end());
    out.push_back(std::move(p));
  }
  return out;
}

// ---- 专班 ------------------------------------------------------------------------

std::vector<DemoTeam> DemoTeams(const DemoDistrict& district, const std::vector<DemoProject>& projects) {
  auto user = [&](std::string_view login) { return district.users.at(std::string(login)); };
  const int64_t zone = district.units.at("LS-KFQ");
  // Projects still going (not 终止), largest first.
  std::vector<size_t> by_size;
  for (size_t i = 0; i < projects.size(); ++i) {
    if (projects[i].stage != ProjectStage::kTerminated) by_size.push_back(i);
  }
  std::stable_sort(by_size.begin(), by_size.end(), [&](size_t a, size_t b) {
    return projects[a].data.total_investment > projects[b].data.total_investment;
  });

  std::vector<DemoTeam> out;
  std::set<std::string> names;
  // A team led by `leader` (组长) with `deputy` and the 项目服务中心's head
  // (副组长), and the served projects' 包联人员 (组员).
  auto add = [&](std::string name, Leader leader, std::optional<Leader> deputy, std::string remark,
                 std::vector<size_t> served) {
    if (served.empty() || !names.insert(name).second) return;
    DemoTeam t;
    t.data.name = std::move(name);
    t.data.remark = std::string(kLeaderTitles[leader]) + "任组长。" + remark;
    std::set<int64_t> seen;
    auto member = [&](int64_t id, const char* role) {
      if (seen.insert(id).second) t.data.members.push_back({.user_id = id, .role = role});
    };
    member(user(kLeaders[leader]), "leader");
    if (deputy && *deputy != leader) member(user(kLeaders[*deputy]), "deputy");
    member(user("xmfw"), "deputy");
    for (size_t i : served) {
      for (int64_t id : projects[i].data.liaison_ids) {
        if (seen.size() < 7) member(id, "member");
      }
    }
    t.projects = std::move(served);
    out.push_back(std::move(t));
  };
  auto largest = [&](size_t max, const std::function<bool(const DemoProject&)>& fits) {
    std::vector<size_t> served;
    for (size_t i : by_size) {
      if (served.size() < max && fits(projects[i])) served.push_back(i);
    }
    return served;
  };
  auto board = [](std::initializer_list<std::string_view> boards) {
    return [boards](const DemoProject& p) {
      return std::find(boards.begin(), boards.end(), p.data.board) != boards.end() &&
             p.data.category != "real_estate" && p.data.category != "livelihood";
    };
  };
  const std::string weekly = "一周一调度、一月一盘点,协调解决规划设计、手续办理、要素保障等问题。";

  // One 专班 each for the three largest 省重点 investments, named for the owner.
  int flagships = 0;
  for (size_t i : by_size) {
    const DemoProject& p = projects[i];
    if (flagships == 3) break;
    // An investment's owner (public works, board "other", are built by the district).
    if (p.data.level != "provincial" || !p.data.enterprise_id || p.data.board == "other") continue;
    std::string owner;
    for (const auto& f : district.firms) {
      if (f.id == *p.data.enterprise_id) owner = ShortFirmName(f.name);
    }
    std::vector<size_t> served =
        largest(3, [&](const DemoProject& q) { return q.data.enterprise_id == p.data.enterprise_id; });
    const size_t before = out.size();
    add(owner + "项目专班", kMayor, kIndustry, "实行“一个项目、一名领导、一个专班、一抓到底”," + weekly, served);
    if (out.size() > before) ++flagships;
  }
  add("重点在谈项目招引专班", kExecutive, kZone, "紧盯在谈、签约项目,推动在谈项目快签约、签约项目快开工。",
      largest(10, [](const DemoProject& p) {
        return p.stage == ProjectStage::kNegotiating || p.stage == ProjectStage::kSigned;
      }));
  add("城市更新专班", kUrban, std::nullopt, "统筹旧村改造征迁和安置房建设,挂图作战、倒排工期。",
      largest(10, [](const DemoProject& p) { return p.data.category == "real_estate"; }));
  add("重大基础设施建设专班", kUrban, kExecutive, "统筹道路、管网、供热及电力设施建设," + weekly,
      largest(10, [](const DemoProject& p) { return p.data.category == "infrastructure" && p.data.board == "other"; }));
  add("教育卫生设施建设专班", kSocial, std::nullopt, "保障学校、医院、养老设施按期建成投用。",
      largest(8, [](const DemoProject& p) { return p.data.category == "livelihood"; }));
  add("新材料产业链专班", kIndustry, std::nullopt, "围绕新材料产业链补链、强链、延链," + weekly,
      largest(8, board({"materials"})));
  add("高端装备产业链专班", kIndustry, kZone, "发挥龙头企业带动作用,推动装备制造项目早投产早达效。",
      largest(8, board({"equipment", "nev"})));
  add("医养健康产业专班", kSocial, kIndustry, "推进生物医药和医养结合项目建设," + weekly,
      largest(8, [](const DemoProject& p) {
        return p.data.board == "biomed" || (p.data.category == "livelihood" && p.data.board != "other");
      }));
  add("数字经济产业专班", kExecutive, kIndustry, "推进数字经济产业园和算力、软件项目落地。",
      largest(8, board({"digital", "ai", "it"})));
  add("文旅融合发展专班", kSocial, std::nullopt, "打造滨海文旅和乡村振兴精品项目。",
      largest(6, board({"culture_tourism"})));
  add("现代海洋产业专班", kExecutive, std::nullopt, "推进海洋牧场、海洋装备和海洋生物项目。",
      largest(6, board({"marine"})));
  add("新能源产业专班", kIndustry, std::nullopt, "推进光伏、储能、氢能项目建设和并网。", largest(6, board({"energy"})));
  add("开发区项目建设推进专班", kZone, kIndustry, "开发区在建项目“一周一调度、一月一盘点、一季一考评”。",
      largest(10,
              [&](const DemoProject& p) { return p.data.org_unit_id == zone && p.stage == ProjectStage::kBuilding; }));
  return out;
}

}  // namespace zb::app
