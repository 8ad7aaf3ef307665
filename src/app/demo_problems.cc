#include "app/demo_problems.h"

#include <algorithm>
#include <chrono>
#include <map>
#include <memory>
#include <random>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/work_calendar.h"
#include "domain/problem.h"
#include "storage/calendar_repo.h"
#include "storage/problem_repo.h"

namespace zb::app {

namespace {

using Json = nlohmann::json;
using std::string;
using std::string_view;

// ---- texts -------------------------------------------------------------------------------

struct Text {
  string_view title, description;
};
struct CategoryTexts {
  string_view category;
  int weight;
  std::vector<Text> texts;
  std::vector<string_view> results;  // 办结 reports
};

const std::vector<CategoryTexts>& Texts() {
  static const std::vector<CategoryTexts> kTexts = {
      {"approval", 22,
       {{"施工许可证办理进度慢", "项目主体施工图已审查合格,施工许可证申请提交已逾两周仍未核发,影响开工节点。"},
        {"环评批复迟迟未下达", "环境影响报告书已完成专家评审并按意见修改,批复尚未下达,设备进场受阻。"},
        {"能评审查需协调加快", "项目年综合能耗超5000吨标准煤,节能审查需报市级,请求区里协调加快。"},
        {"消防设计审查意见反复", "消防设计审查两次退回补正,企业对部分意见理解不一,请求组织现场会商。"},
        {"竣工联合验收协调", "项目已具备竣工条件,需协调规划、消防、人防等部门开展联合验收。"}},
       {"已协调审批部门开辟绿色通道,证照已核发。", "组织部门联合会商,一次性告知补正材料,已办结。"}},
      {"land", 14,
       {{"土地报批指标不足", "项目二期用地约80亩,年度新增建设用地指标不足,请求统筹调剂。"},
        {"土地招拍挂时间需提前", "企业设备已订货,需土地尽快挂牌出让,请求协调提前组织招拍挂。"},
        {"不动产权证办理受阻", "土地出让金已缴清,因宗地界址争议不动产权证未能办理。"},
        {"临时用地审批", "施工需临时用地约15亩用于材料堆放,申请办理临时用地手续。"}},
       {"已纳入区级指标统筹,报批材料已上报。", "协调自然资源部门现场核界,权证已办理。"}},
      {"finance", 14,
       {{"流动资金贷款授信", "企业订单增长较快,需新增流动资金贷款3000万元,请求协调银行授信。"},
        {"项目贷款审批周期长", "固定资产贷款已报银行总行审批,周期较长,请求政银企对接。"},
        {"专项债资金拨付", "项目已列入专项债支持范围,资金尚未拨付到位,影响工程款支付。"},
        {"设备购置补助申报", "企业拟申报技改设备购置补助,对申报条件和材料有疑问。"}},
       {"已组织政银企对接会,银行授信已获批。", "协调财政部门加快拨付,资金已到位。"}},
      {"labour", 10,
       {{"技术工人招聘难", "新产线投产需数控、焊接等技术工人约60名,招聘困难,请求协助。"},
        {"员工子女入学", "引进的技术骨干子女需在辖区就读,请求协调学位。"},
        {"用工高峰期人员短缺", "旺季用工缺口约200人,请求人社部门组织专场招聘。"}},
       {"人社部门已组织专场招聘会,缺口基本补齐。", "教体部门已统筹安排学位。"}},
      {"utilities", 14,
       {{"双回路供电接入", "项目为一级负荷,需双回路供电,第二回路接入方案未确定。"},
        {"天然气管道接入", "厂区用气需接入中压燃气管道,管线需穿越道路,请求协调。"},
        {"供水管网压力不足", "园区末端供水压力不足,高峰期生产用水受影响。"},
        {"供热管网配套", "新建厂房冬季需集中供热,管网尚未敷设至地块。"},
        {"临时施工用电报装", "施工用电报装已受理,变压器安装排期较晚,影响施工。"}},
       {"供电公司已确定接入方案并完成施工。", "协调管线单位施工,已通气/通水。"}},
      {"planning", 8,
       {{"规划条件调整", "因工艺变化需调整建筑限高,请求规划部门研究调整规划条件。"},
        {"建筑设计方案审查", "设计方案已报审一个月,尚未出具审查意见。"},
        {"道路红线退让争议", "地块北侧道路红线退让距离与原规划不一致,需核定。"}},
       {"规划部门已出具意见,方案通过审查。"}},
      {"demolition", 6,
       {{"地上附着物清表", "项目用地内仍有部分附着物未清理,影响场地平整。"},
        {"征收补偿协议未签订", "剩余3户征收补偿协议未签订,影响整体交地。"},
        {"坟墓迁移", "用地范围内有零散坟墓需迁移,请求属地协调。"}},
       {"属地街道已完成清表交地。", "补偿协议已全部签订。"}},
      {"talent", 4,
       {{"高层次人才安居", "引进的博士团队需人才公寓,请求协调配租。"},
        {"人才政策兑现", "企业引进人才的安家补贴尚未兑现。"}},
       {"人才公寓已配租到位。"}},
      {"market", 3,
       {{"产品进入政府采购目录", "企业新产品希望参与本地应用场景推介。"},
        {"拓展海外市场", "企业需办理出口资质,对流程不熟悉。"}},
       {"已推荐参加产品推介会。"}},
      {"policy", 5,
       {{"技改奖补资金兑现", "去年技改项目奖补资金尚未兑现,请求协调。"},
        {"招商引资政策兑现", "投资协议约定的扶持政策兑现进度慢。"}},
       {"奖补资金已拨付企业。"}},
      {"other", 3,
       {{"周边道路破损影响运输", "厂区出入道路破损严重,大型货车通行困难。"},
        {"施工扰民投诉协调", "周边居民反映夜间施工噪声,需协调施工时间。"}},
       {"已协调有关单位处理完毕。"}},
  };
  return kTexts;
}

// ---- what the database holds ---------------------------------------------------------

struct Place {
  int64_t id = 0;
  std::optional<int64_t> enterprise_id;
  std::optional<int64_t> project_id;
  string name;
};

struct World {
  std::map<int64_t, std::pair<string, string>> units;  // id → (path, kind)
  std::vector<int64_t> departments, places;
  std::map<int64_t, std::vector<int64_t>> unit_users;  // non-enterprise users by unit
  std::vector<Place> projects, firms;                  // what items concern (id = the item's unit)
  int64_t office = 0;
  storage::ProblemSettings settings;
  std::shared_ptr<const WorkCalendar> cal;
  std::map<int, int64_t> code_seq;
  std::set<string> codes;

  std::vector<domain::UnitKind> Chain(int64_t unit) const {
    std::vector<domain::UnitKind> chain;
    const string& path = units.at(unit).first;  // "/1/5/12/"
    std::vector<int64_t> ids;
    int64_t cur = 0;
    for (char c : path) {
      if (c >= '0' && c <= '9') {
        cur = cur * 10 + (c - '0');
      } else if (cur) {
        ids.push_back(cur);
        cur = 0;
      }
    }
    for (auto it = ids.rbegin(); it != ids.rend(); ++it) {
      if (units.contains(*it)) chain.push_back({*it, units.at(*it).second});
    }
    return chain;
  }
};

StatusOr<World> LoadWorld(db::Connection& conn, std::optional<int64_t> office) {
  World w;
  ZB_ASSIGN_OR_RETURN(db::Result units, conn.Query("SELECT id, path, kind, active FROM org_units ORDER BY id"));
  for (const auto& r : units.rows) {
    w.units[r.Int("id")] = {r.Text("path"), r.Text("kind")};
    if (r.Int("active")) (r.Text("kind") == "department" ? w.departments : w.places).push_back(r.Int("id"));
  }
  ZB_ASSIGN_OR_RETURN(db::Result users, conn.Query("SELECT id, org_unit_id FROM users WHERE active = 1 AND "
                                                   "enterprise_id IS NULL ORDER BY id"));
  for (const auto& r : users.rows) w.unit_users[r.Int("org_unit_id")].push_back(r.Int("id"));
  if (users.rows.empty()) return ValidationFailed("没有可用的用户,请先运行 zhuanban init (no users: run init first)");
  w.office = office.value_or(users.rows.front().Int("id"));
  ZB_ASSIGN_OR_RETURN(db::Result projects,
                      conn.Query("SELECT id, org_unit_id, enterprise_id, name FROM projects ORDER BY id"));
  for (const auto& r : projects.rows) {
    w.projects.push_back({r.Int("org_unit_id"), r.OptInt("enterprise_id"), r.Int("id"), r.Text("name")});
  }
  ZB_ASSIGN_OR_RETURN(db::Result firms, conn.Query("SELECT id, org_unit_id, name FROM enterprises ORDER BY id"));
  for (const auto& r : firms.rows) w.firms.push_back({r.Int("org_unit_id"), r.Int("id"), std::nullopt, r.Text("name")});
  if (w.projects.empty() && w.firms.empty()) {
    return ValidationFailed("没有企业或项目,请先运行 zhuanban gen --projects (no enterprises nor projects)");
  }
  ZB_ASSIGN_OR_RETURN(w.settings, storage::GetProblemSettings(conn));
  ZB_ASSIGN_OR_RETURN(w.cal, storage::CurrentCalendar(conn));
  ZB_ASSIGN_OR_RETURN(db::Result seq, conn.Query("SELECT year, last FROM problem_code_seq"));
  for (const auto& r : seq.rows) w.code_seq[static_cast<int>(r.Int("year"))] = r.Int("last");
  ZB_ASSIGN_OR_RETURN(db::Result codes, conn.Query("SELECT code FROM problems"));
  for (const auto& r : codes.rows) w.codes.insert(r.Text("code"));
  return w;
}

// ---- one item's life -------------------------------------------------------------------

struct Event {
  Date day;
  std::optional<int64_t> user;
  string action, from, to, comment;
  bool internal = false;
  Json data = Json::object();
};

struct Item {
  string title, description, category, source, urgency = "normal", level, status = "pending", result;
  std::optional<int64_t> enterprise_id, project_id, lead_unit_id, handler_id, resolve_days;
  int64_t raised_by = 0, org_unit_id = 0, coord_unit_id = 0, escalation_count = 0, reopen_count = 0;
  Date raised_on;
  std::optional<Date> assigned_on, deadline, original_deadline, resolved_on, closed_on, rated_on;
  bool on_spot = false, escalated = false, supervised = false, on_agenda = false, extension_pending = false;
  std::optional<string> satisfaction;
  std::vector<int64_t> co_units;
  std::vector<Event> events;
  struct Extension {
    Date on;
    std::optional<Date> old_deadline;
    Date new_deadline;
    int64_t by = 0;
    string status = "pending";
    std::optional<Date> decided_on;
  };
  std::vector<Extension> extensions;
  struct Supervision {
    Date on, respond_by;
    std::optional<Date> responded_on;
    std::optional<int64_t> responded_by;
  };
  std::vector<Supervision> supervisions;
  struct Agenda {
    Date on, meeting_on;
    std::optional<Date> decided_on;
  };
  std::vector<Agenda> agenda;
};

class Ledger {
 public:
  Ledger(const World& w, uint64_t seed, Date today, Date first_day)
      : w_(w), rng_(seed), today_(today), first_(first_day) {}

  std::optional<Item> Next(bool demo);

 private:
  size_t Pick(size_t n) { return std::uniform_int_distribution<size_t>(0, n - 1)(rng_); }
  bool Chance(int percent) { return static_cast<int>(Pick(100)) < percent; }
  Date Later(Date d, int64_t min_days, int64_t max_days) {
    return w_.cal->AddWorkingDays(d, min_days + static_cast<int64_t>(Pick(static_cast<size_t>(max_days - min_days + 1))));
  }
  int64_t UserOf(int64_t unit) {
    auto it = w_.unit_users.find(unit);
    return it == w_.unit_users.end() || it->second.empty() ? w_.office : it->second[Pick(it->second.size())];
  }
  void Add(Item& it, Date day, std::optional<int64_t> user, string_view action, string_view to, string comment,
           Json data = Json::object()) {
    it.events.push_back({day, user, string(action), it.status, string(to), std::move(comment), false, std::move(data)});
    it.status = string(to);
  }
  void Assign(Item& it, Date day) {
    const int64_t lead = !w_.departments.empty() && Chance(70) ? w_.departments[Pick(w_.departments.size())]
                                                               : it.org_unit_id;
    it.lead_unit_id = lead;
    it.handler_id = w_.unit_users.contains(lead) ? std::optional<int64_t>(UserOf(lead)) : std::nullopt;
    it.co_units.clear();
    if (w_.departments.size() > 1 && Chance(30)) {
      const int64_t co = w_.departments[Pick(w_.departments.size())];
      if (co != lead) it.co_units.push_back(co);
    }
    it.assigned_on = day;
    it.deadline = domain::SlaDeadline(*w_.cal, day, storage::SlaDaysFor(w_.settings, it.category));
    if (!it.original_deadline) it.original_deadline = it.deadline;
    Add(it, day, w_.office, "assign", "assigned", "请按时限办理并及时反馈。",
        {{"lead_unit_id", lead}, {"co_unit_ids", it.co_units}, {"deadline", it.deadline->ToString()}});
  }
  void Resolve(Item& it, Date day, const CategoryTexts& t) {
    it.resolved_on = day;
    it.resolve_days = w_.cal->WorkingDaysBetween(it.raised_on, day);
    it.result = string(t.results[Pick(t.results.size())]);
    Add(it, day, UserOf(*it.lead_unit_id), "resolve", "resolved", it.result,
        {{"date", day.ToString()}, {"resolve_days", *it.resolve_days}});
  }

  const World& w_;
  std::mt19937_64 rng_;
  Date today_, first_;
};

std::optional<Item> Ledger::Next(bool demo) {
  const auto& cal = *w_.cal;
  Item it;
  // What it concerns: a project (with its enterprise) mostly, else an enterprise.
  const bool by_project = !w_.projects.empty() && (w_.firms.empty() || Chance(65));
  const Place& place = by_project ? w_.projects[Pick(w_.projects.size())] : w_.firms[Pick(w_.firms.size())];
  it.org_unit_id = place.id;
  it.project_id = place.project_id;
  it.enterprise_id = place.enterprise_id;
  auto level_unit = domain::LevelUnit(w_.Chain(place.id));
  if (!level_unit) return std::nullopt;
  it.coord_unit_id = level_unit->id;
  it.level = string(domain::Code(*domain::LevelOfKind(level_unit->kind)));

  int total = 0;
  for (const auto& t : Texts()) total += t.weight;
  int roll = static_cast<int>(Pick(static_cast<size_t>(total)));
  const CategoryTexts* cat = &Texts().front();
  for (const auto& t : Texts()) {
    if ((roll -= t.weight) < 0) {
      cat = &t;
      break;
    }
  }
  const Text& text = cat->texts[Pick(cat->texts.size())];
  it.category = string(cat->category);
  it.title = string(text.title);
  it.description = demo ? place.name + ":" + string(text.description) : string(text.description);
  static constexpr string_view kSources[] = {"enterprise", "enterprise", "enterprise", "visit", "visit",
                                             "meeting",    "leader",     "other"};
  it.source = string(kSources[Pick(std::size(kSources))]);
  it.urgency = Chance(10) ? (Chance(25) ? "critical" : "urgent") : "normal";
  it.raised_by = w_.office;
  // Raised on a working day between first_ and today_.
  it.raised_on = first_.AddDays(static_cast<int64_t>(Pick(static_cast<size_t>(today_.ToDays() - first_.ToDays() + 1))));
  while (!cal.IsWorkingDay(it.raised_on) && it.raised_on > first_) it.raised_on = it.raised_on.AddDays(-1);
  Add(it, it.raised_on, it.raised_by, "create", "pending", "");
  it.events.back().from = "";

  const int64_t age = cal.WorkingDaysBetween(it.raised_on, today_);
  const int64_t sla = storage::SlaDaysFor(w_.settings, it.category);
  // 现场解决: answered on the spot (走访, 调度会).
  if (it.source != "enterprise" && Chance(12)) {
    const Date day = std::min(today_, Later(it.raised_on, 0, 1));
    it.on_spot = true;
    it.resolved_on = it.closed_on = day;
    it.resolve_days = cal.WorkingDaysBetween(it.raised_on, day);
    it.result = "现场协调解决:" + string(cat->results[Pick(cat->results.size())]);
    Add(it, day, w_.office, "on_spot", "closed", it.result, {{"date", day.ToString()}, {"resolve_days", *it.resolve_days}});
    return it;
  }
  if (age < 1 || (age < 3 && Chance(50))) return it;  // 待受理

  Assign(it, std::min(today_, Later(it.raised_on, 1, 2)));
  // 退回, then mostly 改派 to another unit.
  if (Chance(6)) {
    const Date back = Later(*it.assigned_on, 1, 2);
    if (back > today_) return it;
    Add(it, back, UserOf(*it.lead_unit_id), "return", "returned", "该事项不属于本单位职责范围,请重新交办。");
    const Date again = Later(back, 1, 2);
    if (again > today_ || Chance(30)) return it;
    Assign(it, again);
  }
  const Date started = Later(*it.assigned_on, 0, 2);
  if (started > today_) return it;
  Add(it, started, UserOf(*it.lead_unit_id), "start", "in_progress", "已签收,正在办理。");

  // How long it takes: most within the SLA, some late, a few much later.
  const int64_t need = Chance(78) ? std::max<int64_t>(1, sla * (30 + static_cast<int64_t>(Pick(70))) / 100)
                                  : sla + 1 + static_cast<int64_t>(Pick(static_cast<size_t>(sla * 2)));
  Date done = cal.AddWorkingDays(*it.assigned_on, need);
  auto before_done = [&](Date d) { return d > started && d < done && d <= today_; };

  // 延期: asked before the deadline, decided a day or two later.
  if (Chance(12)) {
    const Date asked = Later(started, 1, 3);
    if (before_done(asked) && asked < *it.deadline) {
      const Date wanted = cal.AddWorkingDays(*it.deadline, 5 + static_cast<int64_t>(Pick(6)));
      it.extensions.push_back({asked, it.deadline, wanted, UserOf(*it.lead_unit_id)});
      it.extension_pending = true;
      Add(it, asked, it.extensions.back().by, "extend", it.status, "涉及多部门会签,申请延期办理。",
          {{"old_deadline", it.deadline->ToString()}, {"new_deadline", wanted.ToString()}});
      const Date decided = Later(asked, 1, 2);
      if (before_done(decided)) {
        const bool grant = Chance(80);
        it.extensions.back().status = grant ? "granted" : "refused";
        it.extensions.back().decided_on = decided;
        it.extension_pending = false;
        if (grant) it.deadline = wanted;
        Add(it, decided, w_.office, "extend_decide", it.status, grant ? "同意延期。" : "不同意延期,请按原时限办结。",
            {{"grant", grant}, {"new_deadline", wanted.ToString()}});
      } else if (done <= today_) {
        done = std::max(done, today_.AddDays(1));  // still waiting for the decision
      }
    }
  }
  // 提级协调: the town cannot solve it alone.
  if (Chance(7)) {
    const Date up = Later(started, 2, 5);
    auto target = domain::EscalationTarget(w_.Chain(it.coord_unit_id));
    if (target && before_done(up)) {
      Add(it, up, UserOf(*it.lead_unit_id), "escalate", it.status, "涉及区级统筹事项,申请提级协调。",
          {{"from_unit_id", it.coord_unit_id}, {"to_unit_id", target->id}});
      it.coord_unit_id = target->id;
      it.level = string(domain::Code(*domain::LevelOfKind(target->kind)));
      it.escalated = true;
      ++it.escalation_count;
    }
  }
  // 督办: an item past its deadline, answered a few days later (or not yet).
  if (*it.deadline < std::min(done, today_) && Chance(50)) {
    const Date issued = Later(*it.deadline, 1, 3);
    if (before_done(issued)) {
      it.supervisions.push_back({issued, Later(issued, 3, 3)});
      it.supervised = true;
      Add(it, issued, w_.office, "supervise", it.status, "请责任单位加快办理,限期反馈进展。",
          {{"respond_by", it.supervisions.back().respond_by.ToString()}});
      const Date answered = Later(issued, 2, 8);
      if (before_done(answered)) {
        it.supervisions.back().responded_on = answered;
        it.supervisions.back().responded_by = UserOf(*it.lead_unit_id);
        it.supervised = false;
        Add(it, answered, it.supervisions.back().responded_by, "supervise_respond", it.status,
            "已制定办理计划,正在加快推进。");
      } else {
        done = std::max(done, today_.AddDays(1));  // still under 督办
      }
    }
  }
  // 联席会议: the hard ones go on the agenda.
  if (Chance(10)) {
    const Date put = Later(started, 2, 6);
    if (before_done(put)) {
      it.agenda.push_back({put, Later(put, 5, 12)});
      it.on_agenda = true;
      Add(it, put, w_.office, "agenda", it.status, "提交区重点项目联席会议研究。",
          {{"meeting_on", it.agenda.back().meeting_on.ToString()}});
      if (before_done(it.agenda.back().meeting_on)) {
        it.agenda.back().decided_on = it.agenda.back().meeting_on;
        it.on_agenda = false;
        Add(it, it.agenda.back().meeting_on, w_.office, "agenda_decide", it.status,
            "会议明确由责任单位牵头,相关部门配合,限期解决。");
      } else {
        done = std::max(done, today_.AddDays(1));  // the meeting has not decided yet
      }
    }
  }
  if (done > today_) return it;
  Resolve(it, done, *cat);
  // 销号 by the office, 回访 by the office.
  const Date closed = Later(done, 1, 4);
  if (closed <= today_ && Chance(85)) {
    it.closed_on = closed;
    Add(it, closed, w_.office, "close", "closed", "经核实已解决,同意销号。");
  }
  const Date rated = Later(done, 1, 5);
  if (rated > today_ || !Chance(80)) return it;
  const int r = static_cast<int>(Pick(100));
  const string sat = r < 80 ? "satisfied" : r < 95 ? "basic" : "unsatisfied";
  it.satisfaction = sat;
  it.rated_on = std::max(rated, it.closed_on.value_or(rated));  // 回访 after the 销号
  if (sat != "unsatisfied") {
    Add(it, *it.rated_on, w_.office, "rate", it.status, "", {{"satisfaction", sat}, {"by", "visit"}});
    return it;
  }
  // 不满意: back to 办理中 with a new deadline, the first one kept.
  const Date from = *it.rated_on;
  it.resolved_on.reset();
  it.resolve_days.reset();
  it.closed_on.reset();
  it.result.clear();
  ++it.reopen_count;
  it.deadline = domain::SlaDeadline(cal, from, sla);
  Add(it, from, w_.office, "rate", "in_progress", "企业反映问题仍未彻底解决。",
      {{"satisfaction", sat}, {"by", "visit"}, {"deadline", it.deadline->ToString()}});
  return it;
}

// ---- writing ---------------------------------------------------------------------------

// A moment of `day` in office hours; the n-th entry of an item a little later.
int64_t At(Date day, size_t n) { return StartOfDayMs(day) + (8 * 60 + 40 + static_cast<int64_t>(n) * 23) * 60'000; }

db::Value D(const std::optional<Date>& d) { return d ? db::Value(d->ToString()) : db::Null(); }

// Rows of one table written as multi-row INSERT … VALUES (kRows rows a
// statement): a statement per row was most of the generator's time.
class RowBatch {
 public:
  RowBatch(string head, size_t columns) : head_(std::move(head)), columns_(columns) {}

  void Add(db::Params row) {
    for (auto& v : row) params_.push_back(std::move(v));
  }

  // Writes what was added, kRows rows a statement and the rest in
  // power-of-two pieces: few distinct statements, so each is prepared once
  // (preparing one with thousands of parameters is not cheap).
  Status Flush(db::Connection& conn) {
    const size_t rows = params_.size() / columns_;
    for (size_t first = 0; first < rows;) {
      size_t n = kRows;
      while (n > rows - first) n /= 2;
      string sql = head_ + " VALUES ";
      for (size_t i = 0; i < n * columns_; ++i) {
        sql += i % columns_ == 0 ? (i ? "), ($" : "($") : ", $";
        sql += std::to_string(i + 1);
      }
      sql += ")";
      const auto begin = params_.begin() + static_cast<std::ptrdiff_t>(first * columns_);
      ZB_RETURN_IF_ERROR(conn.Exec(sql, db::Params(std::make_move_iterator(begin),
                                                   std::make_move_iterator(begin + static_cast<std::ptrdiff_t>(n * columns_)))));
      first += n;
    }
    params_.clear();
    return Status();
  }

 private:
  static constexpr size_t kRows = 256;
  string head_;
  size_t columns_;
  db::Params params_;
};

// Ids for `n` new problems: SQLite's next ones (the write transaction holds
// the database), PostgreSQL's taken from the identity's sequence.
StatusOr<std::vector<int64_t>> NewProblemIds(db::Connection& conn, size_t n) {
  std::vector<int64_t> ids;
  if (n == 0) return ids;
  if (conn.dialect() == db::Dialect::kPostgres) {
    ZB_ASSIGN_OR_RETURN(db::Result r, conn.Query("SELECT nextval(pg_get_serial_sequence('problems', 'id')) AS id "
                                                 "FROM generate_series(1, $1) ORDER BY 1",
                                                 {static_cast<int64_t>(n)}));
    for (const auto& row : r.rows) ids.push_back(row.Int("id"));
  } else {
    ZB_ASSIGN_OR_RETURN(auto row, conn.QueryOne("SELECT COALESCE(MAX(id), 0) AS id FROM problems"));
    for (size_t i = 1; i <= n; ++i) ids.push_back(row->Int("id") + static_cast<int64_t>(i));
  }
  if (ids.size() != n) return Internal("未能分配问题编号 (could not reserve problem ids)");
  return ids;
}

// Writes the items with all their rows, as storage/problem_repo would leave them.
Status Insert(db::Connection& conn, World& w, std::vector<Item>& items) {
  ZB_ASSIGN_OR_RETURN(std::vector<int64_t> ids, NewProblemIds(conn, items.size()));
  RowBatch problems(
      "INSERT INTO problems (id, code, title, description, category, enterprise_id, project_id, source, urgency, "
      "raised_by, raised_on, org_unit_id, org_unit_path, coord_unit_id, coord_unit_path, level, lead_unit_id, "
      "lead_unit_path, handler_id, status, assigned_on, deadline, original_deadline, resolved_on, result, "
      "resolve_days, closed_on, on_spot, escalated, escalation_count, supervised, on_agenda, extension_pending, "
      "satisfaction, rated_on, reopen_count, version, created_at, updated_at)",
      39);
  RowBatch events("INSERT INTO problem_events (problem_id, at, user_id, action, from_status, to_status, comment, "
                  "internal, data)",
                  9);
  RowBatch co_units("INSERT INTO problem_co_units (problem_id, org_unit_id)", 2);
  RowBatch extensions("INSERT INTO problem_extensions (problem_id, old_deadline, new_deadline, reason, requested_by, "
                      "requested_at, status, decided_by, decided_at)",
                      9);
  RowBatch supervisions("INSERT INTO problem_supervisions (problem_id, instruction, respond_by, issued_by, "
                        "issued_at, response, responded_by, responded_at)",
                        8);
  RowBatch agenda("INSERT INTO problem_agenda (problem_id, meeting_on, comment, submitted_by, submitted_at, "
                  "decision, decided_by, decided_at)",
                  8);
  for (size_t n = 0; n < items.size(); ++n) {
    Item& it = items[n];
    const int64_t id = ids[n];
    std::stable_sort(it.events.begin(), it.events.end(), [](const Event& a, const Event& b) { return a.day < b.day; });
    const int year = it.raised_on.year();
    string code;
    do {
      code = domain::FormatProblemCode(year, ++w.code_seq[year]);
    } while (!w.codes.insert(code).second);
    auto path = [&](std::optional<int64_t> unit) {
      return unit ? db::Value(w.units.at(*unit).first) : db::Null();
    };
    const int64_t created = At(it.events.front().day, 0);
    const int64_t updated = At(it.events.back().day, it.events.size() - 1);
    problems.Add({id, code, it.title, it.description, it.category, db::Opt(it.enterprise_id), db::Opt(it.project_id),
               it.source, it.urgency, it.raised_by, it.raised_on.ToString(), it.org_unit_id, path(it.org_unit_id),
               it.coord_unit_id, path(it.coord_unit_id), it.level, db::Opt(it.lead_unit_id), path(it.lead_unit_id),
               db::Opt(it.handler_id), it.status, D(it.assigned_on), D(it.deadline), D(it.original_deadline),
               D(it.resolved_on), it.result, db::Opt(it.resolve_days), D(it.closed_on), int64_t{it.on_spot},
               int64_t{it.escalated}, it.escalation_count, int64_t{it.supervised}, int64_t{it.on_agenda},
               int64_t{it.extension_pending}, db::Opt(it.satisfaction), D(it.rated_on), it.reopen_count,
               static_cast<int64_t>(it.events.size()), created, updated});
    for (size_t i = 0; i < it.events.size(); ++i) {
      const Event& e = it.events[i];
      events.Add({id, At(e.day, i), db::Opt(e.user), e.action, e.from, e.to, e.comment, int64_t{0}, e.data.dump()});
    }
    for (int64_t unit : it.co_units) co_units.Add({id, unit});
    for (const auto& x : it.extensions) {
      extensions.Add({id, D(x.old_deadline), x.new_deadline.ToString(), string("涉及多部门会签,申请延期办理。"), x.by,
                 At(x.on, 0), x.status, x.decided_on ? db::Value(w.office) : db::Null(),
                 x.decided_on ? db::Value(At(*x.decided_on, 1)) : db::Null()});
    }
    for (const auto& s : it.supervisions) {
      supervisions.Add({id, string("请责任单位加快办理,限期反馈进展。"), s.respond_by.ToString(), w.office, At(s.on, 0),
                 string(s.responded_on ? "已制定办理计划,正在加快推进。" : ""), db::Opt(s.responded_by),
                 s.responded_on ? db::Value(At(*s.responded_on, 1)) : db::Null()});
    }
    for (const auto& a : it.agenda) {
      agenda.Add({id, a.meeting_on.ToString(), string("提交区重点项目联席会议研究。"), w.office, At(a.on, 0),
                 string(a.decided_on ? "会议明确由责任单位牵头,相关部门配合,限期解决。" : ""),
                 a.decided_on ? db::Value(w.office) : db::Null(),
                 a.decided_on ? db::Value(At(*a.decided_on, 1)) : db::Null()});
    }
  }
  // The items first: the other tables reference them.
  for (RowBatch* b : {&problems, &events, &co_units, &extensions, &supervisions, &agenda}) {
    ZB_RETURN_IF_ERROR(b->Flush(conn));
  }
  return Status();
}

Status SaveCodeSeq(db::Connection& conn, const World& w) {
  for (const auto& [year, last] : w.code_seq) {
    ZB_RETURN_IF_ERROR(conn.Exec("INSERT INTO problem_code_seq (year, last) VALUES ($1, $2) "
                                 "ON CONFLICT (year) DO UPDATE SET last = excluded.last",
                                 {int64_t{year}, last}));
  }
  return Status();
}

}  // namespace

StatusOr<int64_t> SeedDemoProblems(db::Connection& conn, int64_t office, Date today, uint64_t seed, int64_t count) {
  ZB_ASSIGN_OR_RETURN(World world, LoadWorld(conn, office));
  // The year so far (at least two months, so a January demo has a history).
  const Date first = std::min(*Date::FromYmd(today.year(), 1, 1), today.AddDays(-60));
  Ledger ledger(world, seed, today, first);
  std::vector<Item> items;
  for (int64_t tries = 0; static_cast<int64_t>(items.size()) < count && tries < count * 4; ++tries) {
    if (auto item = ledger.Next(/*demo=*/true)) items.push_back(std::move(*item));
  }
  ZB_RETURN_IF_ERROR(Insert(conn, world, items));
  ZB_RETURN_IF_ERROR(SaveCodeSeq(conn, world));
  return static_cast<int64_t>(items.size());
}

StatusOr<int64_t> GenerateProblems(db::Pool& pool, int64_t count, uint64_t seed,
                                   const std::function<void(int64_t done, int64_t total)>& progress,
                                   std::optional<Date> today) {
  if (count < 0) return ValidationFailed("问题数量不能为负 (count must not be negative)", "problems");
  constexpr int64_t kBatch = 5000;
  const int64_t now_ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
          .count();
  const Date day = today.value_or(LocalDate(now_ms));
  World world;
  {
    ZB_ASSIGN_OR_RETURN(db::Lease lease, pool.Read());
    ZB_ASSIGN_OR_RETURN(world, LoadWorld(*lease, std::nullopt));
  }
  if (pool.dialect() == db::Dialect::kSqlite) {
    // As app/project_gen.cc: a page cache that holds a batch.
    ZB_RETURN_IF_ERROR(db::InTx(pool, [](db::Connection& conn) {
      return conn.ExecScript("PRAGMA cache_size = -131072;");
    }));
  }
  Ledger ledger(world, seed, day, day.AddDays(-730));
  int64_t made = 0;
  while (made < count) {
    const int64_t n = std::min(kBatch, count - made);
    int64_t written = 0;
    ZB_RETURN_IF_ERROR(db::InTx(pool, [&](db::Connection& conn) -> Status {
      // Written 1 000 items at a time, each table in statements of up to 256 rows.
      written = 0;
      std::vector<Item> items;
      for (int64_t tries = 0; written < n && tries < n * 4; ++tries) {
        auto item = ledger.Next(/*demo=*/false);
        if (!item) continue;
        items.push_back(std::move(*item));
        ++written;
        if (items.size() == 1000) {
          ZB_RETURN_IF_ERROR(Insert(conn, world, items));
          items.clear();
        }
      }
      ZB_RETURN_IF_ERROR(Insert(conn, world, items));
      return SaveCodeSeq(conn, world);
    }));
    if (written == 0) return ValidationFailed("没有可归属镇街、区或市的单位 (no unit has a town, county or city above it)");
    made += written;
    if (progress) progress(made, count);
  }
  return made;
}

}  // namespace zb::app
