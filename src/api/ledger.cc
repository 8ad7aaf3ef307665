#include "api/ledger.h"
#include "api/ledger_io.h"

#include <algorithm>
#include <array>
#include <map>
#include <optional>
#include <set>
#include <span>
#include <cctype>
#include <cstdlib>
#include <tuple>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "api/audit.h"
#include "api/enterprises.h"
#include "api/project_input.h"
#include "api/scope.h"
#include "core/date.h"
#include "core/money.h"
#include "core/text.h"
#include "domain/credit_code.h"
#include "domain/project.h"
#include "io/csv_reader.h"
#include "io/xlsx.h"
#include "io/xlsx_reader.h"
#include "storage/dict_repo.h"
#include "storage/org_unit_repo.h"
#include "storage/user_repo.h"
#include "storage/warning_store.h"

namespace zb::api {

using http::Json;
using io::Cell;
using io::CellKind;

// The importers' building blocks (declared in api/ledger.h, shared with the
// 问题台账's importer).
namespace ledger_io {

// ---- text --------------------------------------------------------------------------

bool StartsWithAt(std::string_view s, size_t i, std::string_view what) { return s.substr(i, what.size()) == what; }

// Surrounding ASCII blanks and U+3000 removed.
std::string TrimBlank(std::string_view s) {
  for (bool changed = true; changed;) {
    changed = false;
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r' || s.front() == '\n')) {
      s.remove_prefix(1);
      changed = true;
    }
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n')) {
      s.remove_suffix(1);
      changed = true;
    }
    if (s.starts_with("\u3000")) {
      s.remove_prefix(3);
      changed = true;
    }
    if (s.ends_with("\u3000")) {
      s.remove_suffix(3);
      changed = true;
    }
  }
  return std::string(s);
}

// A header as it is compared: no blanks (ASCII, U+3000) or '*' anywhere,
// full-width parentheses as ASCII ones.
std::string NormalizeHeader(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size();) {
    if (s[i] == ' ' || s[i] == '\t' || s[i] == '\r' || s[i] == '\n' || s[i] == '*') {
      ++i;
    } else if (StartsWithAt(s, i, "\u3000") || StartsWithAt(s, i, "\uff0a")) {  // 　 ＊
      i += 3;
    } else if (StartsWithAt(s, i, "\uff08")) {  // （
      out += '(';
      i += 3;
    } else if (StartsWithAt(s, i, "\uff09")) {  // ）
      out += ')';
      i += 3;
    } else {
      out += s[i++];
    }
  }
  return out;
}

// "甲、乙,丙，丁;戊；己" and line breaks → the trimmed, non-empty items.
std::vector<std::string> SplitList(std::string_view s) {
  std::vector<std::string> out;
  std::string item;
  auto flush = [&] {
    std::string t = TrimBlank(item);
    if (!t.empty()) out.push_back(std::move(t));
    item.clear();
  };
  for (size_t i = 0; i < s.size();) {
    if (s[i] == ',' || s[i] == ';' || s[i] == '\n' || s[i] == '\r') {
      flush();
      ++i;
    } else if (StartsWithAt(s, i, "、") || StartsWithAt(s, i, "，") || StartsWithAt(s, i, "；")) {
      flush();
      i += 3;
    } else {
      item += s[i++];
    }
  }
  flush();
  return out;
}

std::string JoinList(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& i : items) out += (out.empty() ? "" : "、") + i;
  return out;
}

// ---- cells -------------------------------------------------------------------------

// A cell's content as text (numbers as stored, dates as YYYY-MM-DD).
StatusOr<std::string> CellText(const Cell& c) {
  switch (c.kind) {
    case CellKind::kEmpty: return std::string();
    case CellKind::kText: return TrimBlank(c.text);
    case CellKind::kNumber: return c.text.empty() ? io::ExcelNumberText(c.number) : c.text;
    case CellKind::kBoolean: return std::string(c.number != 0 ? "是" : "否");
    case CellKind::kDate: return c.date.ToString();
    case CellKind::kError: break;
  }
  return ValidationFailed("单元格是错误值 " + c.text + " (the cell holds an Excel error)");
}

// A calendar day: a real Excel date, or text 2024-03-01, 2024/3/1,
// 2024.3.1, 2024年3月1日, 20240301 (a time after it is ignored).
StatusOr<std::optional<std::string>> CellDate(const Cell& c) {
  if (c.kind == CellKind::kDate) return std::optional<std::string>(c.date.ToString());
  if (c.kind == CellKind::kNumber) {
    return ValidationFailed("应为日期,如 2024-03-01 (a date such as 2024-03-01): " + c.text);
  }
  ZB_ASSIGN_OR_RETURN(std::string text, CellText(c));
  if (text.empty()) return std::optional<std::string>();
  std::vector<int> parts;
  std::string digits;
  size_t i = 0;
  for (; i < text.size() && parts.size() < 3;) {
    if (text[i] >= '0' && text[i] <= '9') {
      digits += text[i++];
      continue;
    }
    if (!digits.empty()) {
      if (digits.size() > 4) break;
      parts.push_back(std::stoi(digits));
      digits.clear();
    }
    if (text[i] == '-' || text[i] == '/' || text[i] == '.') {
      ++i;
    } else if (StartsWithAt(text, i, "年") || StartsWithAt(text, i, "月") || StartsWithAt(text, i, "日")) {
      i += 3;
    } else {
      break;
    }
  }
  if (parts.size() < 3 && digits.size() == 8 && parts.empty()) {  // 20240301
    parts = {std::stoi(digits.substr(0, 4)), std::stoi(digits.substr(4, 2)), std::stoi(digits.substr(6, 2))};
    digits.clear();
  } else if (!digits.empty() && digits.size() <= 2 && parts.size() == 2) {
    parts.push_back(std::stoi(digits));
    digits.clear();
  }
  // Whatever follows the day must be a time ("2024-03-01 08:30") or nothing.
  std::string rest = i < text.size() ? TrimBlank(std::string_view(text).substr(i)) : "";
  bool rest_ok = rest.empty() || (rest.find(':') != std::string::npos &&
                                  rest.find_first_not_of("0123456789:. ") == std::string::npos);
  if (parts.size() != 3 || !digits.empty() || !rest_ok) {
    return ValidationFailed("日期格式不正确: " + QuoteForMessage(text) +
                            ",应如 2024-03-01、2024/3/1 或 2024年3月1日 (not a date)");
  }
  auto d = Date::FromYmd(parts[0], parts[1], parts[2]);
  if (!d || parts[0] < 1900) return ValidationFailed("日期不存在: " + QuoteForMessage(text) + " (no such day)");
  return std::optional<std::string>(d->ToString());
}

std::string Ambiguous(std::string_view text, const std::vector<std::string>& candidates, std::string_view hint) {
  return "「" + std::string(text) + "」对应 " + std::to_string(candidates.size()) + " 个:" + JoinList(candidates) +
         "," + std::string(hint) + " (ambiguous name)";
}

StatusOr<std::map<std::string, DictIndex>> LoadDicts(db::Connection& conn) {
  std::map<std::string, DictIndex> out;
  ZB_ASSIGN_OR_RETURN(auto items, storage::ListDictItems(conn, "", /*include_inactive=*/true));
  for (const auto& d : items) {
    DictIndex& x = out[d.dict_type];
    x.label_of[d.code] = d.label;
    x.code_of[d.label] = d.code;
    if (d.active) x.active_labels.push_back(d.label);
  }
  return out;
}

bool UnitVisible(const http::Principal& p, const storage::OrgUnit& u) {
  return u.id == p.org_unit_id || InScope(p, u.id, u.path);
}

// Write failures that belong to a row (the rest are the database failing).
bool RowFailure(const Status& s) {
  switch (s.code()) {
    case StatusCode::kValidationFailed:
    case StatusCode::kNotFound:
    case StatusCode::kAlreadyExists:
    case StatusCode::kVersionConflict:
    case StatusCode::kConflict:
    case StatusCode::kInvalidTransition: return true;
    default: return false;
  }
}


}  // namespace ledger_io

using namespace ledger_io;  // NOLINT: this file is their home

namespace {

// Yuan from a 万元 column: numbers as Excel reads them (15 digits), text as
// people type it ("12.5", "1,234.56", "3亿", "800元"). nullopt when blank.
StatusOr<std::optional<int64_t>> CellMoney(const Cell& c) {
  std::string text;
  if (c.kind == CellKind::kNumber) {
    text = io::ExcelNumberText(c.number);
  } else if (c.kind == CellKind::kDate) {
    return ValidationFailed("应为金额(万元),不是日期 (an amount in 万元, not a date)");
  } else {
    ZB_ASSIGN_OR_RETURN(text, CellText(c));
  }
  if (text.empty()) return std::optional<int64_t>();
  auto m = Money::Parse(text, {.default_unit = MoneyUnit::kWan});
  if (!m.ok()) return ValidationFailed(m.status().message() + " (amount in 万元)");
  return std::optional<int64_t>(m->yuan());
}

StatusOr<bool> CellYesNo(const Cell& c) {
  if (c.kind == CellKind::kBoolean) return c.number != 0;
  ZB_ASSIGN_OR_RETURN(std::string t, CellText(c));
  for (const char* yes : {"是", "Y", "y", "YES", "Yes", "yes", "TRUE", "true", "True", "1", "√"}) {
    if (t == yes) return true;
  }
  for (const char* no : {"否", "", "N", "n", "NO", "No", "no", "FALSE", "false", "False", "0", "×"}) {
    if (t == no) return false;
  }
  return ValidationFailed("应填 是 或 否: " + QuoteForMessage(t) + " (yes or no)");
}

// ---- lookups: names → ids, ids → names -----------------------------------------------

struct UserIndex {
  struct Entry {
    int64_t id;
    std::string login, name;
    bool active;
  };
  std::vector<Entry> users;
  std::unordered_map<int64_t, size_t> by_id;
  std::unordered_map<std::string, size_t> by_login;
  std::unordered_map<std::string, std::vector<size_t>> by_name;

  static StatusOr<UserIndex> Load(db::Connection& conn) {
    UserIndex x;
    storage::UserFilter f{.scope = storage::ScopeFilterSql{.all = true}, .page_size = storage::kMaxPageSize};
    for (f.page = 1;; ++f.page) {
      ZB_ASSIGN_OR_RETURN(auto page, storage::ListUsers(conn, f));
      for (const auto& u : page.items) {
        x.by_id[u.id] = x.users.size();
        x.by_login[u.login] = x.users.size();
        x.by_name[u.display_name].push_back(x.users.size());
        x.users.push_back({u.id, u.login, u.display_name, u.active});
      }
      if (static_cast<int64_t>(page.items.size()) < f.page_size) break;
    }
    return x;
  }

  // The display name, or "显示名(login)" when another user has the same name.
  std::string Display(int64_t id) const {
    auto it = by_id.find(id);
    if (it == by_id.end()) return "";
    const Entry& u = users[it->second];
    return by_name.at(u.name).size() > 1 ? u.name + "(" + u.login + ")" : u.name;
  }

  // "显示名(login)", a login, or a display name (active users first).
  StatusOr<int64_t> Find(const std::string& text) const {
    std::string key = text;
    for (const char* open : {"(", "（"}) {
      size_t at = key.find(open);
      if (at != std::string::npos && at > 0) {
        std::string inner = key.substr(at + std::string_view(open).size());
        for (const char* close : {")", "）"}) {
          if (inner.ends_with(close)) key = TrimBlank(inner.substr(0, inner.size() - std::string_view(close).size()));
        }
      }
    }
    std::string lower = key;
    for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (auto it = by_login.find(lower); it != by_login.end()) return users[it->second].id;
    if (auto it = by_name.find(text); it != by_name.end()) {
      std::vector<size_t> active;
      for (size_t i : it->second) {
        if (users[i].active) active.push_back(i);
      }
      const std::vector<size_t>& pick = active.empty() ? it->second : active;
      if (pick.size() == 1) return users[pick[0]].id;
      std::vector<std::string> names;
      for (size_t i : pick) names.push_back(users[i].name + "(" + users[i].login + ")");
      return ValidationFailed(Ambiguous(text, names, "请写成「姓名(登录名)」"));
    }
    return ValidationFailed("找不到用户「" + QuoteForMessage(text) + "」(按姓名或登录名) (no such user)");
  }
};

// ---- sheet layouts ---------------------------------------------------------------------

enum ProjectColumn {
  kPSeq, kPCode, kPName, kPEnterprise, kPCreditCode, kPUnit, kPBoard, kPCategory, kPLevel, kPType, kPStage,
  kPTotal, kPPlan, kPContent, kPAddress, kPPlannedSigned, kPActualSigned, kPPlannedStarted, kPActualStarted,
  kPPlannedCompleted, kPActualCompleted, kPPlannedOperating, kPActualOperating, kPLeader, kPResponsible,
  kPLiaisons, kPTags, kPColumns
};

constexpr std::array<ColumnSpec, kPColumns> kProjectColumns = {{
    {"序号", "", 6, "可留空,导入时忽略"},
    {"项目编号", "code", 16, "留空则新建并自动编号(XM-年份-序号);填写已有编号则更新该项目"},
    {"项目名称", "name", 32, "1–100 字", true},
    {"建设单位", "enterprise_id", 28, "企业库中的企业名称(或统一社会信用代码)"},
    {"统一社会信用代码", "enterprise_id", 22, "建设单位的统一社会信用代码,填写时以此为准"},
    {"属地", "org_unit_id", 16, "您数据范围内的单位名称;重名时写「上级/名称」", true, true},
    {"产业板块", "board", 14, "字典「产业板块」中的名称"},
    {"项目类别", "category", 16, "字典「项目类别」中的名称"},
    {"项目级别", "level", 10, ""},
    {"项目类型", "project_type", 10, ""},
    {"建设阶段", "stage", 10, "仅对新项目有效(已有项目的阶段请在系统中变更);不能为停缓建"},
    {"总投资(万元)", "total_investment", 14, "万元,最多 4 位小数(精确到元)"},
    {"年度计划投资(万元)", "plans", 18, "导入年度的计划投资,万元;留空删除该年度计划"},
    {"建设内容", "construction_content", 40, "至多 2000 字"},
    {"建设地点", "address", 24, "至多 200 字"},
    {"计划签约", "planned_signed_on", 12, "日期,如 2026-03-01"},
    {"实际签约", "actual_signed_on", 12, "日期;仅新项目,随阶段记录"},
    {"计划开工", "planned_started_on", 12, "日期,不早于计划签约"},
    {"实际开工", "actual_started_on", 12, "日期;仅新项目,随阶段记录"},
    {"计划竣工", "planned_completed_on", 12, "日期,不早于计划开工"},
    {"实际竣工", "actual_completed_on", 12, "日期;仅新项目,随阶段记录"},
    {"计划投产", "planned_operating_on", 12, "日期,不早于计划竣工"},
    {"实际投产", "actual_operating_on", 12, "日期;仅新项目,随阶段记录"},
    {"包保领导", "leader_user_id", 12, "用户姓名或登录名;重名时写「姓名(登录名)」"},
    {"责任部门", "responsible_unit_id", 16, "部门名称"},
    {"包联人员", "liaison_ids", 20, "用户姓名或登录名,多人用 、 或逗号分隔"},
    {"标签", "tags", 20, "多个用 、 或逗号分隔,每个至多 20 字"},
}};

enum EnterpriseColumn {
  kEName, kECreditCode, kEIndustry, kEUnit, kEAddress, kELegal, kEAboveScale, kEContact, kETitle, kEPhone,
  kETags, kEColumns
};

constexpr std::array<ColumnSpec, kEColumns> kEnterpriseColumns = {{
    {"企业名称", "name", 30, "1–100 字", true},
    {"统一社会信用代码", "credit_code", 22, "18 位,按 GB 32100 校验;已登记的代码更新该企业", true},
    {"行业", "industry", 24, "字典「行业」中的名称"},
    {"属地", "org_unit_id", 16, "您数据范围内的单位名称;重名时写「上级/名称」", true, true},
    {"地址", "address", 30, "至多 200 字"},
    {"法定代表人", "legal_representative", 12, "至多 30 字"},
    {"规上企业", "above_scale", 10, "是 或 否"},
    {"联系人", "contacts", 12, "第一联系人姓名"},
    {"职务", "contacts.title", 14, "第一联系人职务"},
    {"联系电话", "contacts.phone", 16, "数字、空格和 - +"},
    {"标签", "tags", 20, "多个用 、 或逗号分隔,每个至多 20 字"},
}};

// ---- reading a table ---------------------------------------------------------------------

// One read transaction over a whole import or export on a read lease: every
// row is checked against the same snapshot, and SQLite keeps its page cache
// between statements instead of re-validating it for each (the reads of a
// 100 000-row file take a third of the time). Ended when it goes out of
// scope; nothing is written through it.
class ReadSnapshot {
 public:
  explicit ReadSnapshot(db::Connection& conn) : conn_(conn) { open_ = conn_.Exec("BEGIN").ok(); }
  ~ReadSnapshot() {
    if (open_) (void)conn_.Exec("ROLLBACK");
  }
  ReadSnapshot(const ReadSnapshot&) = delete;
  ReadSnapshot& operator=(const ReadSnapshot&) = delete;

 private:
  db::Connection& conn_;
  bool open_ = false;
};

// .xlsx when the bytes start with the zip magic, else CSV.
Status ReadTable(std::string bytes, const io::RowSink& sink) {
  if (bytes.size() >= 2 && bytes[0] == 'P' && bytes[1] == 'K') {
    ZB_ASSIGN_OR_RETURN(auto reader, io::XlsxReader::Open(std::move(bytes)));
    if (reader->SheetNames().empty()) return ValidationFailed("工作簿中没有工作表 (the workbook has no sheet)");
    return reader->ReadSheet(size_t{0}, sink);
  }
  return io::ReadCsv(bytes, sink);
}

std::optional<int64_t> UserOrNull(const http::Principal& p) {
  return p.user_id > 0 ? std::optional<int64_t>(p.user_id) : std::nullopt;
}


// ---- projects ---------------------------------------------------------------------------

http::Json OptJson(const std::optional<std::string>& v) { return v ? Json(*v) : Json(nullptr); }
http::Json OptJson(const std::optional<int64_t>& v) { return v ? Json(*v) : Json(nullptr); }

// The project's editable fields under their API names, for audit entries.
// A project as its import audit entries show it: one field a key.
struct AuditField {
  const char* key;
  Json (*get)(const storage::Project&);
};
const AuditField kProjectAuditFields[] = {
    {"code", [](const storage::Project& p) { return Json(p.data.code); }},
    {"name", [](const storage::Project& p) { return Json(p.data.name); }},
    {"enterprise_id", [](const storage::Project& p) { return OptJson(p.data.enterprise_id); }},
    {"enterprise_name", [](const storage::Project& p) { return Json(p.enterprise_name); }},
    {"org_unit_id", [](const storage::Project& p) { return Json(p.data.org_unit_id); }},
    {"org_unit_name", [](const storage::Project& p) { return Json(p.org_unit_name); }},
    {"board", [](const storage::Project& p) { return Json(p.data.board); }},
    {"category", [](const storage::Project& p) { return Json(p.data.category); }},
    {"level", [](const storage::Project& p) { return Json(p.data.level); }},
    {"project_type", [](const storage::Project& p) { return Json(p.data.project_type); }},
    {"stage", [](const storage::Project& p) { return Json(p.stage); }},
    {"total_investment", [](const storage::Project& p) { return Json(p.data.total_investment); }},
    {"construction_content", [](const storage::Project& p) { return Json(p.data.construction_content); }},
    {"address", [](const storage::Project& p) { return Json(p.data.address); }},
    {"planned_signed_on", [](const storage::Project& p) { return OptJson(p.data.planned_signed_on); }},
    {"actual_signed_on", [](const storage::Project& p) { return OptJson(p.data.actual_signed_on); }},
    {"planned_started_on", [](const storage::Project& p) { return OptJson(p.data.planned_started_on); }},
    {"actual_started_on", [](const storage::Project& p) { return OptJson(p.data.actual_started_on); }},
    {"planned_completed_on", [](const storage::Project& p) { return OptJson(p.data.planned_completed_on); }},
    {"actual_completed_on", [](const storage::Project& p) { return OptJson(p.data.actual_completed_on); }},
    {"planned_operating_on", [](const storage::Project& p) { return OptJson(p.data.planned_operating_on); }},
    {"actual_operating_on", [](const storage::Project& p) { return OptJson(p.data.actual_operating_on); }},
    {"leader_user_id", [](const storage::Project& p) { return OptJson(p.data.leader_user_id); }},
    {"leader_name", [](const storage::Project& p) { return Json(p.leader_name); }},
    {"responsible_unit_id", [](const storage::Project& p) { return OptJson(p.data.responsible_unit_id); }},
    {"responsible_unit_name", [](const storage::Project& p) { return Json(p.responsible_unit_name); }},
    {"liaisons",
     [](const storage::Project& p) {
       Json liaisons = Json::array();
       for (size_t i = 0; i < p.data.liaison_ids.size(); ++i) {
         liaisons.push_back(
             {{"id", p.data.liaison_ids[i]}, {"name", i < p.liaison_names.size() ? p.liaison_names[i] : ""}});
       }
       return liaisons;
     }},
    {"tags", [](const storage::Project& p) { return Json(p.data.tags); }},
    {"plans",
     [](const storage::Project& p) {
       Json plans = Json::array();
       for (const auto& plan : p.data.plans) {
         plans.push_back({{"year", plan.year},
                          {"planned_investment", plan.planned_investment},
                          {"goal_start", plan.goal_start},
                          {"goal_complete", plan.goal_complete},
                          {"goal_operate", plan.goal_operate}});
       }
       return plans;
     }},
};

// A created project's entry: ChangedFields(nullptr, every field).
Json ProjectCreatedAudit(const storage::Project& p) {
  Json after = Json::object();
  for (const AuditField& f : kProjectAuditFields) after[f.key] = f.get(p);
  return {{"after", std::move(after)}};
}

// An updated one's: ChangedFields of the two, built for the keys that
// differ only (an import of 100 000 rows writes as many entries).
Json ProjectUpdatedAudit(const storage::Project& before, const storage::Project& after) {
  Json b = Json::object(), a = Json::object();
  for (const AuditField& f : kProjectAuditFields) {
    Json old_value = f.get(before), new_value = f.get(after);
    if (old_value == new_value) continue;
    b[f.key] = std::move(old_value);
    a[f.key] = std::move(new_value);
  }
  return {{"after", std::move(a)}, {"before", std::move(b)}};
}

bool SameData(const storage::ProjectData& a, const storage::ProjectData& b) {
  auto tie = [](const storage::ProjectData& d) {
    return std::tie(d.code, d.name, d.enterprise_id, d.org_unit_id, d.board, d.category, d.level, d.project_type,
                    d.total_investment, d.construction_content, d.address, d.lng, d.lat, d.planned_signed_on,
                    d.actual_signed_on, d.planned_started_on, d.actual_started_on, d.planned_completed_on,
                    d.actual_completed_on, d.planned_operating_on, d.actual_operating_on, d.leader_user_id,
                    d.responsible_unit_id, d.liaison_ids, d.tags, d.plans, d.team_ids);
  };
  return tie(a) == tie(b);
}

std::string LevelLabel(const std::string& code) {
  for (const auto& l : domain::ProjectLevels()) {
    if (l.code == code) return std::string(l.label);
  }
  return code;
}
std::string TypeLabel(const std::string& code) {
  auto t = domain::ParseProjectType(code);
  return t ? std::string(domain::ProjectTypeLabel(*t)) : code;
}
std::string StageLabel(const std::string& code) {
  auto s = domain::ParseProjectStage(code);
  return s ? std::string(domain::ProjectStageLabel(*s)) : code;
}

std::string StageLabels() {
  std::vector<std::string> out;
  for (const auto& s : domain::ProjectStages()) out.emplace_back(s.label);
  return JoinList(out);
}

// The four actual dates: the column, the member, and the main-line stage
// whose move sets it.
struct ActualDateColumn {
  ProjectColumn column;
  std::optional<std::string> storage::ProjectData::*member;
  domain::ProjectStage stage;
};
constexpr std::array<ActualDateColumn, 4> kActualDates = {{
    {kPActualSigned, &storage::ProjectData::actual_signed_on, domain::ProjectStage::kSigned},
    {kPActualStarted, &storage::ProjectData::actual_started_on, domain::ProjectStage::kBuilding},
    {kPActualCompleted, &storage::ProjectData::actual_completed_on, domain::ProjectStage::kCompleted},
    {kPActualOperating, &storage::ProjectData::actual_operating_on, domain::ProjectStage::kOperating},
}};

constexpr std::array<std::pair<ProjectColumn, std::optional<std::string> storage::ProjectData::*>, 4> kPlannedDates =
    {{{kPPlannedSigned, &storage::ProjectData::planned_signed_on},
      {kPPlannedStarted, &storage::ProjectData::planned_started_on},
      {kPPlannedCompleted, &storage::ProjectData::planned_completed_on},
      {kPPlannedOperating, &storage::ProjectData::planned_operating_on}}};

// Position on the main line (谋划 0 … 投产 6); 停缓建/终止 are off it.
int MainLineIndex(domain::ProjectStage s) {
  switch (s) {
    case domain::ProjectStage::kSuspended:
    case domain::ProjectStage::kTerminated: return -1;
    default: return static_cast<int>(s);
  }
}

class ProjectImporter : public RowImporter {
 public:
  explicit ProjectImporter(ImportContext& ctx) : ctx_(ctx) {}

  Status Load() override {
    ZB_ASSIGN_OR_RETURN(units_, UnitIndex::Load(ctx_.read));
    ZB_ASSIGN_OR_RETURN(users_, UserIndex::Load(ctx_.read));
    ZB_ASSIGN_OR_RETURN(dicts_, LoadDicts(ctx_.read));
    const http::Principal& p = ctx_.p();
    storage::EnterpriseFilter visible;
    if (p.enterprise_id) {
      visible.only_id = *p.enterprise_id;
    } else {
      visible.scope = ScopeSql(p);
    }
    ZB_ASSIGN_OR_RETURN(firms_, EnterpriseIndex::Load(ctx_.read, visible));
    year_ = ctx_.options.year > 0 ? ctx_.options.year : LocalDate(ctx_.now).year();
    today_ = LocalDate(ctx_.now).ToString();
    return Status::Ok();
  }

  Status Row(const io::Row& row) override;

  // The rows' dates decide their warnings (storage/warning_store.h): those
  // created or whose dates moved are recomputed, one project at a time for a
  // few, one pass over all for many.
  Status Finish(db::Connection& tx) override {
    if (ctx_.written.empty()) return Status::Ok();
    ZB_ASSIGN_OR_RETURN(storage::WarningContext wc, storage::LoadWarningContext(tx, LocalDate(ctx_.now)));
    if (ctx_.written.size() > 1000) return storage::RecomputeAll(tx, wc).status();
    for (int64_t id : ctx_.written) ZB_RETURN_IF_ERROR(storage::RecomputeProject(tx, id, wc));
    return Status::Ok();
  }

 private:
  void Problem(int64_t row, size_t spec, std::string message) {
    ctx_.problems.Add(row, ctx_.sheet.Header(spec), std::move(message));
    row_ok_ = false;
  }

  std::optional<storage::Project> FindExisting(int64_t r, const std::string& code);
  void ApplyEnterprise(int64_t r, storage::ProjectData& d);
  void ApplyColumns(int64_t r, storage::ProjectData& d, const storage::Project* existing,
                    std::optional<domain::ProjectStage>* stage);
  Status Write(int64_t r, storage::ProjectData& d, const storage::Project* existing,
               std::optional<domain::ProjectStage> stage);

  ImportContext& ctx_;
  UnitIndex units_;
  UserIndex users_;
  EnterpriseIndex firms_;
  std::map<std::string, DictIndex> dicts_;
  int year_ = 0;
  std::string today_;
  std::unordered_map<std::string, int64_t> seen_codes_;  // 项目编号 → first row
  bool row_ok_ = true;
};

std::optional<storage::Project> ProjectImporter::FindExisting(int64_t r, const std::string& code) {
  if (auto [it, fresh] = seen_codes_.emplace(code, r); !fresh) {
    Problem(r, kPCode, "项目编号 " + QuoteForMessage(code) + " 与第 " + std::to_string(it->second) +
                           " 行重复 (the same code twice in the file)");
    return std::nullopt;
  }
  auto found = storage::FindProjectByCode(ctx_.read, code);
  if (!found.ok()) {
    ctx_.fatal = found.status();
    return std::nullopt;
  }
  if (*found && !ProjectVisible(ctx_.p(), **found)) {
    Problem(r, kPCode, "项目编号 " + QuoteForMessage(code) +
                           " 已被您数据范围以外的项目使用 (the code belongs to a project outside your data scope)");
    return std::nullopt;
  }
  return std::move(*found);
}

void ProjectImporter::ApplyEnterprise(int64_t r, storage::ProjectData& d) {
  const bool has_name = ctx_.sheet.Present(kPEnterprise), has_code = ctx_.sheet.Present(kPCreditCode);
  if (!has_name && !has_code) return;
  std::string name = ctx_.Text(r, kPEnterprise, &row_ok_);
  std::string code = domain::NormalizeCreditCode(ctx_.Text(r, kPCreditCode, &row_ok_));
  if (!code.empty()) {
    const EnterpriseIndex::Entry* e = firms_.ByCode(code);
    if (!e) {
      Problem(r, kPCreditCode, "找不到统一社会信用代码为 " + QuoteForMessage(code) +
                                   " 的企业,或不在您的数据范围内;请先在企业库登记 (no such enterprise)");
      return;
    }
    if (!name.empty() && name != e->name) {
      Problem(r, kPEnterprise, "建设单位「" + QuoteForMessage(name) + "」与统一社会信用代码 " + code +
                                   " 登记的企业名称「" + e->name + "」不一致 (name and credit code disagree)");
      return;
    }
    d.enterprise_id = e->id;
  } else if (!name.empty()) {
    auto id = firms_.ByName(name);
    if (!id.ok()) return Problem(r, kPEnterprise, id.status().message());
    d.enterprise_id = *id;
  } else {
    d.enterprise_id.reset();
  }
}

void ProjectImporter::ApplyColumns(int64_t r, storage::ProjectData& d, const storage::Project* existing,
                                   std::optional<domain::ProjectStage>* stage) {
  const Sheet& sheet = ctx_.sheet;
  auto text = [&](size_t spec, std::string* target) {
    if (sheet.Present(spec)) *target = ctx_.Text(r, spec, &row_ok_);
  };
  text(kPName, &d.name);
  text(kPContent, &d.construction_content);
  text(kPAddress, &d.address);
  ApplyEnterprise(r, d);
  if (sheet.Present(kPUnit)) {
    std::string name = ctx_.Text(r, kPUnit, &row_ok_);
    if (name.empty()) {
      d.org_unit_id = 0;  // the check says it is required
    } else {
      auto id = units_.Find(name, [&](const storage::OrgUnit& u) { return UnitVisible(ctx_.p(), u); }, "属地");
      if (id.ok()) {
        d.org_unit_id = *id;
      } else {
        Problem(r, kPUnit, id.status().message());
      }
    }
  }
  if (sheet.Present(kPResponsible)) {
    std::string name = ctx_.Text(r, kPResponsible, &row_ok_);
    if (name.empty()) {
      d.responsible_unit_id.reset();
    } else {
      auto id = units_.Find(name, [](const storage::OrgUnit& u) { return u.kind == "department"; }, "责任部门");
      if (id.ok()) {
        d.responsible_unit_id = *id;
      } else {
        Problem(r, kPResponsible, id.status().message());
      }
    }
  }
  for (auto [spec, dict, target] : {std::tuple{kPBoard, "board", &d.board}, std::tuple{kPCategory, "category", &d.category}}) {
    if (!sheet.Present(spec)) continue;
    auto code = dicts_[dict].Code(ctx_.Text(r, spec, &row_ok_), kProjectColumns[spec].header);
    if (code.ok()) {
      *target = *code;
    } else {
      Problem(r, spec, code.status().message());
    }
  }
  // Level and type: labels or codes, turned into codes by the check.
  if (sheet.Present(kPLevel)) {
    std::string v = ctx_.Text(r, kPLevel, &row_ok_);
    d.level = v.empty() ? "general" : v;
  }
  if (sheet.Present(kPType)) {
    std::string v = ctx_.Text(r, kPType, &row_ok_);
    d.project_type = v.empty() ? "new" : v;
  }
  if (sheet.Present(kPTotal)) {
    d.total_investment = ctx_.Read<std::optional<int64_t>>(r, kPTotal, CellMoney, &row_ok_).value_or(std::nullopt).value_or(0);
  }
  if (sheet.Present(kPPlan)) {
    auto amount = ctx_.Read<std::optional<int64_t>>(r, kPPlan, CellMoney, &row_ok_).value_or(std::nullopt);
    auto it = std::find_if(d.plans.begin(), d.plans.end(), [&](const auto& p) { return p.year == year_; });
    if (amount) {
      if (it == d.plans.end()) it = d.plans.insert(d.plans.end(), storage::AnnualPlan{.year = year_});
      it->planned_investment = *amount;
    } else if (sheet.Get(kPPlan) == nullptr && it != d.plans.end()) {
      d.plans.erase(it);
    }
  }
  for (auto [spec, member] : kPlannedDates) {
    if (sheet.Present(spec)) d.*member = ctx_.Read<std::optional<std::string>>(r, spec, CellDate, &row_ok_).value_or(std::nullopt);
  }
  // The lifecycle's own fields: a new project's; an existing one keeps its own.
  for (const auto& a : kActualDates) {
    if (!sheet.Present(a.column)) continue;
    auto value = ctx_.Read<std::optional<std::string>>(r, a.column, CellDate, &row_ok_).value_or(std::nullopt);
    if (!existing) {
      d.*a.member = value;
    } else if (value != existing->data.*a.member && sheet.Get(a.column) && row_ok_) {
      ctx_.problems.Warn(r, sheet.Header(a.column),
                         "已有项目的实际日期随阶段变更记录,导入不修改 (actual dates of existing projects are not "
                         "changed by an import)");
    }
  }
  if (sheet.Present(kPStage)) {
    std::string v = ctx_.Text(r, kPStage, &row_ok_);
    if (!v.empty()) {
      auto s = domain::ParseProjectStage(v);
      if (!s) {
        Problem(r, kPStage, "建设阶段「" + QuoteForMessage(v) + "」无效,可选:" + StageLabels() + " (unknown stage)");
      } else if (existing) {
        if (domain::ProjectStageCode(*s) != existing->stage) {
          ctx_.problems.Warn(r, sheet.Header(kPStage),
                             "已有项目的建设阶段为「" + StageLabel(existing->stage) +
                                 "」,导入不变更阶段,请在项目页变更 (an import does not move an existing project)");
        }
      } else {
        *stage = *s;
      }
    }
  }
  if (sheet.Present(kPLeader)) {
    std::string v = ctx_.Text(r, kPLeader, &row_ok_);
    if (v.empty()) {
      d.leader_user_id.reset();
    } else if (auto id = users_.Find(v); id.ok()) {
      d.leader_user_id = *id;
    } else {
      Problem(r, kPLeader, id.status().message());
    }
  }
  if (sheet.Present(kPLiaisons)) {
    d.liaison_ids.clear();
    for (const auto& name : SplitList(ctx_.Text(r, kPLiaisons, &row_ok_))) {
      if (auto id = users_.Find(name); id.ok()) {
        d.liaison_ids.push_back(*id);
      } else {
        Problem(r, kPLiaisons, id.status().message());
      }
    }
  }
  if (sheet.Present(kPTags)) d.tags = SplitList(ctx_.Text(r, kPTags, &row_ok_));
}

Status ProjectImporter::Row(const io::Row& row) {
  const int64_t r = row.number;
  row_ok_ = true;
  std::string code = ctx_.sheet.Present(kPCode) ? ctx_.Text(r, kPCode, &row_ok_) : "";
  std::optional<storage::Project> existing;
  if (!code.empty()) existing = FindExisting(r, code);
  ZB_RETURN_IF_ERROR(ctx_.fatal);
  storage::ProjectData d = existing ? existing->data : storage::ProjectData{};
  if (!existing) d.code = code;
  std::optional<domain::ProjectStage> stage;
  ApplyColumns(r, d, existing ? &*existing : nullptr, &stage);

  // A new project's stage: one legal move from 谋划, dated with its actual date.
  std::string on = today_;
  if (!existing && stage) {
    if (*stage == domain::ProjectStage::kSuspended) {
      Problem(r, kPStage, "新项目不能直接为停缓建:请先导入为原阶段,再在系统中变更为停缓建 (a new project cannot start "
                          "suspended)");
    }
    for (const auto& a : kActualDates) {
      const auto& value = d.*a.member;
      if (!value) continue;
      int reached = MainLineIndex(*stage);
      if (reached >= 0 && reached < MainLineIndex(a.stage)) {
        Problem(r, a.column, "建设阶段为「" + std::string(domain::ProjectStageLabel(*stage)) + "」,不应有" +
                                 kProjectColumns[a.column].header + "日期 (an actual date past the stage)");
      }
      if (a.stage == *stage) on = *value;
    }
    for (const auto& a : kActualDates) {
      if (a.stage == *stage && !(d.*a.member) && row_ok_) {
        ctx_.problems.Warn(r, ctx_.sheet.Header(a.column),
                           std::string(kProjectColumns[a.column].header) + "未填写,按导入当天 " + today_ +
                               " 记录 (no date given: recorded as today)");
      }
    }
    if (on > today_) {
      for (const auto& a : kActualDates) {
        if (a.stage == *stage) Problem(r, a.column, "日期 " + on + " 晚于今天 (in the future)");
      }
    }
  }
  if (!existing && !stage) {
    for (const auto& a : kActualDates) {
      if (d.*a.member) {
        Problem(r, a.column, std::string(kProjectColumns[a.column].header) +
                                 "日期需要相应的建设阶段,请同时填写建设阶段 (an actual date needs its stage)");
      }
    }
  }
  if (!row_ok_) return Status::Ok();

  Status check = CheckProject(ctx_.read, ctx_.p(), d, existing ? &existing->data : nullptr);
  if (!check.ok()) {
    if (!RowFailure(check)) return check;
    std::string column = ctx_.sheet.ColumnFor(check.field());
    ctx_.problems.Add(r, column, check.message());
    return Status::Ok();
  }
  if (existing && SameData(d, existing->data)) {
    ++ctx_.report.unchanged;
    return Status::Ok();
  }
  ++(existing ? ctx_.report.updated : ctx_.report.created);
  return Write(r, d, existing ? &*existing : nullptr, stage);
}

Status ProjectImporter::Write(int64_t r, storage::ProjectData& d, const storage::Project* existing,
                              std::optional<domain::ProjectStage> stage) {
  if (!ctx_.writing()) return Status::Ok();
  db::Connection& tx = *ctx_.tx;
  if (existing) {
    auto updated = storage::UpdateProject(tx, *existing, d, ctx_.now);
    if (!updated.ok()) return ctx_.WriteFailed(r, updated.status());
    if (storage::WarningInputsDiffer(existing->data, updated->data)) ctx_.written.push_back(existing->id);
    return ctx_.Audit("update", "project", existing->id, ProjectUpdatedAudit(*existing, *updated));
  }
  auto created = storage::CreateProject(tx, d, UserOrNull(ctx_.p()), ctx_.now);
  if (!created.ok()) return ctx_.WriteFailed(r, created.status());
  if (stage && *stage != domain::ProjectStage::kPlanning) {
    std::string on = today_;
    for (const auto& a : kActualDates) {
      if (a.stage == *stage && d.*a.member) on = *(d.*a.member);
    }
    auto effect = domain::PlanTransition({}, *stage, *Date::Parse(on));
    if (!effect.ok()) return ctx_.WriteFailed(r, Status(effect.status().code(), effect.status().message(), "stage"));
    storage::Transition move{.to_stage = std::string(domain::ProjectStageCode(effect->to)),
                             .on_date = on,
                             .note = "导入 (import)",
                             .user_id = UserOrNull(ctx_.p())};
    if (effect->sets) move.actual_date_column = std::string(domain::ActualDateField(*effect->sets));
    created = storage::RecordTransition(tx, created->id, created->version, "planning", move, ctx_.now);
    if (!created.ok()) return ctx_.WriteFailed(r, created.status());
  }
  ctx_.written.push_back(created->id);
  return ctx_.Audit("create", "project", created->id, ProjectCreatedAudit(*created));
}

// ---- enterprises ---------------------------------------------------------------------------

class EnterpriseImporter : public RowImporter {
 public:
  explicit EnterpriseImporter(ImportContext& ctx) : ctx_(ctx) {}

  Status Load() override {
    ZB_ASSIGN_OR_RETURN(units_, UnitIndex::Load(ctx_.read));
    ZB_ASSIGN_OR_RETURN(auto dicts, LoadDicts(ctx_.read));
    industries_ = dicts["industry"];
    return Status::Ok();
  }

  Status Row(const io::Row& row) override;

 private:
  void Problem(int64_t row, size_t spec, std::string message) {
    ctx_.problems.Add(row, ctx_.sheet.Header(spec), std::move(message));
    row_ok_ = false;
  }

  ImportContext& ctx_;
  UnitIndex units_;
  DictIndex industries_;
  std::unordered_map<std::string, int64_t> seen_codes_;
  bool row_ok_ = true;
};

bool SameEnterprise(storage::NewEnterprise a, storage::NewEnterprise b) {
  std::sort(a.tags.begin(), a.tags.end());
  std::sort(b.tags.begin(), b.tags.end());
  auto tie = [](const storage::NewEnterprise& e) {
    return std::tie(e.name, e.credit_code, e.industry, e.org_unit_id, e.address, e.legal_representative,
                    e.above_scale, e.contacts, e.tags);
  };
  return tie(a) == tie(b);
}

Status EnterpriseImporter::Row(const io::Row& row) {
  const int64_t r = row.number;
  const Sheet& sheet = ctx_.sheet;
  row_ok_ = true;
  if (!sheet.Present(kECreditCode)) return Status::Ok();  // the header row's problem
  std::string code = domain::NormalizeCreditCode(ctx_.Text(r, kECreditCode, &row_ok_));
  std::optional<storage::Enterprise> existing;
  if (code.empty()) {
    if (row_ok_) Problem(r, kECreditCode, "请填写统一社会信用代码 (credit code is required)");
  } else if (auto [it, fresh] = seen_codes_.emplace(code, r); !fresh) {
    Problem(r, kECreditCode, "统一社会信用代码 " + QuoteForMessage(code) + " 与第 " + std::to_string(it->second) +
                                 " 行重复 (the same credit code twice in the file)");
  } else {
    ZB_ASSIGN_OR_RETURN(auto found, storage::FindEnterpriseByCreditCode(ctx_.read, code));
    if (found) {
      if (!VisibleEnterprise(ctx_.read, ctx_.p(), found->id).ok()) {
        Problem(r, kECreditCode, "统一社会信用代码 " + code +
                                     " 已登记为您数据范围以外的企业 (registered outside your data scope)");
      } else {
        existing = std::move(found);
      }
    }
  }
  storage::NewEnterprise e = existing ? EnterpriseRecord(*existing) : storage::NewEnterprise{};
  if (!existing) e.created_by = UserOrNull(ctx_.p());
  e.credit_code = code;
  auto text = [&](size_t spec, std::string* target) {
    if (sheet.Present(spec)) *target = ctx_.Text(r, spec, &row_ok_);
  };
  text(kEName, &e.name);
  text(kEAddress, &e.address);
  text(kELegal, &e.legal_representative);
  if (sheet.Present(kEIndustry)) {
    auto industry = industries_.Code(ctx_.Text(r, kEIndustry, &row_ok_), "行业");
    if (industry.ok()) {
      e.industry = *industry;
    } else {
      Problem(r, kEIndustry, industry.status().message());
    }
  }
  if (sheet.Present(kEUnit)) {
    std::string name = ctx_.Text(r, kEUnit, &row_ok_);
    if (name.empty()) {
      Problem(r, kEUnit, "请填写属地 (org unit is required)");
    } else if (auto id = units_.Find(name, [&](const storage::OrgUnit& u) { return UnitVisible(ctx_.p(), u); }, "属地");
               id.ok()) {
      e.org_unit_id = *id;
    } else {
      Problem(r, kEUnit, id.status().message());
    }
  } else if (!existing) {
    Problem(r, kEUnit, "新企业需要属地,请增加「属地」列 (org unit is required)");
  }
  if (sheet.Present(kEAboveScale)) {
    e.above_scale = ctx_.Read<bool>(r, kEAboveScale, CellYesNo, &row_ok_).value_or(false);
  }
  // The first contact: its columns set it; all three blank removes it.
  if (sheet.Present(kEContact) || sheet.Present(kETitle) || sheet.Present(kEPhone)) {
    storage::EnterpriseContact first = e.contacts.empty() ? storage::EnterpriseContact{} : e.contacts.front();
    text(kEContact, &first.name);
    text(kETitle, &first.title);
    text(kEPhone, &first.phone);
    bool blank = first.name.empty() && first.title.empty() && first.phone.empty();
    if (e.contacts.empty()) {
      if (!blank) e.contacts.push_back(first);
    } else if (blank) {
      e.contacts.erase(e.contacts.begin());
    } else {
      e.contacts.front() = first;
    }
  }
  if (sheet.Present(kETags)) e.tags = SplitList(ctx_.Text(r, kETags, &row_ok_));
  if (!row_ok_) return Status::Ok();

  Status check = CheckEnterprise(ctx_.read, ctx_.p(), e, existing ? &*existing : nullptr);
  if (!check.ok()) {
    if (!RowFailure(check)) return check;
    ctx_.problems.Add(r, sheet.ColumnFor(check.field()), check.message());
    return Status::Ok();
  }
  if (existing && SameEnterprise(e, EnterpriseRecord(*existing))) {
    ++ctx_.report.unchanged;
    return Status::Ok();
  }
  ++(existing ? ctx_.report.updated : ctx_.report.created);
  if (!ctx_.writing()) return Status::Ok();
  db::Connection& tx = *ctx_.tx;
  if (existing) {
    auto updated = storage::UpdateEnterprise(tx, existing->id, existing->version, ChangesFor(e), ctx_.now);
    if (!updated.ok()) return ctx_.WriteFailed(r, updated.status());
    return ctx_.Audit("update", "enterprise", existing->id,
                      ChangedFields(EnterpriseJson(*existing, industries_.Label(existing->industry)),
                                    EnterpriseJson(*updated, industries_.Label(updated->industry))));
  }
  auto created = storage::CreateEnterprise(tx, e, ctx_.now);
  if (!created.ok()) return ctx_.WriteFailed(r, created.status());
  return ctx_.Audit("create", "enterprise", created->id,
                    ChangedFields(nullptr, EnterpriseJson(*created, industries_.Label(created->industry))));
}

}  // namespace

// ---- writing sheets -------------------------------------------------------------------------

namespace ledger_io {

io::XlsxSheet ColumnsSheet(std::string name, std::span<const ColumnSpec> specs, std::vector<std::string> title) {
  io::XlsxSheet s{.name = std::move(name), .title = std::move(title)};
  for (const auto& c : specs) {
    s.header.push_back(c.header);
    s.widths.push_back(c.width);
  }
  return s;
}

io::XlsxSheet ImportNotesSheet(std::span<const ColumnSpec> specs, const std::map<std::string, std::string>& allowed) {
  io::XlsxSheet s{.name = "说明",
                  .title = {"填写说明:表头行之上的行导入时跳过;列的顺序不限,可删去不需要的列(已有记录的这些字段保持不变)"},
                  .header = {"列", "必填", "说明", "可选值"},
                  .widths = {20, 8, 60, 60}};
  for (const auto& c : specs) {
    auto it = allowed.find(c.header);
    s.rows.push_back({std::string(c.header), std::string(c.required ? "是" : ""), std::string(c.note),
                      it == allowed.end() ? std::string() : it->second});
  }
  return s;
}


}  // namespace ledger_io

std::string ExportLine(const std::string& filter_text, int64_t now_ms, const std::string& extra) {
  std::string when = FormatRfc3339(now_ms);  // 2026-11-24T10:30:00.000+08:00
  return "筛选: " + (filter_text.empty() ? std::string("全部") : filter_text) + extra + " · 导出时间 " +
         when.substr(0, 10) + " " + when.substr(11, 5);
}

namespace {

io::XlsxCell DateCell(const std::optional<std::string>& v) {
  if (!v) return std::monostate{};
  auto d = Date::Parse(*v);
  return d.ok() ? io::XlsxCell(io::XlsxDate{*d}) : io::XlsxCell(*v);
}

}  // namespace

// ---- the public functions ------------------------------------------------------------------

http::Json ImportReport::ToJson() const {
  auto list = [](const std::vector<ImportProblem>& v) {
    Json out = Json::array();
    for (const auto& p : v) out.push_back({{"row", p.row}, {"column", p.column}, {"message", p.message}});
    return out;
  };
  return {{"ok", ok},
          {"dry_run", dry_run},
          {"rows", rows},
          {"created", created},
          {"updated", updated},
          {"unchanged", unchanged},
          {"errors", list(errors)},
          {"warnings", list(warnings)}};
}

namespace ledger_io {

StatusOr<ImportReport> RunImport(const ImportSheetSpec& spec, db::Pool& pool, const LedgerActor& actor,
                                 std::string bytes, int64_t now_ms, const ImportOptions& options,
                                 const std::function<std::unique_ptr<RowImporter>(ImportContext&)>& make) {
  ImportReport report;
  report.dry_run = options.dry_run;
  Problems problems(&report);
  const auto specs = spec.columns;
  Sheet sheet(specs, spec.key, &problems);

  ZB_ASSIGN_OR_RETURN(db::Lease read, pool.Read());
  ReadSnapshot snapshot(*read);
  // Every existing row is read by its code, and every changed one written
  // in one transaction: pages all over the tables (100 000 rows changed
  // dirty ~150 MB of them).
  const db::LargerPageCache read_cache(*read, 128);
  std::optional<db::Tx> tx;
  std::optional<db::LargerPageCache> write_cache;
  if (!options.dry_run) {
    ZB_ASSIGN_OR_RETURN(db::Tx t, pool.Begin());
    tx.emplace(std::move(t));
    write_cache.emplace(tx->conn(), 256);
  }
  ImportContext ctx{.actor = actor,
                    .read = *read,
                    .tx = tx ? &tx->conn() : nullptr,
                    .now = now_ms,
                    .options = options,
                    .report = report,
                    .problems = problems,
                    .sheet = sheet};
  std::unique_ptr<RowImporter> rows = make(ctx);
  ZB_RETURN_IF_ERROR(rows->Load());

  bool required_checked = false;
  Status read_status = ReadTable(std::move(bytes), [&](const io::Row& row) -> Status {
    if (!sheet.Feed(row)) return Status::Ok();
    if (!required_checked) {
      required_checked = true;
      for (size_t s = 0; s < specs.size(); ++s) {
        if (specs[s].required && !specs[s].new_rows_only && !sheet.Present(s)) {
          problems.Add(sheet.header_row(), specs[s].header,
                       std::string("缺少必需的列「") + specs[s].header + "」 (required column missing)");
        }
      }
    }
    if (sheet.Blank(spec.ignored)) return Status::Ok();
    ++report.rows;
    if (options.progress && report.rows % 1000 == 0) options.progress(report.rows);
    Status s = rows->Row(row);
    if (!s.ok() && ctx.fatal.ok()) ctx.fatal = s;
    return s;
  });
  if (!ctx.fatal.ok()) return ctx.fatal;
  if (!read_status.ok()) {
    if (read_status.code() != StatusCode::kValidationFailed && read_status.code() != StatusCode::kPayloadTooLarge) {
      return read_status;
    }
    problems.Add(0, "", read_status.message());
  } else if (!sheet.header_found()) {
    problems.Add(0, "", std::string("找不到表头行:没有一行含有「") + specs[spec.key].header +
                            "」,请使用导入模板 (no header row; use the template)");
  } else if (report.rows == 0 && problems.count() == 0) {
    problems.Add(0, "", "文件中没有数据行 (no data rows)");
  }
  if (options.progress) options.progress(report.rows);
  problems.Finish();
  report.ok = problems.count() == 0;
  if (report.ok && tx) {
    ZB_RETURN_IF_ERROR(rows->Finish(tx->conn()));
    ZB_RETURN_IF_ERROR(ctx.audit.Flush(tx->conn()));
    ZB_RETURN_IF_ERROR(RecordAudit(tx->conn(), actor.request, now_ms, "import", spec.entity_type, "",
                                   {{"after",
                                     {{"rows", report.rows},
                                      {"created", report.created},
                                      {"updated", report.updated},
                                      {"unchanged", report.unchanged}}}}));
    ZB_RETURN_IF_ERROR(tx->Commit());
  }
  return report;
}

}  // namespace ledger_io

StatusOr<ImportReport> ImportLedger(Ledger which, db::Pool& pool, const LedgerActor& actor, std::string bytes,
                                    int64_t now_ms, const ImportOptions& options) {
  if (which == Ledger::kProjects) {
    return RunImport({kProjectColumns, kPName, kPSeq, "project"}, pool, actor, std::move(bytes), now_ms, options,
                     [](ImportContext& ctx) { return std::make_unique<ProjectImporter>(ctx); });
  }
  return RunImport({kEnterpriseColumns, kEName, kEColumns, "enterprise"}, pool, actor, std::move(bytes), now_ms,
                   options, [](ImportContext& ctx) { return std::make_unique<EnterpriseImporter>(ctx); });
}

StatusOr<std::string> LedgerTemplate(Ledger which, db::Connection& conn, int64_t now_ms) {
  ZB_ASSIGN_OR_RETURN(auto dicts, LoadDicts(conn));
  ZB_ASSIGN_OR_RETURN(auto units, UnitIndex::Load(conn));
  auto first = [](const DictIndex& d) { return d.active_labels.empty() ? std::string() : d.active_labels.front(); };
  std::map<std::string, std::string> allowed;
  std::vector<io::XlsxSheet> sheets;
  if (which == Ledger::kProjects) {
    std::vector<std::string> levels, types, stages;
    for (const auto& l : domain::ProjectLevels()) levels.emplace_back(l.label);
    for (const auto& t : domain::ProjectTypes()) types.emplace_back(t.label);
    for (const auto& s : domain::ProjectStages()) {
      if (s.stage != domain::ProjectStage::kSuspended) stages.emplace_back(s.label);
    }
    allowed = {{"产业板块", JoinList(dicts["board"].active_labels)},
               {"项目类别", JoinList(dicts["category"].active_labels)},
               {"项目级别", JoinList(levels)},
               {"项目类型", JoinList(types)},
               {"建设阶段", JoinList(stages)}};
    io::XlsxSheet data = ColumnsSheet("项目台账", kProjectColumns, {});
    const int year = LocalDate(now_ms).year();
    data.rows.push_back({int64_t{1}, std::string(), std::string("示例:智能装备产业园项目(导入前请删除本行)"),
                         std::string(), std::string(), units.Root(), first(dicts["board"]), first(dicts["category"]),
                         std::string("区县重点"), std::string("新建"), std::string("谋划"), io::XlsxWan{500'000'000},
                         io::XlsxWan{80'000'000}, std::string("新建标准厂房 5 万平方米,购置智能装备生产线 10 条"),
                         std::string("莱山区经济开发区"),
                         io::XlsxDate{*Date::FromYmd(year, 3, 1)}, std::monostate{},
                         io::XlsxDate{*Date::FromYmd(year, 6, 1)}, std::monostate{},
                         io::XlsxDate{*Date::FromYmd(year + 1, 12, 31)}, std::monostate{},
                         io::XlsxDate{*Date::FromYmd(year + 2, 6, 30)}, std::monostate{}, std::string(),
                         std::string(), std::string(), std::string("省市重点、招商引资")});
    sheets.push_back(std::move(data));
    sheets.push_back(ImportNotesSheet(kProjectColumns, allowed));
  } else {
    allowed = {{"行业", JoinList(dicts["industry"].active_labels)}, {"规上企业", "是、否"}};
    io::XlsxSheet data = ColumnsSheet("企业库", kEnterpriseColumns, {});
    data.rows.push_back({std::string("示例:烟台某某智能装备有限公司(导入前请删除本行)"),
                         std::string("914403001922038216"), first(dicts["industry"]), units.Root(),
                         std::string("莱山区迎春大街 1 号"), std::string("张三"), std::string("是"),
                         std::string("李四"), std::string("办公室主任"), std::string("0535-6666666"),
                         std::string("专精特新")});
    sheets.push_back(std::move(data));
    sheets.push_back(ImportNotesSheet(kEnterpriseColumns, allowed));
  }
  return io::WriteXlsxSheets(sheets);
}

StatusOr<std::string> ExportProjects(db::Connection& conn, const ProjectExport& what, int64_t now_ms,
                                     int64_t* rows) {
  ReadSnapshot snapshot(conn);
  // Count first: refuse an oversized export before writing anything.
  storage::ProjectFilter count = what.filter;
  count.page = 1;
  count.page_size = 1;
  count.with_facets = false;
  ZB_ASSIGN_OR_RETURN(auto first, storage::ListProjects(conn, count));
  if (first.total > kMaxLedgerExportRows) {
    return ValidationFailed("符合条件的项目有 " + std::to_string(first.total) + " 个,超过单次导出上限 " +
                            std::to_string(kMaxLedgerExportRows) + " 个,请增加筛选条件 (too many rows to export; "
                            "narrow the filter)");
  }
  ZB_ASSIGN_OR_RETURN(auto units, UnitIndex::Load(conn));
  ZB_ASSIGN_OR_RETURN(auto users, UserIndex::Load(conn));
  ZB_ASSIGN_OR_RETURN(auto dicts, LoadDicts(conn));
  // Every enterprise's name and credit code (EnterpriseIndex without the
  // contacts, tags and paging it does not need here: 19 000 firms).
  ZB_ASSIGN_OR_RETURN(const std::vector<storage::EnterpriseCode> firm_list, storage::ListEnterpriseCodes(conn));
  std::unordered_map<int64_t, const storage::EnterpriseCode*> firms;
  firms.reserve(firm_list.size());
  for (const auto& f : firm_list) firms.emplace(f.id, &f);
  const int year = what.year > 0 ? what.year : LocalDate(now_ms).year();
  const DictIndex& boards = dicts["board"];
  const DictIndex& categories = dicts["category"];

  ZB_ASSIGN_OR_RETURN(auto writer, io::XlsxWriter::Create());
  ZB_RETURN_IF_ERROR(writer->AddSheet(
      ColumnsSheet("项目台账", kProjectColumns,
           {units.Root() + "重点项目台账",
            ExportLine(what.filter_text, now_ms, " · 年度计划投资为 " + std::to_string(year) + " 年")})));
  int64_t n = 0;
  io::XlsxRow row;
  ZB_RETURN_IF_ERROR(storage::ForEachProject(conn, what.filter, [&](const storage::Project& p) -> Status {
    if (n >= kMaxLedgerExportRows) {
      return ValidationFailed("超过单次导出上限 " + std::to_string(kMaxLedgerExportRows) +
                              " 个 (too many rows to export)");
    }
    const storage::ProjectData& d = p.data;
    const storage::EnterpriseCode* firm = nullptr;
    if (d.enterprise_id) {
      if (auto it = firms.find(*d.enterprise_id); it != firms.end()) firm = it->second;
    }
    auto plan = std::find_if(d.plans.begin(), d.plans.end(), [&](const auto& x) { return x.year == year; });
    std::vector<std::string> liaisons;
    for (int64_t id : d.liaison_ids) liaisons.push_back(users.Display(id));
    size_t column = 0;
    // Assigned in place: a cell's text reuses the last row's buffer.
    auto put = [&](auto&& cell) {
      if (column == row.size()) row.emplace_back();
      row[column++] = std::forward<decltype(cell)>(cell);
    };
    put(++n);
    put(d.code);
    put(d.name);
    put(p.enterprise_name.empty() && firm ? firm->name : p.enterprise_name);
    put(firm ? firm->credit_code : "");
    put(units.Display(d.org_unit_id));
    put(boards.Label(d.board));
    put(categories.Label(d.category));
    put(LevelLabel(d.level));
    put(TypeLabel(d.project_type));
    put(StageLabel(p.stage));
    put(io::XlsxWan{d.total_investment});
    put(plan == d.plans.end() ? io::XlsxCell() : io::XlsxCell(io::XlsxWan{plan->planned_investment}));
    put(d.construction_content);
    put(d.address);
    for (const auto* v : {&d.planned_signed_on, &d.actual_signed_on, &d.planned_started_on, &d.actual_started_on,
                          &d.planned_completed_on, &d.actual_completed_on, &d.planned_operating_on,
                          &d.actual_operating_on}) {
      put(DateCell(*v));
    }
    put(d.leader_user_id ? users.Display(*d.leader_user_id) : "");
    put(d.responsible_unit_id ? units.Display(*d.responsible_unit_id) : "");
    put(JoinList(liaisons));
    put(JoinList(d.tags));
    row.resize(column);
    if (what.progress && n % 1000 == 0) what.progress(n, first.total);
    return writer->AddRow(row);
  }, {.warnings = false}));  // the sheet has no 预警 column
  if (what.progress) what.progress(n, first.total);
  *rows = n;
  return writer->Finish();
}

StatusOr<std::string> ExportEnterprises(db::Connection& conn, const std::vector<storage::Enterprise>& firms,
                                        const std::string& filter_text, int64_t now_ms) {
  ZB_ASSIGN_OR_RETURN(auto units, UnitIndex::Load(conn));
  ZB_ASSIGN_OR_RETURN(auto dicts, LoadDicts(conn));
  std::array<ColumnSpec, kEColumns + 1> specs;
  specs[0] = kProjectColumns[kPSeq];
  std::copy(kEnterpriseColumns.begin(), kEnterpriseColumns.end(), specs.begin() + 1);
  io::XlsxSheet sheet = ColumnsSheet("企业库", specs, {units.Root() + "企业库", ExportLine(filter_text, now_ms)});
  int64_t n = 0;
  for (const auto& e : firms) {
    const storage::EnterpriseContact* first = e.contacts.empty() ? nullptr : &e.contacts.front();
    sheet.rows.push_back({++n, e.name, e.credit_code, dicts["industry"].Label(e.industry), units.Display(e.org_unit_id),
                          e.address, e.legal_representative, std::string(e.above_scale ? "是" : "否"),
                          first ? first->name : "", first ? first->title : "", first ? first->phone : "",
                          JoinList(e.tags)});
  }
  return io::WriteXlsx(sheet);
}

std::string DescribeProjectFilter(db::Connection& conn, const http::Params& query) {
  static const std::vector<std::pair<std::string_view, std::string_view>> kNames = {
      {"q", "关键词"},
      {"org_unit_id", "属地"},
      {"stage", "建设阶段"},
      {"level", "项目级别"},
      {"project_type", "项目类型"},
      {"category", "项目类别"},
      {"board", "产业板块"},
      {"leader_user_id", "包保领导"},
      {"responsible_unit_id", "责任部门"},
      {"enterprise_id", "建设单位"},
      {"team_id", "专班"},
      {"tag", "标签"},
      {"year", "年度计划"},
      {"min_investment", "总投资下限(元)"},
      {"max_investment", "总投资上限(元)"},
      {"start_kind", "开复工"},
      {"start_year", "开复工年度"}};
  auto dicts = LoadDicts(conn);
  auto units = UnitIndex::Load(conn);
  std::string out;
  auto add = [&](std::string_view name, const std::string& value) {
    out += (out.empty() ? "" : "; ") + std::string(name) + "=" + value;
  };
  for (const auto& [param, name] : kNames) {
    std::vector<std::string> values;
    for (const auto& [k, v] : query) {
      if (k != param) continue;
      for (auto& item : SplitList(v)) {
        if (param == "stage") item = StageLabel(item);
        if (param == "level") item = LevelLabel(std::string(domain::ParseProjectLevel(item).value_or(item)));
        if (param == "project_type") item = TypeLabel(item);
        if ((param == "category" || param == "board") && dicts.ok()) item = (*dicts)[std::string(param)].Label(item);
        if ((param == "org_unit_id" || param == "responsible_unit_id") && units.ok()) {
          std::string shown = units->Display(std::atoll(item.c_str()));
          if (!shown.empty()) item = shown;
        }
        values.push_back(item);
      }
    }
    if (!values.empty()) add(name, JoinList(values));
  }
  for (const auto& [k, v] : query) {
    if ((k.ends_with("_on_from") || k.ends_with("_on_to")) && !v.empty()) {
      std::string field = k.substr(0, k.rfind("_on_") + 3);
      std::string label = field;
      for (size_t s = 0; s < kProjectColumns.size(); ++s) {
        if (field == kProjectColumns[s].field) label = kProjectColumns[s].header;
      }
      add(label + (k.ends_with("_from") ? "起" : "止"), v);
    }
  }
  return out;
}

}  // namespace zb::api
