// Excel in and out for the project library (项目台账) and the enterprise
// library (企业库): the sheet layouts, the exports, the import templates and
// the importer — one implementation behind the HTTP routes (api/imports.cc)
// and the CLI (`zhuanban import|export`, app/cli_ledger.cc).
// Contract: docs/api-projects.md "项目台账 export and import", "Enterprise
// import".
//
// Import
// - The file is .xlsx (it starts with the zip magic "PK") or else .csv in
//   UTF-8 (BOM or not) or GBK/GB18030. In a workbook the first sheet is read.
// - The header row is the first row holding the key header (项目名称 /
//   企业名称); rows above it (the title lines of an export) are skipped.
//   Headers match by name after trimming, dropping spaces and '*' markers
//   and reading full-width parentheses （） as (); any order. An unknown
//   header, a header given twice and a missing required column (企业名称 and
//   统一社会信用代码 for enterprises) are problems of the header row.
// - Each data row is read into the record it creates or updates — by
//   项目编号 / 统一社会信用代码: an existing record (in the caller's scope)
//   is updated, columns absent from the file keep their values, an empty
//   cell clears the field; otherwise the row creates one (an empty 项目编号
//   takes the next XM-<year>-NNNN). Cells: text, numbers, dates (real Excel
//   dates or text 2024-03-01, 2024/3/1, 2024.3.1, 2024年3月1日), money in 万元
//   unless the cell says otherwise (Money::Parse: "12.5", "1,234.56",
//   "3亿"), 是/否. Labels become codes (dictionaries, 项目级别/类型/建设阶段),
//   names become ids: 建设单位 by name or 统一社会信用代码, 属地 by the name
//   of a unit the caller sees and 责任部门 by a department's name (also
//   "上级/名称", the short name or the unit code, for names used twice),
//   包保领导 and 包联人员 (several separated by 、 , ， ; or ；) by display name,
//   login or "显示名(login)". An ambiguous name is a problem naming the
//   candidates. Then the record goes through the API's own check
//   (api::CheckProject / api::CheckEnterprise).
// - Projects: 建设阶段 sets only a NEW project's stage, reached by one
//   lifecycle move from 谋划 (domain::PlanTransition) dated with the stage's
//   actual date from the file (实际签约/开工/竣工/投产) or today; 停缓建 cannot
//   be a new project's stage. For an existing project the stage and the four
//   actual dates are the lifecycle's (set by moves): a different value in
//   the file is not applied and is reported as a warning. 年度计划投资(万元) is
//   the plan of ImportOptions::year (this year by default): a number sets
//   that year's planned investment (the year's goals are kept), an empty
//   cell removes the year's plan.
// - Every problem is (row as Excel numbers it, column header, message);
//   row 0 / column "" is the file as a whole. All problems of all rows are
//   collected (the list is cut at kMaxImportErrors with a last entry saying
//   how many more); within one row, every cell that cannot be read is
//   reported, then the first rule the record breaks. Two rows with the same
//   key are a problem of the later row.
// - Rows are validated against the committed database on a read
//   connection, so a dry run and a real run report exactly the same
//   problems. The real run writes in ONE transaction, each created or
//   updated record with its audit entry (ChangedFields) and one "import"
//   entry with the counts; rows that change nothing are not written. Any
//   problem — or a write the database refuses — and nothing is committed.
// - A non-OK Status is for the database failing, never for the file.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "core/status.h"
#include "http/auth.h"
#include "http/message.h"
#include "storage/db.h"
#include "storage/enterprise_repo.h"
#include "storage/project_repo.h"

namespace zb::api {

inline constexpr int64_t kMaxLedgerExportRows = 200'000;
inline constexpr size_t kMaxImportErrors = 1000;

enum class Ledger { kProjects, kEnterprises };

// Who imports or exports: the principal whose data scope and rules apply,
// and the request the audit entries are recorded with (its principal, IP
// and request id). The CLI passes a principal with scope "all" and user id
// 0 (created_by and stage events without a user) and a request without a
// principal (audit entries with no user).
struct LedgerActor {
  const http::Principal& principal;
  const http::Request& request;
};

struct ImportProblem {
  int64_t row = 0;     // as Excel numbers it; 0: the file
  std::string column;  // the header as in the file's header row; "": the row or the file
  std::string message;
};

struct ImportOptions {
  bool dry_run = false;
  int year = 0;  // the year of 年度计划投资(万元); 0: this year in China
  // Called every 1000 data rows and at the end with the rows read so far.
  std::function<void(int64_t rows)> progress;
};

struct ImportReport {
  bool ok = false;  // no problems; and, unless dry_run, everything written
  bool dry_run = false;
  int64_t rows = 0;  // data rows read
  int64_t created = 0, updated = 0, unchanged = 0;  // what the rows do (would do, in a dry run)
  int64_t problem_count = 0;                        // all problems, also those past the cap
  std::vector<ImportProblem> errors;                // at most kMaxImportErrors + 1 (the note)
  std::vector<ImportProblem> warnings;              // values not applied (stage, actual dates)
  http::Json ToJson() const;  // {ok, dry_run, rows, created, updated, unchanged, errors, warnings}
};

// An uploaded import file's bytes: the `file` field of multipart/form-data
// (any other field is 422), or the raw body sent as .xlsx, .csv,
// text/plain or application/octet-stream (another Content-Type is 415); an
// empty file is 422. Shared by every import route (also the calendar's).
StatusOr<std::string> UploadedFile(const http::Request& req);
// The OpenAPI schema of ImportReport::ToJson().
http::Json ImportReportSchema();
// An import route's answer: 200 with the report when it has no problem, else
// 422 naming `file` with the report beside the error envelope.
http::Response ImportResponse(const ImportReport& report);

// Reads, checks and (unless options.dry_run or a problem) writes `bytes`.
StatusOr<ImportReport> ImportLedger(Ledger which, db::Pool& pool, const LedgerActor& actor, std::string bytes,
                                    int64_t now_ms, const ImportOptions& options = {});

// The import template: the header row, one sample row and a second sheet
// 说明 listing every column, whether it is required and its allowed values.
StatusOr<std::string> LedgerTemplate(Ledger which, db::Connection& conn, int64_t now_ms);

// The 项目台账: title "<root unit>重点项目台账", the filter line with the
// export time, the columns of the contract, every project `filter` selects
// in its sort order (streamed: never held in memory). 422 beyond
// kMaxLedgerExportRows. *rows receives the number of projects.
struct ProjectExport {
  storage::ProjectFilter filter;
  int year = 0;             // 年度计划投资(万元)'s year; 0: this year in China
  std::string filter_text;  // "建设阶段=在建; 项目级别=省重点"; '' reads 全部
  // Called every 1000 projects and at the end: written so far, of total.
  std::function<void(int64_t done, int64_t total)> progress;
};
StatusOr<std::string> ExportProjects(db::Connection& conn, const ProjectExport& what, int64_t now_ms,
                                     int64_t* rows);

// The 企业库 sheet: the import's columns after 序号, under the same title
// and filter lines.
StatusOr<std::string> ExportEnterprises(db::Connection& conn, const std::vector<storage::Enterprise>& firms,
                                        const std::string& filter_text, int64_t now_ms);

// An export's second title line: "筛选: <filter_text or 全部><extra> · 导出时间
// 2026-11-24 10:30" (China time); shared by every ledger export.
std::string ExportLine(const std::string& filter_text, int64_t now_ms, const std::string& extra = "");

// "建设阶段=在建、前期; 项目级别=省重点" for the list parameters of `query`
// (names in Chinese, codes as labels), for the export's filter line.
std::string DescribeProjectFilter(db::Connection& conn, const http::Params& query);

}  // namespace zb::api
