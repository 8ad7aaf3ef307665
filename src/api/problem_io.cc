// 问题台账 in Excel (docs/api-problems.md § Routes, § Import): the export —
// exactly the items the list shows for the same filters, `q` and `sort`, in
// the caller's scope — the import template and the import. One column list
// (kColumns) serves all three, so an exported ledger re-imports unchanged.
// The layout and the importer's machinery are the 项目台账's (api/ledger.h):
// a title line, the filter line with the export time, a bold frozen header,
// set widths; the header row found by 问题, the report, all or nothing.
#include <algorithm>
#include <array>
#include <memory>
#include <set>
#include <unordered_map>
#include <string>
#include <vector>

#include "api/api.h"
#include "api/audit.h"
#include "api/export.h"
#include "api/json_input.h"
#include "api/ledger.h"
#include "api/ledger_io.h"
#include "api/problems.h"
#include "api/project_input.h"
#include "api/scope.h"
#include "core/date.h"
#include "domain/problem.h"
#include "io/xlsx.h"
#include "storage/calendar_repo.h"
#include "storage/dict_repo.h"
#include "storage/org_unit_repo.h"
#include "storage/problem_repo.h"
#include "storage/project_repo.h"

namespace zb::api {

using http::Json;
using http::Request;
using http::Response;

namespace {

constexpr char kTag[] = "problems";

using ledger_io::ColumnSpec;

enum Col {
  kSeq, kCode, kTitle, kEnterprise, kProject, kCategory, kSource, kUrgency, kRaisedOn, kLead, kCoUnits, kDeadline,
  kStatus, kOverdue, kResult, kResolvedOn, kClosedOn, kSatisfaction, kColumnCount
};

// The export's columns (the contract's order), which the import reads back;
// `field` is what the create check's errors name.
constexpr std::array<ColumnSpec, kColumnCount> kColumns = {{
    {"序号", "", 6, "导出的行号,导入时忽略"},
    {"编号", "code", 15, "留空则新建(自动编号 WT-年份-序号);填写您范围内已有的编号则更新该问题"},
    {"问题", "title", 36, "1–100 字", true},
    {"企业", "enterprise_id", 28, "企业库中的企业名称或统一社会信用代码;企业与项目至少填一项"},
    {"项目", "project_id", 28, "项目编号或项目名称;项目属于某企业时企业可不填"},
    {"类别", "category", 14, "字典「问题类别」中的名称;新问题必填", true, true},
    {"来源", "source", 10, "留空为 其他"},
    {"紧急程度", "urgency", 9, "留空为 一般"},
    {"提出时间", "raised_on", 11, "日期,不晚于今天;留空为导入当天。已有问题不修改"},
    {"责任单位", "lead_unit_id", 18,
     "单位名称,重名时写「上级/名称」或单位编码;已交办、办理中、已办结、已销号必填。已有问题不修改(请在系统中改派)"},
    {"协办单位", "co_unit_ids", 24, "单位名称,多个用 、 或逗号分隔;需有责任单位。已有问题不修改"},
    {"办理时限", "deadline", 11, "日期;有责任单位时留空按类别时限(工作日)从提出时间起算。已有问题不修改"},
    {"状态", "status", 8, "留空:有责任单位为已交办,否则待受理。已有问题的状态由办理流程维护,不修改"},
    {"逾期(工作日)", "", 12, "导出的计算列,导入时忽略"},
    {"办理结果", "result", 36, "已办结、已销号必填,其他状态不填。已有问题不修改"},
    {"办结时间", "resolved_on", 11, "已办结、已销号必填(留空时取销号时间);不早于提出时间。已有问题不修改"},
    {"销号时间", "closed_on", 11, "仅已销号;留空取办结时间。已有问题不修改"},
    {"满意度", "satisfaction", 9, "仅已办结、已销号;不满意的问题请导入为办理中。已有问题不修改"},
}};

// The columns a person fills (the template's): all but 序号 and 逾期, which
// the export computes.
std::vector<ColumnSpec> TemplateColumns() {
  std::vector<ColumnSpec> out;
  for (size_t c = 0; c < kColumns.size(); ++c) {
    if (c != kSeq && c != kOverdue) out.push_back(kColumns[c]);
  }
  return out;
}

io::XlsxCell DayCell(const std::optional<std::string>& v) {
  if (!v) return std::monostate{};
  auto d = Date::Parse(*v);
  return d.ok() ? io::XlsxCell(io::XlsxDate{*d}) : io::XlsxCell(*v);
}

// "状态=closed; 类别=land" from the list parameters given, named as the
// list's docs name them (the part before the first ':').
std::string DescribeFilter(const Request& req) {
  std::string out;
  for (const auto& d : ProblemFilterDocs()) {
    if (d.name == "page" || d.name == "page_size" || d.name == "facets" || d.name == "sort") continue;
    auto v = req.Query(d.name);
    if (!v || v->empty()) continue;
    std::string label = d.description.empty() ? d.name : d.description;
    for (const char* stop : {"(", "（", ":", "：", " "}) label = label.substr(0, label.find(stop));
    out += (out.empty() ? "" : "; ") + label + "=" + std::string(*v);
  }
  return out;
}

StatusOr<std::string> RootName(db::Connection& conn) {
  // Ordered by depth: the first unit is the root.
  ZB_ASSIGN_OR_RETURN(auto units, storage::ListOrgUnits(conn, std::nullopt, /*include_inactive=*/true));
  return units.empty() ? std::string() : units.front().name;
}

// ---- import ---------------------------------------------------------------------

// The create check's body of an existing item: what the file's cells go over.
Json BodyOf(const storage::Problem& p) {
  Json b = {{"title", p.title},   {"category", p.category},   {"source", p.source},
            {"urgency", p.urgency}, {"raised_on", p.raised_on}};
  if (p.enterprise_id) b["enterprise_id"] = *p.enterprise_id;
  if (p.project_id) b["project_id"] = *p.project_id;
  return b;
}

template <typename E>
std::string Labels(const std::vector<domain::ProblemEnumDef<E>>& defs) {
  std::vector<std::string> out;
  for (const auto& d : defs) out.emplace_back(d.label);
  return ledger_io::JoinList(out);
}

// Rows of the 问题台账 (docs/api-problems.md § Import). A row with an 编号
// updates that item's plain fields; the workflow's columns of an existing
// item are the workflow's (a different value is a warning). A row without
// one creates an item in the file's state, with one "import" entry.
class ProblemImporter : public ledger_io::RowImporter {
 public:
  explicit ProblemImporter(ledger_io::ImportContext& ctx) : ctx_(ctx) {}

  Status Load() override {
    ZB_ASSIGN_OR_RETURN(units_, ledger_io::UnitIndex::Load(ctx_.read));
    ZB_ASSIGN_OR_RETURN(auto dicts, ledger_io::LoadDicts(ctx_.read));
    categories_ = dicts["problem_category"];
    storage::EnterpriseFilter visible;
    if (ctx_.p().enterprise_id) {
      visible.only_id = *ctx_.p().enterprise_id;
    } else {
      visible.scope = ScopeSql(ctx_.p());
    }
    ZB_ASSIGN_OR_RETURN(firms_, ledger_io::EnterpriseIndex::Load(ctx_.read, visible));
    ZB_ASSIGN_OR_RETURN(cal_, storage::CurrentCalendar(ctx_.read));
    ZB_ASSIGN_OR_RETURN(settings_, storage::GetProblemSettings(ctx_.read));
    today_ = LocalDate(ctx_.now);
    return Status::Ok();
  }

  Status Row(const io::Row& row) override;

 private:
  void Problem(int64_t row, size_t col, std::string message) {
    ctx_.problems.Add(row, ctx_.sheet.Header(col), std::move(message));
    row_ok_ = false;
  }
  std::string Text(int64_t r, size_t col) { return ctx_.Text(r, col, &row_ok_); }
  std::optional<std::string> Day(int64_t r, size_t col) {
    return ctx_.Read<std::optional<std::string>>(r, col, ledger_io::CellDate, &row_ok_).value_or(std::nullopt);
  }
  template <typename E>
  std::optional<E> Enum(int64_t r, size_t col, std::optional<E> (*parse)(std::string_view),
                        const std::vector<domain::ProblemEnumDef<E>>& defs) {
    std::string t = Text(r, col);
    if (t.empty()) return std::nullopt;
    auto v = parse(t);
    if (!v) {
      Problem(r, col, kColumns[col].header + std::string("「") + QuoteForMessage(t) + "」不正确,可选:" + Labels(defs) +
                          " (unknown value)");
    }
    return v;
  }
  // An active unit by name, "上级/名称" or code.
  std::optional<int64_t> UnitCell(int64_t r, size_t col, const std::string& text) {
    auto id = units_.Find(text, [](const storage::OrgUnit& u) { return u.active; }, kColumns[col].header);
    if (id.ok()) return *id;
    Problem(r, col, id.status().message());
    return std::nullopt;
  }

  std::optional<storage::Problem> FindExisting(int64_t r, const std::string& code);
  void ReadPlain(int64_t r, const storage::Problem* existing, Json& body);
  std::optional<int64_t> ProjectCell(int64_t r, const std::string& text);
  std::optional<storage::ImportedState> ReadState(int64_t r, const Json& body);
  void WarnWorkflow(int64_t r, const storage::Problem& p);
  Status Write(int64_t r, const storage::ProblemInput& in, const storage::Problem* existing,
               const storage::ImportedState& state);

  ledger_io::ImportContext& ctx_;
  ledger_io::UnitIndex units_;
  ledger_io::EnterpriseIndex firms_;
  ledger_io::DictIndex categories_;
  std::shared_ptr<const WorkCalendar> cal_;
  storage::ProblemSettings settings_;
  Date today_;
  std::unordered_map<std::string, int64_t> seen_codes_;  // 编号 → first row
  bool row_ok_ = true;
};

std::optional<storage::Problem> ProblemImporter::FindExisting(int64_t r, const std::string& code) {
  if (auto [it, fresh] = seen_codes_.emplace(code, r); !fresh) {
    Problem(r, kCode, "编号 " + QuoteForMessage(code) + " 与第 " + std::to_string(it->second) +
                          " 行重复 (the same code twice in the file)");
    return std::nullopt;
  }
  auto found = storage::FindProblemByCode(ctx_.read, code);
  if (!found.ok()) {
    ctx_.fatal = found.status();
    return std::nullopt;
  }
  // Out of scope answers like missing, as everywhere.
  if (!*found || !ProblemVisible(ctx_.p(), **found)) {
    Problem(r, kCode, "编号 " + QuoteForMessage(code) + " 不存在或不在您的范围;新问题请将编号留空 (no such problem in "
                      "your scope)");
    return std::nullopt;
  }
  return std::move(*found);
}

// 项目 by 项目编号, else by its exact name among the projects the caller sees.
std::optional<int64_t> ProblemImporter::ProjectCell(int64_t r, const std::string& text) {
  auto by_code = storage::FindProjectByCode(ctx_.read, text);
  if (!by_code.ok()) {
    ctx_.fatal = by_code.status();
    return std::nullopt;
  }
  if (*by_code && ProjectVisible(ctx_.p(), **by_code)) return (*by_code)->id;
  storage::ProjectFilter f{.scope = ScopeSql(ctx_.p()), .q = text, .page_size = 20, .with_facets = false};
  f.only_enterprise_id = ctx_.p().enterprise_id;
  auto page = storage::ListProjects(ctx_.read, f);
  if (!page.ok()) {
    ctx_.fatal = page.status();
    return std::nullopt;
  }
  std::vector<const storage::Project*> named;
  for (const auto& p : page->items) {
    if (p.data.name == text && ProjectVisible(ctx_.p(), p)) named.push_back(&p);
  }
  if (named.size() == 1) return named[0]->id;
  if (named.empty()) {
    Problem(r, kProject, "找不到项目「" + QuoteForMessage(text) + "」(按项目编号或名称),或不在您的数据范围内 (no such "
                         "project in your data scope)");
  } else {
    std::vector<std::string> names;
    for (const auto* p : named) names.push_back(p->data.name + "(" + p->data.code + ")");
    Problem(r, kProject, ledger_io::Ambiguous(text, names, "请填写项目编号"));
  }
  return std::nullopt;
}

// The plain columns into the create check's body. A cell naming what the
// item already has (the export writes names) keeps it without a lookup.
void ProblemImporter::ReadPlain(int64_t r, const storage::Problem* existing, Json& body) {
  const ledger_io::Sheet& sheet = ctx_.sheet;
  if (sheet.Present(kTitle)) body["title"] = Text(r, kTitle);
  if (sheet.Present(kCategory)) {
    auto code = categories_.Code(Text(r, kCategory), "类别");
    if (code.ok()) {
      body["category"] = *code;
    } else {
      Problem(r, kCategory, code.status().message());
    }
  }
  if (sheet.Present(kSource)) {
    auto v = Enum(r, kSource, &domain::ParseProblemSource, domain::ProblemSources());
    body["source"] = std::string(domain::Code(v.value_or(domain::ProblemSource::kOther)));
  }
  if (sheet.Present(kUrgency)) {
    auto v = Enum(r, kUrgency, &domain::ParseProblemUrgency, domain::ProblemUrgencies());
    body["urgency"] = std::string(domain::Code(v.value_or(domain::ProblemUrgency::kNormal)));
  }
  if (sheet.Present(kRaisedOn) && !existing) {
    if (auto d = Day(r, kRaisedOn)) body["raised_on"] = *d;
  }
  if (sheet.Present(kEnterprise)) {
    std::string t = Text(r, kEnterprise);
    if (t.empty()) {
      body.erase("enterprise_id");
    } else if (!existing || t != existing->enterprise_name) {
      const auto* by_code = firms_.ByCode(domain::NormalizeCreditCode(t));
      auto id = by_code ? StatusOr<int64_t>(by_code->id) : firms_.ByName(t);
      if (id.ok()) {
        body["enterprise_id"] = *id;
      } else {
        Problem(r, kEnterprise, id.status().message());
      }
    }
  }
  if (sheet.Present(kProject)) {
    std::string t = Text(r, kProject);
    if (t.empty()) {
      body.erase("project_id");
    } else if (!existing || (t != existing->project_name && t != existing->project_code)) {
      if (auto id = ProjectCell(r, t)) body["project_id"] = *id;
    }
  }
}

// A new item's state from the workflow's columns (§ Import: the status rule).
std::optional<storage::ImportedState> ProblemImporter::ReadState(int64_t r, const Json& body) {
  using S = domain::ProblemStatus;
  const std::string lead_text = Text(r, kLead);
  const std::optional<int64_t> lead = lead_text.empty() ? std::nullopt : UnitCell(r, kLead, lead_text);
  std::vector<int64_t> co;
  for (const auto& name : ledger_io::SplitList(Text(r, kCoUnits))) {
    if (auto id = UnitCell(r, kCoUnits, name)) {
      if (lead && *id == *lead) Problem(r, kCoUnits, "协办单位「" + name + "」就是责任单位 (the lead unit again)");
      if (std::find(co.begin(), co.end(), *id) == co.end()) co.push_back(*id);
    }
  }
  const S status = Enum(r, kStatus, &domain::ParseProblemStatus, domain::ProblemStatuses())
                       .value_or(lead_text.empty() ? S::kPending : S::kAssigned);
  const std::string label(domain::Label(status));
  std::optional<std::string> deadline = Day(r, kDeadline), resolved = Day(r, kResolvedOn), closed = Day(r, kClosedOn);
  const std::string result = Text(r, kResult);
  const auto satisfaction = Enum(r, kSatisfaction, &domain::ParseSatisfaction, domain::Satisfactions());
  const bool done = status == S::kResolved || status == S::kClosed;
  const bool assigned = status != S::kPending && status != S::kReturned;

  if (assigned && lead_text.empty()) Problem(r, kLead, "状态为「" + label + "」,需要责任单位 (a lead unit is required)");
  if (status == S::kPending && !lead_text.empty()) {
    Problem(r, kLead, "待受理的问题还没有责任单位;已交办的请把状态填为已交办 (a pending item has no lead unit)");
  }
  if (lead_text.empty() && !co.empty()) Problem(r, kCoUnits, "协办单位需要责任单位 (co-units need a lead unit)");
  if (lead_text.empty() && deadline) Problem(r, kDeadline, "没有责任单位的问题没有办理时限 (no lead unit, no deadline)");
  if (done && result.empty()) Problem(r, kResult, "状态为「" + label + "」,需要办理结果 (a result is required)");
  if (!done && !result.empty()) {
    Problem(r, kResult, "状态为「" + label + "」,不应有办理结果 (only resolved or closed items have a result)");
  }
  if (!done && resolved) Problem(r, kResolvedOn, "状态为「" + label + "」,不应有办结时间 (not resolved)");
  if (status != S::kClosed && closed) Problem(r, kClosedOn, "状态为「" + label + "」,不应有销号时间 (not closed)");
  if (!done && satisfaction) Problem(r, kSatisfaction, "只有已办结、已销号的问题有满意度 (only resolved items are rated)");
  if (satisfaction == domain::Satisfaction::kUnsatisfied) {
    Problem(r, kSatisfaction, "不满意的问题要重新办理,请导入为「办理中」 (an unsatisfied item is reopened)");
  }
  // 办结时间 dates the figures (办理天数, 按时办结率): never guessed as today.
  if (done && !resolved) {
    if (closed) {
      resolved = closed;
      ctx_.problems.Warn(r, ctx_.sheet.Header(kResolvedOn), "办结时间未填写,按销号时间 " + *closed + " 记录 (taken from 销号时间)");
    } else {
      Problem(r, kResolvedOn, "状态为「" + label + "」,需要办结时间 (a resolution date is required)");
    }
  }
  if (status == S::kClosed && !closed && resolved) {
    closed = resolved;
    ctx_.problems.Warn(r, ctx_.sheet.Header(kClosedOn), "销号时间未填写,按办结时间 " + *resolved + " 记录 (taken from 办结时间)");
  }
  const Date raised = body.contains("raised_on") ? *Date::Parse(body.at("raised_on").get<std::string>()) : today_;
  const std::string today = today_.ToString();
  if (resolved && (*resolved < raised.ToString() || *resolved > today)) {
    Problem(r, kResolvedOn, "办结时间 " + *resolved + " 应在提出时间 " + raised.ToString() + " 与今天之间 (out of range)");
  }
  if (closed && resolved && (*closed < *resolved || *closed > today)) {
    Problem(r, kClosedOn, "销号时间 " + *closed + " 应在办结时间 " + *resolved + " 与今天之间 (out of range)");
  }
  if (deadline && *deadline < raised.ToString()) {
    Problem(r, kDeadline, "办理时限 " + *deadline + " 早于提出时间 " + raised.ToString() + " (before raised_on)");
  }
  if (!row_ok_) return std::nullopt;

  storage::ImportedState st{.status = std::string(domain::Code(status)), .result = result};
  if (!lead_text.empty()) {
    st.lead_unit_id = lead;
    st.co_unit_ids = co;
    st.assigned_on = raised.ToString();
    const std::string category = body.value("category", "");
    st.deadline = deadline ? *deadline
                           : domain::SlaDeadline(*cal_, raised, storage::SlaDaysFor(settings_, category)).ToString();
  }
  if (resolved) {
    st.resolved_on = resolved;
    st.resolve_days = cal_->WorkingDaysBetween(raised, *Date::Parse(*resolved));
  }
  st.closed_on = closed;
  if (satisfaction) {
    st.satisfaction = std::string(domain::Code(*satisfaction));
    st.rated_on = closed ? closed : resolved;
  }
  return st;
}

// An existing item's workflow columns are the workflow's: a value that
// differs from the item's is not applied, and said so.
void ProblemImporter::WarnWorkflow(int64_t r, const storage::Problem& p) {
  const ledger_io::Sheet& sheet = ctx_.sheet;
  auto warn = [&](size_t col, const std::string& file, const std::string& now) {
    ctx_.problems.Warn(r, sheet.Header(col),
                       std::string(kColumns[col].header) + "由办理流程维护,已有问题不按文件修改:文件为「" + file +
                           "」,系统中为「" + now + "」 (workflow field not applied)");
  };
  auto day = [&](size_t col, const std::optional<std::string>& now) {
    if (!sheet.Present(col)) return;
    auto d = Day(r, col);
    if (d != now) warn(col, d.value_or(""), now.value_or(""));
  };
  day(kRaisedOn, p.raised_on);
  day(kDeadline, p.deadline);
  day(kResolvedOn, p.resolved_on);
  day(kClosedOn, p.closed_on);
  const std::string status_label = LabelOf(domain::ParseProblemStatus(p.status));
  if (sheet.Present(kStatus)) {
    std::string t = Text(r, kStatus);
    if (!t.empty() && domain::ParseProblemStatus(t) != domain::ParseProblemStatus(p.status)) warn(kStatus, t, status_label);
  }
  if (sheet.Present(kSatisfaction)) {
    std::string t = Text(r, kSatisfaction);
    auto now = p.satisfaction ? domain::ParseSatisfaction(*p.satisfaction) : std::nullopt;
    if (t.empty() ? now.has_value() : (!domain::ParseSatisfaction(t) || domain::ParseSatisfaction(t) != now)) {
      warn(kSatisfaction, t, LabelOf(now));
    }
  }
  if (sheet.Present(kResult)) {
    std::string t = Text(r, kResult);
    if (t != ledger_io::TrimBlank(p.result)) warn(kResult, t, p.result);
  }
  if (sheet.Present(kLead)) {
    std::string t = Text(r, kLead);
    if (t != p.lead_unit_name) warn(kLead, t, p.lead_unit_name);
  }
  if (sheet.Present(kCoUnits)) {
    auto list = ledger_io::SplitList(Text(r, kCoUnits));
    std::set<std::string> file(list.begin(), list.end()), now;
    std::vector<std::string> names;
    for (const auto& u : p.co_units) {
      now.insert(u.name);
      names.push_back(u.name);
    }
    if (file != now) warn(kCoUnits, ledger_io::JoinList(list), ledger_io::JoinList(names));
  }
}

Status ProblemImporter::Row(const io::Row& row) {
  const int64_t r = row.number;
  row_ok_ = true;
  const std::string code = ctx_.sheet.Present(kCode) ? Text(r, kCode) : "";
  std::optional<storage::Problem> existing;
  if (!code.empty()) existing = FindExisting(r, code);
  ZB_RETURN_IF_ERROR(ctx_.fatal);
  const storage::Problem* item = existing ? &*existing : nullptr;

  Json body = item ? BodyOf(*item) : Json::object();
  ReadPlain(r, item, body);
  ZB_RETURN_IF_ERROR(ctx_.fatal);
  std::optional<storage::ImportedState> state;
  if (item) {
    WarnWorkflow(r, *item);
  } else if (row_ok_) {
    state = ReadState(r, body);
  }
  if (!row_ok_) return Status::Ok();
  if (item && body == BodyOf(*item)) {
    ++ctx_.report.unchanged;
    return Status::Ok();
  }
  // POST /api/v1/problems's own check: lengths, the dictionary, what the
  // caller may raise and for which unit.
  auto in = ReadProblemCreate(ctx_.read, ctx_.p(), body, today_);
  if (!in.ok()) {
    if (!ledger_io::RowFailure(in.status())) return in.status();
    ctx_.problems.Add(r, ctx_.sheet.ColumnFor(in.status().field()), in.status().message());
    return Status::Ok();
  }
  in->raised_by = ctx_.p().user_id > 0 ? std::optional<int64_t>(ctx_.p().user_id) : std::nullopt;
  ++(item ? ctx_.report.updated : ctx_.report.created);
  return Write(r, *in, item, state.value_or(storage::ImportedState{}));
}

Status ProblemImporter::Write(int64_t r, const storage::ProblemInput& in, const storage::Problem* existing,
                              const storage::ImportedState& state) {
  if (!ctx_.writing()) return Status::Ok();
  db::Connection& tx = *ctx_.tx;
  int64_t id = 0;
  if (existing) {
    id = existing->id;
    Status s = storage::UpdateImportedProblem(tx, id, existing->version, in, ctx_.now);
    if (!s.ok()) return ctx_.WriteFailed(r, s);
  } else {
    auto created = storage::CreateImportedProblem(tx, in, state, ctx_.now);
    if (!created.ok()) return ctx_.WriteFailed(r, created.status());
    id = *created;
  }
  ZB_ASSIGN_OR_RETURN(storage::Problem after, storage::GetProblem(tx, id));
  return RecordAudit(tx, ctx_.actor.request, ctx_.now, existing ? "problem.update" : "problem.create", "problem",
                     std::to_string(id),
                     ChangedFields(existing ? ProblemItemJson(*existing, *cal_, today_) : Json(nullptr),
                                   ProblemItemJson(after, *cal_, today_)));
}

}  // namespace

void RegisterProblemIoRoutes(http::Router& router, ApiContext& ctx) {
  router.Add(
      "GET", "/api/v1/problems/export",
      {.summary = "导出问题台账 .xlsx:筛选、搜索与排序同列表,至多 20 万条;导出记入操作日志 (export the problem ledger)",
       .tag = kTag,
       .permission = "problem:read",
       .query = ProblemFilterDocs(),
       .success_content_type = kXlsxType},
      [&ctx](Request& req) -> StatusOr<Response> {
        const int64_t now = ctx.clock->NowMs();
        const Date today = ctx.clock->Today();
        std::string bytes;
        size_t rows = 0;
        {
          ZB_ASSIGN_OR_RETURN(auto conn, ctx.pool->Read());
          ZB_ASSIGN_OR_RETURN(storage::ProblemFilter f, ReadProblemFilter(*conn, req));
          const storage::ProblemScope scope = ProblemScopeOf(*req.principal());
          ZB_ASSIGN_OR_RETURN(auto count, storage::ListProblems(*conn, scope, f, today, 1, 1, false));
          if (count.total > kMaxLedgerExportRows) {
            return ValidationFailed("符合条件的问题有 " + std::to_string(count.total) + " 条,超过单次导出上限 " +
                                    std::to_string(kMaxLedgerExportRows) +
                                    " 条,请增加筛选条件 (too many rows to export; narrow the filter)");
          }
          ZB_ASSIGN_OR_RETURN(auto items, storage::ListAllProblems(*conn, scope, f, today, kMaxLedgerExportRows));
          ZB_ASSIGN_OR_RETURN(auto cal, storage::CurrentCalendar(*conn));
          ZB_ASSIGN_OR_RETURN(std::string root, RootName(*conn));
          ZB_ASSIGN_OR_RETURN(auto writer, io::XlsxWriter::Create());
          ZB_RETURN_IF_ERROR(writer->AddSheet(
              ledger_io::ColumnsSheet("问题台账", kColumns, {root + "问题台账", ExportLine(DescribeFilter(req), now)})));
          int64_t n = 0;
          for (const auto& p : items) {
            std::string co_units, category = p.category_label.empty() ? p.category : p.category_label;
            for (const auto& u : p.co_units) co_units += (co_units.empty() ? "" : "、") + u.name;
            const auto status = domain::ParseProblemStatus(p.status).value_or(domain::ProblemStatus::kPending);
            std::optional<Date> deadline;
            if (p.deadline) {
              if (auto d = Date::Parse(*p.deadline); d.ok()) deadline = *d;
            }
            const int64_t overdue = domain::OverdueDays(*cal, status, deadline, today);
            io::XlsxRow row = {++n,
                               p.code,
                               p.title,
                               p.enterprise_name,
                               p.project_name,
                               category,
                               LabelOf(domain::ParseProblemSource(p.source)),
                               LabelOf(domain::ParseProblemUrgency(p.urgency)),
                               DayCell(p.raised_on),
                               p.lead_unit_name,
                               co_units,
                               DayCell(p.deadline),
                               std::string(domain::Label(status)),
                               overdue > 0 ? io::XlsxCell(overdue) : io::XlsxCell(),
                               p.result,
                               DayCell(p.resolved_on),
                               DayCell(p.closed_on),
                               p.satisfaction ? LabelOf(domain::ParseSatisfaction(*p.satisfaction)) : ""};
            ZB_RETURN_IF_ERROR(writer->AddRow(row));
          }
          rows = items.size();
          ZB_ASSIGN_OR_RETURN(bytes, writer->Finish());
        }
        Json given = Json::object();
        for (const auto& d : ProblemFilterDocs()) {
          if (auto v = req.Query(d.name); v && !v->empty()) given[d.name] = std::string(*v);
        }
        ZB_RETURN_IF_ERROR(RecordExport(ctx, req, now, "problem", given, rows));
        return XlsxDownload(std::move(bytes), "问题台账", "problems", now);
      });

  router.Add("GET", "/api/v1/problems/import-template",
             {.summary = "问题导入模板 .xlsx(表头、示例行、说明页) (the problem import template)",
              .tag = kTag,
              .permission = "problem:write",
              .success_content_type = kXlsxType},
             [&ctx](Request& req) -> StatusOr<Response> {
               const int64_t now = ctx.clock->NowMs();
               ZB_ASSIGN_OR_RETURN(auto conn, ctx.pool->Read());
               ZB_ASSIGN_OR_RETURN(auto cats, storage::ListDictItems(*conn, "problem_category", false));
               auto labels = [](const auto& defs) {
                 std::vector<std::string> out;
                 for (const auto& d : defs) out.emplace_back(d.label);
                 return ledger_io::JoinList(out);
               };
               const std::vector<ColumnSpec> cols = TemplateColumns();
               io::XlsxSheet data = ledger_io::ColumnsSheet("问题台账", cols, {});
               data.rows.push_back({std::string(""), std::string("示例:厂区供电接入迟迟未办(导入前请删除本行)"),
                                    std::string("示例科技有限公司"), std::string(""),
                                    cats.empty() ? std::string("") : cats.front().label, std::string("走访发现"),
                                    std::string("一般"), io::XlsxDate{LocalDate(now)}});
               const std::map<std::string, std::string> allowed = {{"类别", labels(cats)},
                                                                   {"来源", labels(domain::ProblemSources())},
                                                                   {"紧急程度", labels(domain::ProblemUrgencies())},
                                                                   {"状态", labels(domain::ProblemStatuses())},
                                                                   {"满意度", labels(domain::Satisfactions())}};
               ZB_ASSIGN_OR_RETURN(std::string bytes,
                                   io::WriteXlsxSheets({data, ledger_io::ImportNotesSheet(cols, allowed)}));
               return XlsxDownload(std::move(bytes), "问题导入模板", "problem-import-template", now);
             });

  router.Add("POST", "/api/v1/problems/import",
             {.summary = "导入问题台账(.xlsx / .csv,UTF-8 或 GBK):按编号更新或新建,新问题按文件中的状态;dry_run 只检查;"
                         "有问题则全部不写入;不发送消息 (import the problem ledger; all rows or none)",
              .tag = kTag,
              .permission = "problem:assign",
              .query = {{.name = "dry_run",
                         .type = "boolean",
                         .description = "只检查、不写入,返回全部问题。请求体为文件:multipart/form-data 的 file 字段,"
                                        "或 .xlsx/.csv 原始内容"}},
              .response_schema = ImportReportSchema()},
             [&ctx](Request& req) -> StatusOr<Response> {
               ZB_ASSIGN_OR_RETURN(bool dry_run, QueryBool(req, "dry_run", false));
               const int64_t now = ctx.clock->NowMs();
               ZB_ASSIGN_OR_RETURN(std::string bytes, UploadedFile(req));
               ZB_ASSIGN_OR_RETURN(
                   ImportReport report,
                   ledger_io::RunImport({kColumns, kTitle, kSeq, "problem"}, *ctx.pool, {*req.principal(), req},
                                        std::move(bytes), now, {.dry_run = dry_run},
                                        [](ledger_io::ImportContext& c) { return std::make_unique<ProblemImporter>(c); }));
               return ImportResponse(report);
             });
}

}  // namespace zb::api
