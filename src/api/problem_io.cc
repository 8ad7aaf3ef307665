// 问题台账 in Excel (docs/api-problems.md § Routes): the export — exactly the
// items the list shows for the same filters, `q` and `sort`, in the caller's
// scope — and the import template. The layout follows the 项目台账's
// (api/ledger.cc): a title line, the filter line with the export time, a
// bold frozen header, set widths.
#include <string>
#include <vector>

#include "api/api.h"
#include "api/export.h"
#include "api/ledger.h"
#include "api/problems.h"
#include "core/date.h"
#include "domain/problem.h"
#include "io/xlsx.h"
#include "storage/calendar_repo.h"
#include "storage/dict_repo.h"
#include "storage/org_unit_repo.h"

namespace zb::api {

using http::Json;
using http::Request;
using http::Response;

namespace {

constexpr char kTag[] = "problems";

struct Column {
  const char* header;
  double width;
};
// The export's columns (the contract's order).
const std::vector<Column>& ExportColumns() {
  static const std::vector<Column> c = {
      {"序号", 6},      {"编号", 15},     {"问题", 36},     {"企业", 28},     {"项目", 28},     {"类别", 14},
      {"来源", 10},     {"紧急程度", 9},  {"提出时间", 11}, {"责任单位", 18}, {"协办单位", 24}, {"办理时限", 11},
      {"状态", 8},      {"逾期(工作日)", 12}, {"办理结果", 36}, {"办结时间", 11}, {"销号时间", 11}, {"满意度", 9}};
  return c;
}

io::XlsxSheet Head(const std::string& name, const std::vector<Column>& cols, std::vector<std::string> title) {
  io::XlsxSheet s{.name = name, .title = std::move(title)};
  for (const auto& c : cols) {
    s.header.push_back(c.header);
    s.widths.push_back(c.width);
  }
  return s;
}

io::XlsxCell DayCell(const std::optional<std::string>& v) {
  if (!v) return std::monostate{};
  auto d = Date::Parse(*v);
  return d.ok() ? io::XlsxCell(io::XlsxDate{*d}) : io::XlsxCell(*v);
}

template <typename E>
std::string LabelOf(std::optional<E> v) {
  return v ? std::string(domain::Label(*v)) : "";
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
              Head("问题台账", ExportColumns(), {root + "问题台账", ExportLine(DescribeFilter(req), now)})));
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
                 std::string out;
                 for (const auto& d : defs) out += (out.empty() ? "" : "、") + std::string(d.label);
                 return out;
               };
               std::string categories;
               for (const auto& d : cats) categories += (categories.empty() ? "" : "、") + d.label;
               // The export's columns without 序号 and 逾期 (computed, not imported).
               std::vector<Column> cols;
               for (const auto& c : ExportColumns()) {
                 if (std::string(c.header) != "序号" && std::string(c.header) != "逾期(工作日)") cols.push_back(c);
               }
               io::XlsxSheet data = Head("问题台账", cols, {});
               data.rows.push_back({std::string(""), std::string("示例:厂区供电接入迟迟未办(导入前请删除本行)"),
                                    std::string("示例科技有限公司"), std::string(""),
                                    cats.empty() ? std::string("") : cats.front().label, std::string("走访发现"),
                                    std::string("一般"), io::XlsxDate{LocalDate(now)}});
               io::XlsxSheet notes{.name = "说明", .header = {"列", "说明"}, .widths = {14, 80}};
               const std::vector<std::pair<std::string, std::string>> rules = {
                   {"编号", "留空则新建(自动编号 WT-年份-序号);填写已有编号则更新该问题"},
                   {"问题", "必填"},
                   {"企业", "企业名称或统一社会信用代码"},
                   {"项目", "项目编号"},
                   {"类别", "必填:" + categories},
                   {"来源", labels(domain::ProblemSources())},
                   {"紧急程度", labels(domain::ProblemUrgencies())},
                   {"提出时间", "日期,如 2026-03-01;留空为今天"},
                   {"责任单位", "单位名称或编码"},
                   {"协办单位", "单位名称或编码,多个以 、 分隔"},
                   {"办理时限", "日期"},
                   {"状态", labels(domain::ProblemStatuses())},
                   {"满意度", labels(domain::Satisfactions())}};
               for (const auto& [col, rule] : rules) notes.rows.push_back({col, rule});
               ZB_ASSIGN_OR_RETURN(std::string bytes, io::WriteXlsxSheets({data, notes}));
               return XlsxDownload(std::move(bytes), "问题导入模板", "problem-import-template", now);
             });
}

}  // namespace zb::api
