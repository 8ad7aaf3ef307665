// The building blocks of the spreadsheet importers (api/ledger.h's
// ImportLedger for projects and enterprises, api/problem_io.cc's 问题台账):
// the cells, the name lookups, the sheet and its header row, the report's
// problems and the driver. Behaviour as described at the top of
// api/ledger.h.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "api/audit.h"
#include "api/ledger.h"
#include "core/status.h"
#include "core/text.h"
#include "domain/credit_code.h"
#include "io/table.h"
#include "io/xlsx.h"
#include "storage/org_unit_repo.h"

namespace zb::api {

namespace ledger_io {

using io::Cell;
using io::CellKind;

// ---- text and cells ----

// Surrounding ASCII blanks and U+3000 removed.
std::string TrimBlank(std::string_view s);
// A header as it is compared: no blanks or '*', full-width parentheses as ASCII ones.
std::string NormalizeHeader(std::string_view s);
// "甲、乙,丙，丁;戊；己" and line breaks → the trimmed, non-empty items.
std::vector<std::string> SplitList(std::string_view s);
// "甲、乙".
std::string JoinList(const std::vector<std::string>& items);
// A cell's content as text (numbers as stored, dates as YYYY-MM-DD); an Excel error value is a problem.
StatusOr<std::string> CellText(const Cell& c);
// A calendar day: a real Excel date, or text 2024-03-01, 2024/3/1, 2024.3.1, 2024年3月1日, 20240301.
StatusOr<std::optional<std::string>> CellDate(const Cell& c);

// ---- lookups: names → ids ----

// "「text」对应 N 个:甲、乙,<hint> (ambiguous name)".
std::string Ambiguous(std::string_view text, const std::vector<std::string>& candidates, std::string_view hint);

struct UnitIndex {
  std::vector<storage::OrgUnit> units;
  std::unordered_map<int64_t, size_t> by_id;
  std::unordered_map<std::string, std::vector<size_t>> by_name, by_short, by_code;

  static StatusOr<UnitIndex> Load(db::Connection& conn) {
    UnitIndex x;
    ZB_ASSIGN_OR_RETURN(x.units, storage::ListOrgUnits(conn, std::nullopt, /*include_inactive=*/true));
    for (size_t i = 0; i < x.units.size(); ++i) {
      const auto& u = x.units[i];
      x.by_id[u.id] = i;
      x.by_name[u.name].push_back(i);
      if (!u.short_name.empty()) x.by_short[u.short_name].push_back(i);
      if (!u.code.empty()) x.by_code[u.code].push_back(i);
    }
    return x;
  }

  const storage::OrgUnit* Get(int64_t id) const {
    auto it = by_id.find(id);
    return it == by_id.end() ? nullptr : &units[it->second];
  }

  std::string ParentSlashName(const storage::OrgUnit& u) const {
    const storage::OrgUnit* parent = u.parent_id ? Get(*u.parent_id) : nullptr;
    return parent ? parent->name + "/" + u.name : u.name;
  }

  // The unit's name, or "上级/名称" when another unit has the same name.
  std::string Display(int64_t id) const {
    const storage::OrgUnit* u = Get(id);
    if (!u) return "";
    auto it = by_name.find(u->name);
    return it != by_name.end() && it->second.size() > 1 ? ParentSlashName(*u) : u->name;
  }

  std::string Root() const {
    for (const auto& u : units) {
      if (!u.parent_id) return u.name;
    }
    return "";
  }

  // The unit `text` names among those `admit` accepts (active ones first):
  // "上级/名称", the name, the short name or the code.
  template <typename Admit>
  StatusOr<int64_t> Find(const std::string& text, Admit admit, std::string_view what) const {
    std::vector<size_t> slash;
    if (size_t at = text.rfind('/'); at != std::string::npos) {
      auto it = by_name.find(TrimBlank(std::string_view(text).substr(at + 1)));
      std::string parent = TrimBlank(std::string_view(text).substr(0, at));
      if (it != by_name.end()) {
        for (size_t i : it->second) {
          const storage::OrgUnit* p = units[i].parent_id ? Get(*units[i].parent_id) : nullptr;
          if (p && p->name == parent) slash.push_back(i);
        }
      }
    }
    const std::vector<size_t> none;
    auto list = [&](const auto& map) -> const std::vector<size_t>* {
      auto it = map.find(text);
      return it == map.end() ? &none : &it->second;
    };
    const std::array<const std::vector<size_t>*, 4> lists = {&slash, list(by_name), list(by_short), list(by_code)};
    for (const std::vector<size_t>* candidates : lists) {
      std::vector<size_t> ok, active;
      for (size_t i : *candidates) {
        if (!admit(units[i])) continue;
        ok.push_back(i);
        if (units[i].active) active.push_back(i);
      }
      const std::vector<size_t>& pick = active.empty() ? ok : active;
      if (pick.size() == 1) return units[pick[0]].id;
      if (pick.size() > 1) {
        std::vector<std::string> names;
        for (size_t i : pick) names.push_back(ParentSlashName(units[i]));
        return ValidationFailed(Ambiguous(text, names, "请写成「上级/名称」或填写单位编码"));
      }
    }
    return ValidationFailed("找不到" + std::string(what) + "「" + QuoteForMessage(text) +
                            "」,或不在您的数据范围内 (no such unit in your data scope)");
  }
};

struct EnterpriseIndex {
  struct Entry {
    int64_t id;
    std::string name, credit_code;
  };
  std::vector<Entry> firms;
  std::unordered_map<int64_t, size_t> by_id;
  std::unordered_map<std::string, size_t> by_code;
  std::unordered_map<std::string, std::vector<size_t>> by_name;

  static StatusOr<EnterpriseIndex> Load(db::Connection& conn, storage::EnterpriseFilter f) {
    EnterpriseIndex x;
    f.page_size = storage::kMaxPageSize;
    for (f.page = 1;; ++f.page) {
      ZB_ASSIGN_OR_RETURN(auto page, storage::ListEnterprises(conn, f));
      for (const auto& e : page.items) {
        x.by_id[e.id] = x.firms.size();
        x.by_code[e.credit_code] = x.firms.size();
        x.by_name[e.name].push_back(x.firms.size());
        x.firms.push_back({e.id, e.name, e.credit_code});
      }
      if (static_cast<int64_t>(page.items.size()) < f.page_size) break;
    }
    return x;
  }

  const Entry* Get(int64_t id) const {
    auto it = by_id.find(id);
    return it == by_id.end() ? nullptr : &firms[it->second];
  }
  const Entry* ByCode(const std::string& code) const {
    auto it = by_code.find(code);
    return it == by_code.end() ? nullptr : &firms[it->second];
  }
  StatusOr<int64_t> ByName(const std::string& name) const {
    auto it = by_name.find(name);
    if (it == by_name.end()) {
      if (const Entry* e = ByCode(domain::NormalizeCreditCode(name))) return e->id;  // a code in the name column
      return ValidationFailed("找不到企业「" + QuoteForMessage(name) +
                              "」,或不在您的数据范围内;请先在企业库登记 (no such enterprise in your data scope)");
    }
    if (it->second.size() == 1) return firms[it->second[0]].id;
    std::vector<std::string> names;
    for (size_t i : it->second) names.push_back(firms[i].name + "(" + firms[i].credit_code + ")");
    return ValidationFailed(Ambiguous(name, names, "请填写统一社会信用代码"));
  }
};

// Dictionary items of one type: code → label and label → code (retired
// items too: records keep them; the checks refuse choosing them anew).
struct DictIndex {
  std::map<std::string, std::string> label_of, code_of;
  std::vector<std::string> active_labels;

  std::string Label(const std::string& code) const {
    auto it = label_of.find(code);
    return it == label_of.end() ? code : it->second;
  }
  // A label or a code → the code; "" for blank.
  StatusOr<std::string> Code(const std::string& text, std::string_view what) const {
    if (text.empty()) return std::string();
    if (auto it = code_of.find(text); it != code_of.end()) return it->second;
    if (label_of.contains(text)) return text;
    return ValidationFailed(std::string(what) + "「" + QuoteForMessage(text) + "」不在字典中,可选:" +
                            JoinList(active_labels) + " (unknown " + std::string(what) + ")");
  }
};

// Every dictionary type's items, retired ones too.
StatusOr<std::map<std::string, DictIndex>> LoadDicts(db::Connection& conn);
// The caller's own unit or one in their data scope.
bool UnitVisible(const http::Principal& p, const storage::OrgUnit& u);

// ---- reading a table ----

struct ColumnSpec {
  const char* header;
  const char* field;  // the field the API's check names ("" for none)
  double width;
  const char* note;   // for the template's 说明 sheet
  bool required = false;  // must be filled (for a new record)
  // Required of new records only: a file without the column is fine for
  // updates, and each new row without it says so (no header-row problem).
  bool new_rows_only = false;
};

// Problems as the report lists them: counted, the list capped.
class Problems {
 public:
  explicit Problems(ImportReport* report) : report_(report) {}
  void Add(int64_t row, std::string column, std::string message) {
    ++report_->problem_count;
    if (report_->errors.size() < kMaxImportErrors) report_->errors.push_back({row, std::move(column), std::move(message)});
  }
  void Warn(int64_t row, std::string column, std::string message) {
    if (report_->warnings.size() < kMaxImportErrors) {
      report_->warnings.push_back({row, std::move(column), std::move(message)});
    }
  }
  void Finish() {
    if (report_->problem_count > static_cast<int64_t>(report_->errors.size())) {
      int64_t more = report_->problem_count - static_cast<int64_t>(report_->errors.size());
      report_->errors.push_back({0, "", "另有 " + std::to_string(more) + " 处问题未列出,请先修改以上问题 (" +
                                            std::to_string(more) + " more problems not listed)"});
    }
  }
  int64_t count() const { return report_->problem_count; }

 private:
  ImportReport* report_;
};

// The header row found among the first rows, then each data row's cells by
// column spec.
class Sheet {
 public:
  // `key`: the spec whose header marks the header row.
  Sheet(std::span<const ColumnSpec> specs, size_t key, Problems* problems)
      : specs_(specs), key_(key), problems_(problems) {
    column_of_.assign(specs.size(), -1);
    header_text_.resize(specs.size());
  }

  bool header_found() const { return header_row_ > 0; }
  int64_t header_row() const { return header_row_; }

  // Whether `row` is a data row (after the header). The title rows above
  // the header and the header itself are consumed here.
  bool Feed(const io::Row& row) {
    if (header_row_ == 0) {
      for (const auto& c : row.cells) {
        if (c.kind == CellKind::kText && NormalizeHeader(c.text) == specs_[key_].header) {
          ReadHeader(row);
          return false;
        }
      }
      return false;
    }
    row_ = &row;
    // Content beyond the header's columns has nowhere to go.
    for (size_t i = 0; i < row.cells.size(); ++i) {
      if (row.cells[i].kind != CellKind::kEmpty && (i >= spec_of_.size() || spec_of_[i] == kUnmapped)) {
        problems_->Add(row.number, "", "第 " + ColumnName(i) + " 列有内容但没有表头 (a cell outside the header's columns)");
      }
    }
    return true;
  }

  bool Present(size_t spec) const { return column_of_[spec] >= 0; }
  // The cell of `spec` in the current row; nullptr when the column is
  // absent or the cell blank.
  const Cell* Get(size_t spec) const {
    int col = column_of_[spec];
    if (col < 0 || static_cast<size_t>(col) >= row_->cells.size()) return nullptr;
    const Cell& c = row_->cells[col];
    if (c.kind == CellKind::kEmpty || (c.kind == CellKind::kText && TrimBlank(c.text).empty())) return nullptr;
    return &c;
  }
  // Whether every mapped cell but 序号 is blank (a numbered empty line).
  bool Blank(size_t skip) const {
    for (size_t s = 0; s < specs_.size(); ++s) {
      if (s != skip && Get(s)) return false;
    }
    return true;
  }
  // The header as the file writes it, for messages.
  std::string Header(size_t spec) const { return header_text_[spec].empty() ? specs_[spec].header : header_text_[spec]; }
  size_t SpecOfField(std::string_view field) const {
    for (size_t s = 0; s < specs_.size(); ++s) {
      std::string_view f = specs_[s].field;
      if (!f.empty() && (field == f || (field.starts_with(f) && (field[f.size()] == '[' || field[f.size()] == '.')))) {
        return s;
      }
    }
    return specs_.size();
  }
  // The column a check's error field points at ("" when none).
  std::string ColumnFor(std::string_view field) const {
    size_t s = SpecOfField(field);
    return s < specs_.size() ? Header(s) : "";
  }

 private:
  static constexpr int kUnmapped = -1;

  static std::string ColumnName(size_t i) {
    std::string name;
    for (size_t n = i + 1; n > 0; n = (n - 1) / 26) name.insert(name.begin(), static_cast<char>('A' + (n - 1) % 26));
    return name;
  }

  void ReadHeader(const io::Row& row) {
    header_row_ = row.number;
    spec_of_.assign(row.cells.size(), kUnmapped);
    for (size_t i = 0; i < row.cells.size(); ++i) {
      const Cell& c = row.cells[i];
      if (c.kind == CellKind::kEmpty) continue;
      std::string shown = TrimBlank(c.kind == CellKind::kText ? c.text : c.text);
      std::string name = NormalizeHeader(shown);
      if (name.empty()) continue;
      size_t s = 0;
      while (s < specs_.size() && name != specs_[s].header) ++s;
      if (s == specs_.size()) {
        problems_->Add(row.number, shown, "未知的列「" + shown + "」,可用的列:" + AllHeaders() + " (unknown column)");
        continue;
      }
      if (column_of_[s] >= 0) {
        problems_->Add(row.number, shown, "列「" + shown + "」出现了两次 (column given twice)");
        continue;
      }
      column_of_[s] = static_cast<int>(i);
      spec_of_[i] = static_cast<int>(s);
      header_text_[s] = shown;
    }
  }

  std::string AllHeaders() const {
    std::vector<std::string> names;
    for (const auto& s : specs_) names.push_back(s.header);
    return JoinList(names);
  }

 private:
  std::span<const ColumnSpec> specs_;
  size_t key_;
  Problems* problems_;
  int64_t header_row_ = 0;
  std::vector<int> column_of_;     // spec → column index, -1 when absent
  std::vector<int> spec_of_;       // column index → spec, kUnmapped
  std::vector<std::string> header_text_;
  const io::Row* row_ = nullptr;
};

// Write failures that belong to a row (the rest are the database failing).
bool RowFailure(const Status& s);

// What every importer shares: the report, the problems, the sheet, the
// connections (checks on `read`, writes on `tx` while nothing is wrong).
struct ImportContext {
  const LedgerActor& actor;
  db::Connection& read;
  db::Connection* tx;  // null in a dry run
  int64_t now;
  const ImportOptions& options;
  ImportReport& report;
  Problems& problems;
  Sheet& sheet;
  Status fatal;  // the database failing: stops the read
  std::vector<int64_t> written;  // projects whose warnings are recomputed at the end (created, or dates moved)
  AuditBatch audit{actor.request, now};  // one entry a written row, appended in batches

  // The row's audit entry; every 1 024 the pending ones are appended.
  Status Audit(std::string action, const char* entity_type, int64_t id, const http::Json& changes) {
    audit.Add(std::move(action), entity_type, std::to_string(id), changes);
    return audit.pending() >= 1024 ? audit.Flush(*tx) : Status::Ok();
  }

  const http::Principal& p() const { return actor.principal; }
  bool writing() const { return tx != nullptr && problems.count() == 0; }

  // A cell read with `parse`; a failure is the row's problem.
  template <typename T, typename Parse>
  std::optional<T> Read(int64_t row, size_t spec, Parse parse, bool* row_ok) {
    const Cell* c = sheet.Get(spec);
    if (!c) return std::nullopt;
    StatusOr<T> v = parse(*c);
    if (!v.ok()) {
      problems.Add(row, sheet.Header(spec), v.status().message());
      *row_ok = false;
      return std::nullopt;
    }
    return std::move(*v);
  }
  std::string Text(int64_t row, size_t spec, bool* row_ok) {
    return Read<std::string>(row, spec, CellText, row_ok).value_or("");
  }
  // A write's failure: the row's problem, or the database's.
  Status WriteFailed(int64_t row, const Status& s) {
    if (!RowFailure(s)) return s;
    problems.Add(row, sheet.ColumnFor(s.field()), "写入失败:" + s.message() + " (write refused)");
    return Status::Ok();
  }
};
// ---- the driver ----

// One ledger's rows: Load() before the first row (indexes on ctx.read),
// Row() for each data row (problems into ctx.problems; writes on ctx.tx
// while ctx.writing()), Finish() in the real run's transaction after the
// last row, when nothing is wrong, before the "import" audit entry.
class RowImporter {
 public:
  virtual ~RowImporter() = default;
  virtual Status Load() = 0;
  virtual Status Row(const io::Row& row) = 0;
  virtual Status Finish(db::Connection& tx) { return Status::Ok(); }
};

struct ImportSheetSpec {
  std::span<const ColumnSpec> columns;
  size_t key;            // the column whose header marks the header row
  size_t ignored;        // a column a numbered empty line may fill (序号); columns.size() for none
  std::string entity_type;  // of the "import" audit entry
};

// Everything ImportLedger does around the rows (the file, the header row,
// the required columns, the report, the one transaction and its "import"
// audit entry), with the rows handed to the importer `make` returns.
StatusOr<ImportReport> RunImport(const ImportSheetSpec& spec, db::Pool& pool, const LedgerActor& actor,
                                 std::string bytes, int64_t now_ms, const ImportOptions& options,
                                 const std::function<std::unique_ptr<RowImporter>(ImportContext&)>& make);

// The template's 说明 sheet: each column, whether it is required, what it
// takes (`allowed`: header → the values it accepts).
io::XlsxSheet ImportNotesSheet(std::span<const ColumnSpec> specs, const std::map<std::string, std::string>& allowed);
// A sheet named `name` with the columns' headers and widths under `title`.
io::XlsxSheet ColumnsSheet(std::string name, std::span<const ColumnSpec> specs, std::vector<std::string> title);

}  // namespace ledger_io

}  // namespace zb::api
