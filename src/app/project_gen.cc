#include "app/project_gen.h"

#include "app/demo_plans.h"
#include "storage/warning_store.h"

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <map>
#include <random>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "domain/credit_code.h"
#include "domain/project.h"
#include "storage/project_repo.h"

namespace zb::app {

namespace {

using std::string;
using std::string_view;

constexpr int64_t kBatch = 2000;

// ---- word lists ------------------------------------------------------------------

// Two of these make a 字号 (华新, 鲁丰, …): 3 600 of them.
constexpr string_view kBrandChars[] = {
    "华", "新", "鲁", "东", "海", "达", "瑞", "丰", "正", "润", "金", "泰", "中", "科", "蓝", "恒", "通", "博", "源", "盛",
    "景", "天", "诚", "宏", "远", "信", "昌", "和", "嘉", "利", "万", "合", "力", "荣", "明", "德", "港", "川", "宝", "凤",
    "鼎", "岳", "观", "云", "峰", "福", "泽", "安", "康", "兴", "隆", "永", "鑫", "晟", "邦", "睿", "航", "烁", "铭", "辰"};

struct Product {
  string_view board;     // 产业板块 code it belongs to
  string_view trade;     // the enterprise's business words
  string_view name;      // what the line makes
  string_view capacity;  // unit of the yearly output
  string_view industry;  // GB/T 4754 section of the enterprise
};
constexpr Product kProducts[] = {
    {"materials", "新材料", "高性能纤维", "万吨", "C"},
    {"materials", "新材料", "特种合金", "万吨", "C"},
    {"materials", "新材料", "锂电池隔膜", "亿平方米", "C"},
    {"materials", "新材料", "石墨烯导热膜", "万平方米", "C"},
    {"equipment", "智能装备", "工业机器人", "台", "C"},
    {"equipment", "智能装备", "五轴数控机床", "台", "C"},
    {"equipment", "重工", "港口起重机械", "台", "C"},
    {"biomed", "生物医药", "创新药原料药", "吨", "C"},
    {"biomed", "医疗器械", "医用敷料", "万件", "C"},
    {"biomed", "生物科技", "体外诊断试剂", "万盒", "C"},
    {"nev", "汽车零部件", "动力电池模组", "万套", "C"},
    {"nev", "汽车零部件", "新能源汽车电驱动系统", "万套", "C"},
    {"semiconductor", "电子科技", "功率半导体器件", "亿只", "C"},
    {"semiconductor", "微电子", "集成电路封装测试", "亿颗", "C"},
    {"it", "电子信息", "智能终端", "万台", "C"},
    {"ai", "智能科技", "机器视觉检测设备", "台", "C"},
    {"energy", "新能源", "光伏组件", "兆瓦", "D"},
    {"energy", "新能源", "储能电池系统", "兆瓦时", "D"},
    {"energy", "氢能科技", "氢燃料电池电堆", "套", "C"},
    {"marine", "海洋科技", "海参精深加工", "吨", "C"},
    {"marine", "海洋装备", "深远海养殖工船", "艘", "C"},
    {"agriculture", "食品", "苹果深加工果汁", "万吨", "C"},
    {"agriculture", "葡萄酒", "葡萄酒", "万千升", "C"},
    {"digital", "软件", "工业互联网平台", "套", "I"},
    {"other", "包装", "环保包装材料", "万吨", "C"},
};

constexpr string_view kForms[] = {"有限公司", "股份有限公司", "科技有限公司"};
constexpr string_view kRoads[] = {"迎春大街", "观海路",   "山海路", "港城东大街", "滨海中路", "金海路",  "凤凰山路",
                                  "银海路",   "华海路",   "天府街", "盛泉路",     "莱山路",   "明珠路",  "清泉路",
                                  "双河东路", "枫林路",   "学府路", "鸿雁路"};
constexpr string_view kAreas[] = {"解甲庄", "初家",   "滨海路", "黄海路", "院格庄", "马山寨", "盛泉",
                                  "莱山",   "观海",   "山海",   "孙家滩", "姜家疃", "于家滩", "东泊子"};
constexpr string_view kVillages[] = {"孙家", "于家", "姜家", "曲家", "李家", "王家", "刘家", "初家", "林家", "宋家"};
constexpr string_view kPhases[] = {"", "", "", "(一期)", "(二期)", "(三期)"};
constexpr string_view kTags[] = {"招商引资", "双招双引", "专精特新", "外资", "央企合作", "链主企业",
                                 "绿色低碳", "数字化转型", "重点技改", "省市联动"};
constexpr string_view kSurnames[] = {"王", "李", "张", "刘", "陈", "杨", "赵", "孙", "周", "吴", "徐", "于"};
constexpr string_view kGiven[] = {"建国", "海涛", "丽娜", "志强", "秀英", "明", "磊", "静", "军", "晓燕"};

// Weights of the final stage, in domain::ProjectStages() order (谋划 … 投产,
// 停缓建, 终止): a district ledger is mostly 在建.
constexpr int kStageWeights[] = {6, 6, 8, 12, 34, 10, 14, 5, 5};
constexpr string_view kLevels[] = {"national", "provincial", "municipal", "county", "general"};
constexpr int kLevelWeights[] = {1, 6, 15, 30, 48};
constexpr string_view kTypes[] = {"new", "continuing", "expansion", "renovation"};
constexpr int kTypeWeights[] = {50, 28, 12, 10};

// ---- what the database already holds ---------------------------------------------------

struct Context {
  std::vector<int64_t> places;       // 属地: every unit but departments
  std::vector<int64_t> departments;  // 责任部门
  std::vector<int64_t> users;
  std::vector<int64_t> teams;
  std::vector<string> boards, categories, industries;
  std::set<string> credit_codes, enterprise_names, project_codes;
  std::map<int, int64_t> code_seq;  // year → last generated number
};

StatusOr<Context> LoadContext(db::Connection& conn) {
  Context c;
  ZB_ASSIGN_OR_RETURN(db::Result units, conn.Query("SELECT id, kind FROM org_units WHERE active = 1 ORDER BY id"));
  for (const auto& r : units.rows) (r.Text("kind") == "department" ? c.departments : c.places).push_back(r.Int("id"));
  if (c.places.empty()) return ValidationFailed("没有可用的组织机构,请先运行 zhuanban init (no org units: run init first)");
  ZB_ASSIGN_OR_RETURN(db::Result users, conn.Query("SELECT id FROM users WHERE active = 1 ORDER BY id"));
  for (const auto& r : users.rows) c.users.push_back(r.Int("id"));
  ZB_ASSIGN_OR_RETURN(db::Result teams, conn.Query("SELECT id FROM teams ORDER BY id"));
  for (const auto& r : teams.rows) c.teams.push_back(r.Int("id"));
  ZB_ASSIGN_OR_RETURN(db::Result dict, conn.Query("SELECT dict_type, code FROM dict_items WHERE active = 1 "
                                                  "ORDER BY dict_type, sort_order, code"));
  for (const auto& r : dict.rows) {
    const string type = r.Text("dict_type");
    (type == "board" ? c.boards : type == "category" ? c.categories : c.industries).push_back(r.Text("code"));
  }
  ZB_ASSIGN_OR_RETURN(db::Result firms, conn.Query("SELECT name, credit_code FROM enterprises"));
  for (const auto& r : firms.rows) {
    c.credit_codes.insert(r.Text("credit_code"));
    c.enterprise_names.insert(r.Text("name"));
  }
  ZB_ASSIGN_OR_RETURN(db::Result codes, conn.Query("SELECT code FROM projects"));
  for (const auto& r : codes.rows) c.project_codes.insert(r.Text("code"));
  ZB_ASSIGN_OR_RETURN(db::Result seq, conn.Query("SELECT year, last FROM project_code_seq"));
  for (const auto& r : seq.rows) c.code_seq[static_cast<int>(r.Int("year"))] = r.Int("last");
  return c;
}

// ---- one project ---------------------------------------------------------------------

// How a project name starts from its enterprise's: 烟台华新新材料股份有限公司
// → 烟台华新新材料.
string ShortName(const string& enterprise) {
  string s = enterprise.substr(0, enterprise.find("有限公司"));
  for (string_view suffix : {"股份", "科技"}) {
    if (s.ends_with(suffix)) s.resize(s.size() - suffix.size());
  }
  return s;
}

struct Move {
  string from, to;
  Date on;
};

struct GenProject {
  storage::ProjectData d;
  string stage = "planning";
  std::optional<string> suspended_from;
  std::optional<Date> stage_since;
  std::vector<Move> moves;
  Date registered;
  std::optional<size_t> new_enterprise;  // index into the batch's new enterprises
};

struct GenEnterprise {
  string name, credit_code, industry, address, legal_representative;
  int64_t org_unit_id = 0;
  bool above_scale = false;
  size_t product = 0;  // index into kProducts: what its projects make
  int64_t id = 0;      // once inserted
};

class Generator {
 public:
  Generator(Context& c, uint64_t seed, Date today) : c_(c), rng_(seed), seed_(seed), today_(today) {}

  GenProject Next(std::vector<GenEnterprise>& new_firms, const std::vector<GenEnterprise>& known_firms);

 private:
  size_t Pick(size_t n) { return static_cast<size_t>(rng_() % n); }
  template <typename T, size_t N>
  const T& Of(const T (&a)[N]) { return a[Pick(N)]; }
  template <size_t N>
  size_t Weighted(const int (&w)[N]) {
    int total = 0;
    for (int x : w) total += x;
    int r = static_cast<int>(Pick(static_cast<size_t>(total)));
    for (size_t i = 0; i < N; ++i) {
      if ((r -= w[i]) < 0) return i;
    }
    return N - 1;
  }
  double Uniform() { return std::uniform_real_distribution<double>(0.0, 1.0)(rng_); }
  Date DayBetween(Date a, Date b) {
    if (b <= a) return a;
    return a.AddDays(static_cast<int64_t>(Pick(static_cast<size_t>(b.ToDays() - a.ToDays() + 1))));
  }
  string Brand() { return string(Of(kBrandChars)) + string(Of(kBrandChars)); }
  GenEnterprise MakeEnterprise(size_t product);
  string Name(const GenProject& p, const Product& product, const string& firm_short);
  void Lifecycle(GenProject& p);

  Context& c_;
  std::mt19937_64 rng_;
  uint64_t seed_;
  Date today_;
  int64_t credit_counter_ = 0;
};

GenEnterprise Generator::MakeEnterprise(size_t product_index) {
  const Product& product = kProducts[product_index];
  GenEnterprise e;
  e.product = product_index;
  for (int attempt = 0;; ++attempt) {
    e.name = "烟台" + Brand() + string(product.trade) + string(Of(kForms));
    if (attempt > 20) e.name.insert(e.name.size() - string_view("公司").size(), std::to_string(attempt));
    if (c_.enterprise_names.insert(e.name).second) break;
  }
  // Organisation-code bodies GN000000…: 104729 is prime, so the walk visits
  // every number below a million once; codes already stored are skipped.
  for (;;) {
    char body[9];
    const auto n = static_cast<int>((seed_ * 7919 + static_cast<uint64_t>(credit_counter_++) * 104729) % 1000000);
    std::snprintf(body, sizeof body, "GN%06d", n);
    e.credit_code = domain::MakeCreditCode("91370613", body);  // 370613: 莱山区
    if (c_.credit_codes.insert(e.credit_code).second) break;
  }
  const bool known_industry =
      std::find(c_.industries.begin(), c_.industries.end(), product.industry) != c_.industries.end();
  e.industry = known_industry ? string(product.industry) : "";
  e.org_unit_id = c_.places[Pick(c_.places.size())];
  e.address = "烟台市莱山区" + string(Of(kRoads)) + std::to_string(1 + Pick(399)) + "号";
  e.legal_representative = string(Of(kSurnames)) + string(Of(kGiven));
  e.above_scale = Pick(3) == 0;
  return e;
}

string Generator::Name(const GenProject& p, const Product& product, const string& firm_short) {
  const string& category = p.d.category;
  const string phase(Of(kPhases));
  if (category == "infrastructure") {
    switch (Pick(4)) {
      case 0: return string(Of(kRoads)) + "(" + string(Of(kRoads)) + "—" + string(Of(kRoads)) + ")道路改造工程";
      case 1: return string(Of(kAreas)) + "片区雨污分流管网建设工程" + phase;
      case 2: return string(Of(kAreas)) + "河综合治理工程";
      default: return string(Of(kAreas)) + "片区供热管网改造工程";
    }
  }
  if (category == "livelihood") {
    switch (Pick(4)) {
      case 0: return string(Of(kAreas)) + "九年一贯制学校建设项目";
      case 1: return string(Of(kAreas)) + "社区卫生服务中心建设项目";
      case 2: return string(Of(kAreas)) + "养老服务中心项目" + phase;
      default: return string(Of(kAreas)) + "幼儿园建设项目";
    }
  }
  if (category == "real_estate") {
    return Pick(2) == 0 ? string(Of(kVillages)) + "村旧村改造项目" + phase
                        : string(Of(kAreas)) + "棚户区改造项目" + phase;
  }
  if (category == "services") {
    static constexpr string_view kServices[] = {"现代物流园", "商业综合体", "文旅小镇", "冷链物流中心",
                                                "数字经济产业园", "总部基地"};
    return firm_short + string(Of(kServices)) + "项目" + phase;
  }
  // Manufacturing and the rest: what the line makes.
  if (p.d.project_type == "renovation") return firm_short + string(product.name) + "生产线智能化技术改造项目";
  if (p.d.project_type == "expansion") return firm_short + string(product.name) + "扩产项目" + phase;
  if (Pick(5) == 0) return firm_short + string(product.name) + "研发中心建设项目";
  const int output = 1 + static_cast<int>(Pick(50));
  return firm_short + "年产" + std::to_string(output) + string(product.capacity) + string(product.name) + "项目" + phase;
}

// Moves from 谋划 towards the drawn final stage, dated in order between the
// registration and today, setting the actual dates as RecordTransition does.
void Generator::Lifecycle(GenProject& p) {
  static const std::vector<string> kMain = {"planning",           "negotiating", "signed",   "preparing",
                                            "under_construction", "completed",   "operating"};
  const auto& stages = domain::ProjectStages();
  string final_stage(stages[Weighted(kStageWeights)].code);
  const bool continuing = p.d.project_type == "continuing";
  if (continuing && (final_stage == "planning" || final_stage == "negotiating" || final_stage == "signed" ||
                     final_stage == "preparing")) {
    final_stage = "under_construction";  // 续建: began in an earlier year
  }
  // The main-line stage to reach, then possibly one more move (停缓建 / 终止).
  string main_target = final_stage;
  if (final_stage == "suspended") main_target = Pick(3) == 0 ? "preparing" : "under_construction";
  if (final_stage == "terminated") main_target = kMain[Pick(5)];
  const size_t target = static_cast<size_t>(std::find(kMain.begin(), kMain.end(), main_target) - kMain.begin());
  std::vector<string> path;
  for (size_t i = 1; i <= target; ++i) {
    if (i == target || Pick(4) != 0) path.push_back(kMain[i]);  // offices skip a stage now and then
  }
  if (final_stage == "suspended" || final_stage == "terminated") path.push_back(final_stage);
  if (path.empty()) return;
  // Dates: 续建 projects reached 在建 before this year began.
  const Date year_start = *Date::FromYmd(today_.year(), 1, 1);
  std::vector<Date> dates;
  Date from = p.registered;
  for (size_t i = 0; i < path.size(); ++i) {
    const size_t left = path.size() - i;
    Date until = today_;
    if (continuing && std::find(path.begin() + static_cast<long>(i), path.end(), "under_construction") != path.end()) {
      until = year_start.AddDays(-1);
    }
    // Spread the remaining moves over what is left of the window.
    const int64_t span = std::max<int64_t>(0, until.ToDays() - from.ToDays());
    from = DayBetween(from, from.AddDays(span / static_cast<int64_t>(left)));
    dates.push_back(from);
  }
  string at = "planning";
  for (size_t i = 0; i < path.size(); ++i) {
    p.moves.push_back({at, path[i], dates[i]});
    const string on = dates[i].ToString();
    if (path[i] == "signed") p.d.actual_signed_on = on;
    if (path[i] == "under_construction") p.d.actual_started_on = on;
    if (path[i] == "completed") p.d.actual_completed_on = on;
    if (path[i] == "operating") p.d.actual_operating_on = on;
    if (path[i] == "suspended") p.suspended_from = at;
    at = path[i];
  }
  p.stage = at;
  p.stage_since = dates.back();
}

GenProject Generator::Next(std::vector<GenEnterprise>& new_firms, const std::vector<GenEnterprise>& known_firms) {
  GenProject p;
  storage::ProjectData& d = p.d;
  size_t product_index = Pick(std::size(kProducts));
  d.level = string(kLevels[Weighted(kLevelWeights)]);
  d.project_type = string(kTypes[Weighted(kTypeWeights)]);
  // Categories as a district's ledger has them: mostly 制造业.
  static constexpr string_view kCategoryMix[] = {"manufacturing", "manufacturing", "manufacturing", "manufacturing",
                                                 "manufacturing", "services",      "services",      "infrastructure",
                                                 "livelihood",    "real_estate",   "other"};
  string category(Of(kCategoryMix));
  if (std::find(c_.categories.begin(), c_.categories.end(), category) == c_.categories.end()) {
    category = c_.categories.empty() ? "" : c_.categories[Pick(c_.categories.size())];
  }
  d.category = category;
  const bool industrial = category == "manufacturing" || category == "services" || category == "other";
  // 建设单位: industrial projects mostly by an earlier enterprise (making
  // what it makes), else a new one.
  string firm_short;
  if (industrial) {
    if (!known_firms.empty() && Pick(4) != 0) {
      const GenEnterprise& e = known_firms[Pick(known_firms.size())];
      d.enterprise_id = e.id;
      product_index = e.product;
      firm_short = ShortName(e.name);
    } else {
      new_firms.push_back(MakeEnterprise(product_index));
      p.new_enterprise = new_firms.size() - 1;
      firm_short = ShortName(new_firms.back().name);
    }
  }
  const Product& product = kProducts[product_index];
  if (!c_.boards.empty()) {
    const bool known = std::find(c_.boards.begin(), c_.boards.end(), product.board) != c_.boards.end();
    d.board = industrial && known ? string(product.board) : c_.boards[Pick(c_.boards.size())];
  }
  // Registered in the last six years; 续建 before this year.
  const Date first = *Date::FromYmd(today_.year() - 5, 1, 1);
  const Date last = d.project_type == "continuing" ? *Date::FromYmd(today_.year() - 1, 10, 31) : today_;
  p.registered = DayBetween(first, last);
  d.name = Name(p, product, firm_short);
  d.org_unit_id = c_.places[Pick(c_.places.size())];
  // 500万 … 50亿, log-uniform, rounded to 10万.
  const double yuan = std::exp(std::log(5e6) + Uniform() * (std::log(5e9) - std::log(5e6)));
  d.total_investment = static_cast<int64_t>(yuan / 1e5) * 100000;
  const int64_t wan = d.total_investment / 10000;
  d.construction_content = "项目总投资" + std::to_string(wan) + "万元,总用地面积约" + std::to_string(20 + Pick(400)) +
                           "亩,总建筑面积" + std::to_string(1 + Pick(30)) + "万平方米," +
                           (industrial ? "新建生产车间、仓库及研发中心,购置" + string(product.name) +
                                             "生产设备" + std::to_string(20 + Pick(300)) + "台(套)。"
                                       : "建设内容包括主体工程及配套设施。");
  d.address = "烟台市莱山区" + string(Of(kRoads)) + (Pick(2) ? "以东" : "以北") + string(Of(kAreas)) + "地块";
  d.lng = 121.30 + Uniform() * 0.30;
  d.lat = 37.35 + Uniform() * 0.15;
  // Planned dates in order from the registration.
  Date signed_on = p.registered.AddDays(30 + static_cast<int64_t>(Pick(120)));
  Date started_on = signed_on.AddDays(30 + static_cast<int64_t>(Pick(200)));
  Date completed_on = started_on.AddDays(180 + static_cast<int64_t>(Pick(720)));
  Date operating_on = completed_on.AddDays(30 + static_cast<int64_t>(Pick(150)));
  d.planned_signed_on = signed_on.ToString();
  d.planned_started_on = started_on.ToString();
  d.planned_completed_on = completed_on.ToString();
  d.planned_operating_on = operating_on.ToString();
  Lifecycle(p);
  // 包保 and lists.
  if (!c_.users.empty() && Pick(10) < 7) d.leader_user_id = c_.users[Pick(c_.users.size())];
  if (!c_.departments.empty() && Pick(10) < 8) d.responsible_unit_id = c_.departments[Pick(c_.departments.size())];
  if (!c_.users.empty()) {
    for (size_t n = Pick(3); n > 0; --n) d.liaison_ids.push_back(c_.users[Pick(c_.users.size())]);
  }
  for (size_t n = Pick(3); n > 0; --n) d.tags.emplace_back(Of(kTags));
  if (d.total_investment >= 100'000'000) d.tags.emplace_back("亿元以上");
  if (!c_.teams.empty() && Pick(20) == 0) d.team_ids.push_back(c_.teams[Pick(c_.teams.size())]);
  std::sort(d.liaison_ids.begin(), d.liaison_ids.end());
  d.liaison_ids.erase(std::unique(d.liaison_ids.begin(), d.liaison_ids.end()), d.liaison_ids.end());
  std::sort(d.tags.begin(), d.tags.end());
  d.tags.erase(std::unique(d.tags.begin(), d.tags.end()), d.tags.end());
  // 年度计划: this year's for most live projects, last year's for older ones.
  const bool live = p.stage != "terminated" && p.stage != "operating";
  const int64_t share = d.total_investment / 100 * (10 + static_cast<int64_t>(Pick(40))) / 10000 * 10000;
  if (p.registered.year() < today_.year() && Pick(10) < 4) {
    d.plans.push_back({today_.year() - 1, share, false, false, false});
  }
  if (live && Pick(10) < 8) {
    const bool before_start = !d.actual_started_on;
    d.plans.push_back({today_.year(), share, before_start, !before_start && Pick(3) == 0, p.stage == "completed"});
  }
  return p;
}

// ---- writing ---------------------------------------------------------------------------

Status InsertEnterprise(db::Connection& conn, GenEnterprise& e, int64_t now_ms) {
  ZB_ASSIGN_OR_RETURN(auto row, conn.QueryOne("INSERT INTO enterprises (name, credit_code, industry, org_unit_id, "
                                              "address, legal_representative, above_scale, version, created_at, "
                                              "updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, 1, $8, $8) RETURNING id",
                                              {e.name, e.credit_code, e.industry, e.org_unit_id, e.address,
                                               e.legal_representative, int64_t{e.above_scale ? 1 : 0}, now_ms}));
  if (!row) return Internal("INSERT … RETURNING 未返回行 (no row returned)");
  e.id = row->Int("id");
  return Status();
}

int64_t NoonMs(Date d) { return StartOfDayMs(d) + 12 * 3'600'000; }

// The row CreateProject and RecordTransition would leave, written directly
// (but for the search text); its id.
StatusOr<int64_t> InsertProject(db::Connection& conn, Context& c, const GenProject& p) {
  const storage::ProjectData& d = p.d;
  // The next free XM-<year>-NNNN of the registration year.
  const int year = p.registered.year();
  string code;
  do {
    code = domain::FormatProjectCode(year, ++c.code_seq[year]);
  } while (!c.project_codes.insert(code).second);
  const int64_t created = NoonMs(p.registered);
  const int64_t updated = p.moves.empty() ? created : NoonMs(p.moves.back().on);
  ZB_ASSIGN_OR_RETURN(
      auto row,
      conn.QueryOne(
          "INSERT INTO projects (code, name, enterprise_id, org_unit_id, board, category, level, project_type, stage, "
          "suspended_from, stage_since, total_investment, construction_content, address, lng, lat, "
          "planned_signed_on, actual_signed_on, planned_started_on, actual_started_on, planned_completed_on, "
          "actual_completed_on, planned_operating_on, actual_operating_on, leader_user_id, responsible_unit_id, "
          "version, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, "
          "$15, $16, $17, $18, $19, $20, $21, $22, $23, $24, $25, $26, $27, $28, $29) RETURNING id",
          {code,
           d.name,
           db::Opt(d.enterprise_id),
           d.org_unit_id,
           d.board,
           d.category,
           d.level,
           d.project_type,
           p.stage,
           db::Opt(p.suspended_from),
           p.stage_since ? db::Value(p.stage_since->ToString()) : db::Null(),
           d.total_investment,
           d.construction_content,
           d.address,
           db::Opt(d.lng),
           db::Opt(d.lat),
           db::Opt(d.planned_signed_on),
           db::Opt(d.actual_signed_on),
           db::Opt(d.planned_started_on),
           db::Opt(d.actual_started_on),
           db::Opt(d.planned_completed_on),
           db::Opt(d.actual_completed_on),
           db::Opt(d.planned_operating_on),
           db::Opt(d.actual_operating_on),
           db::Opt(d.leader_user_id),
           db::Opt(d.responsible_unit_id),
           int64_t{1 + static_cast<int64_t>(p.moves.size())},
           created,
           updated}));
  if (!row) return Internal("INSERT … RETURNING 未返回行 (no row returned)");
  const int64_t id = row->Int("id");
  for (int64_t u : d.liaison_ids) {
    ZB_RETURN_IF_ERROR(conn.Exec("INSERT INTO project_liaisons (project_id, user_id) VALUES ($1, $2)", {id, u}));
  }
  for (const auto& t : d.tags) {
    ZB_RETURN_IF_ERROR(conn.Exec("INSERT INTO project_tags (project_id, tag) VALUES ($1, $2)", {id, t}));
  }
  for (const auto& plan : d.plans) {
    ZB_RETURN_IF_ERROR(conn.Exec("INSERT INTO project_annual_plans (project_id, year, planned_investment, goal_start, "
                                 "goal_complete, goal_operate) VALUES ($1, $2, $3, $4, $5, $6)",
                                 {id, plan.year, plan.planned_investment, int64_t{plan.goal_start ? 1 : 0},
                                  int64_t{plan.goal_complete ? 1 : 0}, int64_t{plan.goal_operate ? 1 : 0}}));
  }
  for (int64_t t : d.team_ids) {
    ZB_RETURN_IF_ERROR(conn.Exec("INSERT INTO project_teams (project_id, team_id) VALUES ($1, $2)", {id, t}));
  }
  for (const Move& m : p.moves) {
    ZB_RETURN_IF_ERROR(conn.Exec("INSERT INTO project_stage_events (project_id, from_stage, to_stage, on_date, note, "
                                 "at) VALUES ($1, $2, $3, $4, '', $5)",
                                 {id, m.from, m.to, m.on.ToString(), NoonMs(m.on)}));
  }
  return id;
}

}  // namespace

StatusOr<GenerateReport> GenerateProjects(db::Pool& pool, int64_t count, uint64_t seed,
                                          const std::function<void(int64_t done, int64_t total)>& progress,
                                          std::optional<Date> today) {
  if (count < 0) return ValidationFailed("项目数量不能为负 (count must not be negative)", "projects");
  const int64_t now_ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
          .count();
  const Date day = today.value_or(LocalDate(now_ms));
  Context context;
  {
    ZB_ASSIGN_OR_RETURN(db::Lease lease, pool.Read());
    ZB_ASSIGN_OR_RETURN(context, LoadContext(*lease));
  }
  if (pool.dialect() == db::Dialect::kSqlite) {
    // For this process's writer, all batches long: a page cache that holds a
    // batch (its statement journals are in memory already: the writer opens
    // with temp_store=MEMORY, storage/sqlite).
    ZB_RETURN_IF_ERROR(db::InTx(pool, [](db::Connection& conn) {
      return conn.ExecScript("PRAGMA cache_size = -131072;");
    }));
  }
  Generator gen(context, seed, day);
  GenerateReport report;
  std::vector<GenEnterprise> firms;  // every enterprise made so far, as stored
  while (report.projects < count) {
    const int64_t n = std::min(kBatch, count - report.projects);
    Status s = db::InTx(pool, [&](db::Connection& conn) -> Status {
      std::vector<GenEnterprise> new_firms;
      std::vector<GenProject> batch;
      batch.reserve(static_cast<size_t>(n));
      for (int64_t i = 0; i < n; ++i) batch.push_back(gen.Next(new_firms, firms));
      for (GenEnterprise& e : new_firms) ZB_RETURN_IF_ERROR(InsertEnterprise(conn, e, NoonMs(day)));
      int64_t first_id = 0, last_id = 0;
      for (GenProject& p : batch) {
        if (p.new_enterprise) p.d.enterprise_id = new_firms[*p.new_enterprise].id;
        ZB_ASSIGN_OR_RETURN(int64_t id, InsertProject(conn, context, p));
        if (first_id == 0) first_id = id;
        last_id = id;
      }
      for (const auto& [year, last] : context.code_seq) {
        ZB_RETURN_IF_ERROR(conn.Exec("INSERT INTO project_code_seq (year, last) VALUES ($1, $2) "
                                     "ON CONFLICT (year) DO UPDATE SET last = excluded.last",
                                     {int64_t{year}, last}));
      }
      // The search text of the rows just written (they have none yet).
      ZB_RETURN_IF_ERROR(storage::RebuildProjectSearch(conn, first_id).status());
      // Their node plans and progress (app/demo_plans.h).
      ZB_ASSIGN_OR_RETURN(DemoPlanReport plans, GiveDemoPlans(conn, first_id, last_id, day, seed, NoonMs(day)));
      report.plans += plans.plans;
      report.enterprises += static_cast<int64_t>(new_firms.size());
      firms.insert(firms.end(), new_firms.begin(), new_firms.end());
      return Status();
    });
    if (!s.ok()) return s;
    report.projects += n;
    if (progress) progress(report.projects, count);
  }
  // Every project's warning, materialised for `day` in one transaction.
  ZB_RETURN_IF_ERROR(db::InTx(pool, [&](db::Connection& conn) -> Status {
    ZB_ASSIGN_OR_RETURN(storage::WarningContext ctx, storage::LoadWarningContext(conn, day));
    return storage::RecomputeAll(conn, ctx).status();
  }));
  return report;
}

}  // namespace zb::app
