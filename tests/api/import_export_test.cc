// Excel in and out end to end on both engines: the 项目台账 export and its
// re-import, project and enterprise imports from .xlsx and GBK .csv (dates,
// numbers, labels, names), every problem reported where Excel shows it, the
// all-or-nothing write, dry runs, data scopes, the templates, hostile text
// and the `zhuanban import|export` commands.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <set>
#include <string>
#include <vector>

#include "api/gbk.h"
#include "api/identity_helpers.h"
#include "api/test_server.h"
#include "io/xlsx.h"
#include "io/xlsx_reader.h"
#include "storage/enterprise_repo.h"
#include "zip_member.h"

namespace zb::testing {
namespace {

namespace fs = std::filesystem;

const Date kToday = *Date::FromYmd(2026, 11, 24);
constexpr const char* kBoundary = "----zbFormBoundary7MA4YWxkTrZu0gW";
// Published codes that pass GB 32100 and GB 11714 (tests/unit/credit_code_test.cc).
constexpr const char* kTencent = "9144030071526726XG";

// ---- files ------------------------------------------------------------------------

std::string Xlsx(std::vector<std::string> header, std::vector<io::XlsxRow> rows, std::vector<std::string> title = {}) {
  auto bytes = io::WriteXlsx({.name = "Sheet1", .title = std::move(title), .header = std::move(header),
                              .rows = std::move(rows)});
  EXPECT_TRUE(bytes.ok()) << bytes.status().ToString();
  return bytes.ok() ? *bytes : "";
}

std::vector<io::Row> ReadRows(const std::string& bytes, size_t sheet = 0) {
  std::vector<io::Row> rows;
  auto reader = io::XlsxReader::Open(bytes);
  EXPECT_TRUE(reader.ok()) << reader.status().ToString();
  if (!reader.ok()) return rows;
  EXPECT_TRUE((*reader)->ReadSheet(sheet, [&](const io::Row& r) {
    rows.push_back(r);
    return Status::Ok();
  }).ok());
  return rows;
}

std::vector<std::string> SheetNames(const std::string& bytes) {
  auto reader = io::XlsxReader::Open(bytes);
  EXPECT_TRUE(reader.ok());
  return reader.ok() ? (*reader)->SheetNames() : std::vector<std::string>{};
}

// The cell as a writer would put it back: text, numbers as Excel shows
// them, dates as dates.
io::XlsxCell Back(const io::Cell& c) {
  switch (c.kind) {
    case io::CellKind::kEmpty: return std::monostate{};
    case io::CellKind::kNumber: return io::ExcelNumberText(c.number);
    case io::CellKind::kDate: return io::XlsxDate{c.date};
    default: return c.text;
  }
}

// A workbook with `rows` (as read) from `first` on, below their header.
std::string Rebuild(const std::vector<io::Row>& rows, size_t header_index) {
  std::vector<std::string> header;
  for (const auto& c : rows[header_index].cells) header.push_back(c.text);
  std::vector<io::XlsxRow> out;
  for (size_t i = header_index + 1; i < rows.size(); ++i) {
    io::XlsxRow r;
    for (const auto& c : rows[i].cells) r.push_back(Back(c));
    out.push_back(std::move(r));
  }
  return Xlsx(header, out);
}

size_t Column(const io::Row& header, const std::string& name) {
  for (size_t i = 0; i < header.cells.size(); ++i) {
    if (header.cells[i].text == name) return i;
  }
  ADD_FAILURE() << "no column " << name;
  return 0;
}

std::string Multipart(const std::string& file, const std::string& filename, const std::string& field = "file") {
  return std::string("--") + kBoundary + "\r\nContent-Disposition: form-data; name=\"" + field + "\"; filename=\"" +
         filename + "\"\r\nContent-Type: application/octet-stream\r\n\r\n" + file + "\r\n--" + kBoundary + "--\r\n";
}

// ---- the fixture ------------------------------------------------------------------------

class ImportExport : public ::testing::Test {
 protected:
  void SetUp() override {
    s_.clock().SetToday(kToday, 9 * 3'600'000);
    s_.SignInAsAdmin();
    root_ = RootUnitId(s_);
    dept_ = MakeInDb(s_, [&](db::Connection& c) {
              return storage::CreateOrgUnit(c, {.parent_id = root_, .name = "自然资源局", .code = "ZRZY",
                                                 .kind = "department"},
                                            s_.clock().NowMs());
            }).id;
    firm_ = MakeInDb(s_, [&](db::Connection& c) -> StatusOr<int64_t> {
      ZB_ASSIGN_OR_RETURN(auto e, storage::CreateEnterprise(
                                      c, {.name = "华新新材料有限公司", .credit_code = kValidCreditCode, .org_unit_id = root_},
                                      s_.clock().NowMs()));
      return e.id;
    });
    leader_ = AddUser(s_, "quzhang", root_, {BuiltinRoleId(s_, "leader")});
    liaison_ = AddUser(s_, "lisi", root_, {BuiltinRoleId(s_, "liaison")});
  }

  HttpResult Import(const std::string& what, const std::string& file, bool dry_run,
                    const std::string& filename = "ledger.xlsx") {
    return s_.Send("POST", "/api/v1/" + what + "/import" + (dry_run ? "?dry_run=true" : ""),
                   Multipart(file, filename), {{"Content-Type", std::string("multipart/form-data; boundary=") + kBoundary}});
  }

  Json Projects() {
    auto r = s_.Get("/api/v1/projects?page_size=500&sort=code");
    EXPECT_EQ(r.status, 200) << r.body;
    return r.json();
  }
  Json ProjectNamed(const std::string& name) {
    const Json list = Projects();
    for (const auto& p : list["items"]) {
      if (p["name"] == name) return s_.Get("/api/v1/projects/" + std::to_string(p["id"].get<int64_t>())).json();
    }
    ADD_FAILURE() << "no project " << name;
    return Json::object();
  }
  int64_t AuditTotal() { return s_.Get("/api/v1/audit-log?page_size=1").json()["total"].get<int64_t>(); }

  Json CreateProject(Json body) {
    auto r = s_.SendJson("POST", "/api/v1/projects", body);
    EXPECT_EQ(r.status, 201) << r.body;
    return r.json();
  }

  // (row, column) of every problem, for exact comparisons.
  static std::set<std::pair<int64_t, std::string>> Where(const Json& report) {
    std::set<std::pair<int64_t, std::string>> out;
    for (const auto& e : report["errors"]) out.insert({e["row"].get<int64_t>(), e["column"].get<std::string>()});
    return out;
  }
  static std::string MessageAt(const Json& report, int64_t row, const std::string& column) {
    for (const auto& e : report["errors"]) {
      if (e["row"] == row && e["column"] == column) return e["message"];
    }
    return "";
  }

  TestServer s_;
  int64_t root_ = 0, dept_ = 0, firm_ = 0, leader_ = 0, liaison_ = 0;
};

const std::vector<std::string> kHeader = {"项目名称",     "属地",           "建设单位", "产业板块", "项目类别",
                                          "项目级别",     "项目类型",       "建设阶段", "总投资（万元）",
                                          "年度计划投资(万元)", "计划开工", "计划竣工", "实际开工",
                                          "包保领导",     "责任部门",       "包联人员", "标签"};

TEST_F(ImportExport, AnXlsxWithTitleRowsDatesAndNumbersImportsAfterADryRun) {
  std::string file = Xlsx(
      kHeader,
      {{std::string("文双线道路工程"), std::string("本级单位"), std::string("华新新材料有限公司"), std::string("新材料"),
        std::string("制造业"), std::string("省重点"), std::string("续建"), std::string("在建"), io::XlsxWan{123'456'789},
        io::XlsxWan{8'000'000}, io::XlsxDate{*Date::FromYmd(2026, 2, 15)}, std::string("2027/6/30"),
        std::string("2026年3月1日"), std::string("quzhang"), std::string("自然资源局"),
        std::string("用户lisi、quzhang"), std::string("省市重点，招商引资")},
       {std::string(" 学府路改造工程 "), std::string("本级单位"), std::monostate{}, std::monostate{}, std::monostate{},
        std::monostate{}, std::monostate{}, std::string("谋划"), std::string("1,500.5"), std::string("300")}},
      {"某某区重点项目台账", "筛选: 全部"});

  auto dry = Import("projects", file, true);
  ASSERT_EQ(dry.status, 200) << dry.body;
  Json report = dry.json();
  EXPECT_EQ(report["ok"], true);
  EXPECT_EQ(report["dry_run"], true);
  EXPECT_EQ(report["rows"], 2);
  EXPECT_EQ(report["created"], 2);
  EXPECT_EQ(report["errors"], Json::array());
  EXPECT_EQ(Projects()["total"], 0) << "a dry run writes nothing";

  auto real = Import("projects", file, false);
  ASSERT_EQ(real.status, 200) << real.body;
  EXPECT_EQ(real.json()["created"], 2);
  EXPECT_EQ(real.json()["dry_run"], false);

  Json p = ProjectNamed("文双线道路工程");
  EXPECT_EQ(p["total_investment"], 123'456'789) << "12345.6789 万元 to the yuan";
  EXPECT_EQ(p["enterprise_id"], firm_);
  EXPECT_EQ(p["board"], "materials");
  EXPECT_EQ(p["category"], "manufacturing");
  EXPECT_EQ(p["level"], "provincial");
  EXPECT_EQ(p["project_type"], "continuing");
  EXPECT_EQ(p["stage"], "under_construction");
  EXPECT_EQ(p["actual_started_on"], "2026-03-01");
  EXPECT_EQ(p["stage_since"], "2026-03-01");
  EXPECT_EQ(p["planned_started_on"], "2026-02-15");
  EXPECT_EQ(p["planned_completed_on"], "2027-06-30");
  EXPECT_EQ(p["leader_user_id"], leader_);
  EXPECT_EQ(p["responsible_unit_id"], dept_);
  ASSERT_EQ(p["liaisons"].size(), 2u);
  EXPECT_EQ(p["tags"], Json({"招商引资", "省市重点"}));
  ASSERT_EQ(p["plans"].size(), 1u);
  EXPECT_EQ(p["plans"][0]["year"], 2026);
  EXPECT_EQ(p["plans"][0]["planned_investment"], 8'000'000);
  auto events = s_.Get("/api/v1/projects/" + std::to_string(p["id"].get<int64_t>()) + "/stage-events").json();
  ASSERT_EQ(events["items"].size(), 1u) << "one lifecycle move from 谋划";
  EXPECT_EQ(events["items"][0]["from_stage"], "planning");
  EXPECT_EQ(events["items"][0]["on_date"], "2026-03-01");

  Json q = ProjectNamed("学府路改造工程");
  EXPECT_EQ(q["total_investment"], 15'005'000);
  EXPECT_EQ(q["stage"], "planning");
  EXPECT_EQ(q["plans"][0]["planned_investment"], 3'000'000);
  EXPECT_EQ(q["code"].get<std::string>().substr(0, 8), "XM-2026-") << "an empty 项目编号 is generated";

  auto audit = s_.Get("/api/v1/audit-log?entity_type=project").json();
  std::multiset<std::string> actions;
  for (const auto& e : audit["items"]) actions.insert(e["action"]);
  EXPECT_EQ(actions, (std::multiset<std::string>{"create", "create", "import"}));
}

TEST_F(ImportExport, EveryBadRowIsReportedWhereExcelShowsIt) {
  // Two users named alike: a name that is not enough.
  for (const char* login : {"wangwei1", "wangwei2"}) {
    MakeInDb(s_, [&](db::Connection& c) {
      return storage::CreateUser(c, {.login = login, .display_name = "王伟", .org_unit_id = root_, .password_hash = "x"},
                                 s_.clock().NowMs());
    });
  }
  std::vector<std::string> header = {"项目编号", "项目名称", "属地", "总投资(万元)", "计划开工", "计划竣工",
                                     "建设阶段", "包保领导", "备注"};
  auto row = [](std::string code, std::string name, std::string unit, io::XlsxCell total, io::XlsxCell start,
                io::XlsxCell end, std::string stage, std::string leader) {
    return io::XlsxRow{code, name, unit, total, start, end, stage, leader};
  };
  std::string ok_unit = "本级单位";
  std::string file = Xlsx(header,
                          {row("", "", ok_unit, std::monostate{}, std::monostate{}, std::monostate{}, "", ""),       // 3
                           row("", "甲", ok_unit, std::string("abc"), std::monostate{}, std::monostate{}, "", ""),    // 4
                           row("", "乙", "不存在的单位", std::monostate{}, std::monostate{}, std::monostate{}, "", ""),  // 5
                           row("", "丙", ok_unit, std::monostate{}, std::string("2024-02-30"), std::monostate{}, "", ""),  // 6
                           row("GC-001", "丁", ok_unit, std::monostate{}, std::monostate{}, std::monostate{}, "", ""),     // 7
                           row("GC-001", "戊", ok_unit, std::monostate{}, std::monostate{}, std::monostate{}, "", ""),     // 8
                           row("", "己", ok_unit, std::monostate{}, io::XlsxDate{*Date::FromYmd(2026, 5, 1)},
                               io::XlsxDate{*Date::FromYmd(2026, 4, 1)}, "", ""),  // 9
                           row("", "庚", ok_unit, std::monostate{}, std::monostate{}, std::monostate{}, "停缓建", ""),  // 10
                           row("", "辛", ok_unit, std::monostate{}, std::monostate{}, std::monostate{}, "", "王伟")},  // 11
                          {"标题"});
  for (bool dry_run : {true, false}) {
    auto r = Import("projects", file, dry_run);
    ASSERT_EQ(r.status, 422) << r.body;
    Json report = r.json();
    EXPECT_EQ(report["error"]["code"], "validation_failed") << "the usual envelope beside the report";
    EXPECT_EQ(report["error"]["field"], "file");
    EXPECT_EQ(report["ok"], false);
    EXPECT_EQ(report["dry_run"], dry_run);
    EXPECT_EQ(report["rows"], 9);
    EXPECT_EQ(Where(report), (std::set<std::pair<int64_t, std::string>>{{2, "备注"},
                                                                       {3, "项目名称"},
                                                                       {4, "总投资(万元)"},
                                                                       {5, "属地"},
                                                                       {6, "计划开工"},
                                                                       {8, "项目编号"},
                                                                       {9, "计划竣工"},
                                                                       {10, "建设阶段"},
                                                                       {11, "包保领导"}}))
        << report.dump(1);
    EXPECT_NE(MessageAt(report, 2, "备注").find("未知的列"), std::string::npos);
    EXPECT_NE(MessageAt(report, 4, "总投资(万元)").find("abc"), std::string::npos);
    EXPECT_NE(MessageAt(report, 5, "属地").find("不存在的单位"), std::string::npos);
    EXPECT_NE(MessageAt(report, 6, "计划开工").find("日期不存在"), std::string::npos);
    EXPECT_NE(MessageAt(report, 8, "项目编号").find("第 7 行"), std::string::npos);
    EXPECT_NE(MessageAt(report, 10, "建设阶段").find("停缓建"), std::string::npos);
    EXPECT_NE(MessageAt(report, 11, "包保领导").find("王伟(wangwei1)、王伟(wangwei2)"), std::string::npos)
        << "the candidates are named";
  }
  EXPECT_EQ(Projects()["total"], 0);
}

TEST_F(ImportExport, AFileWhoseLastRowFailsWritesNothing) {
  const int64_t audit_before = AuditTotal();
  std::vector<io::XlsxRow> rows;
  for (int i = 1; i <= 30; ++i) rows.push_back({"项目" + std::to_string(i), std::string("本级单位")});
  rows.push_back({std::string("最后一个"), std::string("别处")});
  auto r = Import("projects", Xlsx({"项目名称", "属地"}, rows), false);
  ASSERT_EQ(r.status, 422) << r.body;
  EXPECT_EQ(Where(r.json()), (std::set<std::pair<int64_t, std::string>>{{32, "属地"}}));
  EXPECT_EQ(r.json()["created"], 30) << "what the valid rows would do";
  EXPECT_EQ(Projects()["total"], 0) << "all or nothing";
  EXPECT_EQ(AuditTotal(), audit_before) << "no audit entry either";

  rows.back() = {std::string("最后一个"), std::string("本级单位")};
  auto fixed = Import("projects", Xlsx({"项目名称", "属地"}, rows), false);
  ASSERT_EQ(fixed.status, 200) << fixed.body;
  EXPECT_EQ(Projects()["total"], 31);
  EXPECT_EQ(AuditTotal(), audit_before + 32) << "31 creations and the import";
}

TEST_F(ImportExport, AnExportReimportsUnchangedAndAnEditedCopyUpdates) {
  Json full = CreateProject({{"name", "华新新材料年产5万吨高性能膜材料项目"},
                             {"org_unit_id", root_},
                             {"enterprise_id", firm_},
                             {"board", "materials"},
                             {"category", "manufacturing"},
                             {"level", "provincial"},
                             {"project_type", "new"},
                             {"total_investment", 1'234'567'891},
                             {"construction_content", "新建生产车间\n及配套设施"},
                             {"address", "莱山经济开发区"},
                             {"planned_signed_on", "2026-01-10"},
                             {"planned_started_on", "2026-03-01"},
                             {"planned_completed_on", "2027-12-31"},
                             {"leader_user_id", leader_},
                             {"responsible_unit_id", dept_},
                             {"liaison_ids", {liaison_, leader_}},
                             {"tags", {"省市重点", "招商引资"}},
                             {"plans", {{{"year", 2026}, {"planned_investment", 300'000'001}, {"goal_start", true}},
                                        {{"year", 2025}, {"planned_investment", 1}}}}});
  const std::string full_url = "/api/v1/projects/" + std::to_string(full["id"].get<int64_t>());
  auto moved = s_.SendJson("POST", full_url + "/transitions", {{"to", "签约"}, {"date", "2026-01-12"}});
  ASSERT_EQ(moved.status, 200) << moved.body;
  moved = s_.SendJson("POST", full_url + "/transitions", {{"to", "在建"}, {"date", "2026-03-05"}});
  ASSERT_EQ(moved.status, 200) << moved.body;
  Json bare = CreateProject({{"name", "学府路改造工程"}, {"org_unit_id", root_}});
  Json before_full = s_.Get(full_url).json();
  Json before_bare = s_.Get("/api/v1/projects/" + std::to_string(bare["id"].get<int64_t>())).json();

  auto exported = s_.Get("/api/v1/projects/export?sort=code");
  ASSERT_EQ(exported.status, 200) << exported.body;
  EXPECT_EQ(exported.header("content-type"), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
  EXPECT_NE(exported.header("content-disposition").find("projects-20261124.xlsx"), std::string::npos);
  auto rows = ReadRows(exported.body);
  ASSERT_EQ(rows.size(), 5u);
  EXPECT_EQ(rows[0].cells[0].text, "本级单位重点项目台账");
  EXPECT_EQ(rows[1].cells[0].text, "筛选: 全部 · 年度计划投资为 2026 年 · 导出时间 2026-11-24 09:00");
  EXPECT_EQ(rows[2].number, 3);
  ASSERT_EQ(rows[2].cells.size(), 27u) << "the contract's columns";
  EXPECT_EQ(rows[2].cells[0].text, "序号");
  EXPECT_EQ(rows[2].cells[26].text, "标签");
  const io::Row& first = rows[3];
  EXPECT_EQ(first.cells[0].text, "1");
  EXPECT_EQ(first.cells[Column(rows[2], "建设阶段")].text, "在建") << "labels, not codes";
  EXPECT_EQ(first.cells[Column(rows[2], "项目级别")].text, "省重点");
  EXPECT_EQ(first.cells[Column(rows[2], "统一社会信用代码")].text, kValidCreditCode);
  EXPECT_EQ(first.cells[Column(rows[2], "包保领导")].text, "用户quzhang");
  EXPECT_EQ(first.cells[Column(rows[2], "包联人员")].text, "用户quzhang、用户lisi");
  const io::Cell& total = first.cells[Column(rows[2], "总投资(万元)")];
  ASSERT_EQ(total.kind, io::CellKind::kNumber);
  EXPECT_EQ(io::ExcelNumberText(total.number), "123456.7891");
  const io::Cell& started = first.cells[Column(rows[2], "实际开工")];
  ASSERT_EQ(started.kind, io::CellKind::kDate);
  EXPECT_EQ(started.date, *Date::FromYmd(2026, 3, 5));
  EXPECT_EQ(io::ExcelNumberText(first.cells[Column(rows[2], "年度计划投资(万元)")].number), "30000.0001");

  // Straight back in: nothing changes, not even a version.
  auto again = Import("projects", exported.body, false);
  ASSERT_EQ(again.status, 200) << again.body;
  EXPECT_EQ(again.json()["unchanged"], 2);
  EXPECT_EQ(again.json()["updated"], 0);
  EXPECT_EQ(again.json()["created"], 0);
  EXPECT_EQ(again.json()["warnings"], Json::array());
  EXPECT_EQ(s_.Get(full_url).json(), before_full);

  // An edited copy: the bare project's investment; the other's stage (not
  // applied to an existing project: a warning).
  std::vector<io::Row> edited = rows;
  edited[4].cells.resize(27);
  edited[4].cells[Column(rows[2], "总投资(万元)")] = {.kind = io::CellKind::kText, .text = "2.5亿"};
  edited[3].cells[Column(rows[2], "建设阶段")] = {.kind = io::CellKind::kText, .text = "竣工"};
  auto changed = Import("projects", Rebuild(edited, 2), false);
  ASSERT_EQ(changed.status, 200) << changed.body;
  EXPECT_EQ(changed.json()["updated"], 1);
  EXPECT_EQ(changed.json()["unchanged"], 1);
  ASSERT_EQ(changed.json()["warnings"].size(), 1u);
  EXPECT_EQ(changed.json()["warnings"][0]["row"], 2) << changed.body;
  EXPECT_EQ(changed.json()["warnings"][0]["column"], "建设阶段");
  Json after_bare = s_.Get("/api/v1/projects/" + std::to_string(bare["id"].get<int64_t>())).json();
  EXPECT_EQ(after_bare["total_investment"], 250'000'000);
  EXPECT_EQ(after_bare["version"], before_bare["version"].get<int64_t>() + 1);
  EXPECT_EQ(s_.Get(full_url).json()["stage"], "under_construction");
  auto audit = s_.Get("/api/v1/audit-log?entity_type=project&action=update").json();
  ASSERT_EQ(audit["total"], 1);
  EXPECT_EQ(audit["items"][0]["changes"]["after"]["total_investment"], 250'000'000);
  EXPECT_EQ(audit["items"][0]["changes"]["before"]["total_investment"], 0);
}

// A project's warning follows the dates an import gives it, and only its
// dates: 计划开工 this month → yellow; moved to July → red (three months
// late); only 总投资 changed → the same red; moved to next year → green.
// Every changed row has its 变更记录 entry and the chain stays intact.
TEST_F(ImportExport, AnImportMovingAStartDateMovesTheWarningAndEveryRowIsAudited) {
  Json p = CreateProject(
      {{"name", "华新新材料扩产项目"}, {"org_unit_id", root_}, {"planned_started_on", "2026-11-30"}});
  Json other = CreateProject({{"name", "学府路改造工程"}, {"org_unit_id", root_}});
  const std::string url = "/api/v1/projects/" + std::to_string(p["id"].get<int64_t>());
  auto warning = [&] { return s_.Get(url).json()["warning"]; };
  ASSERT_EQ(warning()["colour"], "yellow") << warning();
  EXPECT_EQ(warning()["reasons"], Json::array({"计划本月开工,尚未开工"}));
  const int64_t audited = AuditTotal();

  const std::string code = p["code"], other_code = other["code"];
  auto import = [&](const std::string& start, const std::string& total) {
    auto r = Import("projects", Xlsx({"项目编号", "项目名称", "计划开工", "总投资(万元)"},
                                     {{code, std::string("华新新材料扩产项目"), start, total},
                                      {other_code, std::string("学府路改造工程"), std::string(""), total}}),
                    false);
    EXPECT_EQ(r.status, 200) << r.body;
    return r.json();
  };
  EXPECT_EQ(import("2026-07-01", "100")["updated"], 2);
  EXPECT_EQ(warning()["colour"], "red");
  EXPECT_EQ(warning()["reasons"], Json::array({"计划开工 2026-07-01,已超 3 个月未开工"}));
  EXPECT_EQ(import("2026-07-01", "120")["updated"], 2);
  EXPECT_EQ(warning()["colour"], "red") << "总投资 does not move a warning";
  EXPECT_EQ(import("2027-03-01", "120")["updated"], 1);
  EXPECT_EQ(warning()["colour"], "green") << warning();
  EXPECT_EQ(warning()["reasons"], Json::array());
  EXPECT_EQ(s_.Get("/api/v1/projects?warning=red,yellow").json()["total"], 0);

  // 2 + 2 + 1 rows changed, and an "import" entry per file.
  EXPECT_EQ(AuditTotal(), audited + 5 + 3);
  auto updates = s_.Get("/api/v1/audit-log?entity_type=project&action=update&entity_id=" +
                        std::to_string(p["id"].get<int64_t>()))
                     .json();
  ASSERT_EQ(updates["total"], 3);
  EXPECT_EQ(updates["items"][0]["changes"]["after"]["planned_started_on"], "2027-03-01");
  EXPECT_EQ(updates["items"][1]["changes"]["after"]["total_investment"], 1'200'000);
  auto verified = s_.Get("/api/v1/audit-log/verify").json();
  EXPECT_EQ(verified["intact"], true) << verified;
}

TEST_F(ImportExport, ATownUserExportsAndImportsOnlyWithinItsUnits) {
  const int64_t a = AddUnit(s_, root_, "A").id;
  const int64_t b = AddUnit(s_, root_, "B").id;
  CreateProject({{"name", "甲镇的项目"}, {"org_unit_id", a}});
  Json theirs = CreateProject({{"name", "乙镇的项目"}, {"org_unit_id", b}});
  AddUser(s_, "jjz", a, {BuiltinRoleId(s_, "town")});
  ASSERT_EQ(s_.SignIn("jjz", kUserPassword).status, 200);

  auto exported = s_.Get("/api/v1/projects/export");
  ASSERT_EQ(exported.status, 200) << exported.body;
  std::string text = XlsxSheetText(exported.body);
  EXPECT_NE(text.find("甲镇的项目"), std::string::npos);
  EXPECT_EQ(text.find("乙镇的项目"), std::string::npos) << "outside the town's scope";
  EXPECT_EQ(s_.Get("/api/v1/projects/export?org_unit_id=" + std::to_string(b)).status, 404);

  auto into_b = Import("projects", Xlsx({"项目名称", "属地"}, {{std::string("新项目"), std::string("单位B")}}), true);
  ASSERT_EQ(into_b.status, 422) << into_b.body;
  EXPECT_EQ(Where(into_b.json()), (std::set<std::pair<int64_t, std::string>>{{2, "属地"}}));
  auto over_b = Import("projects", Xlsx({"项目编号", "项目名称"}, {{theirs["code"].get<std::string>(), std::string("改名")}}),
                       true);
  ASSERT_EQ(over_b.status, 422) << over_b.body;
  EXPECT_EQ(Where(over_b.json()), (std::set<std::pair<int64_t, std::string>>{{2, "项目编号"}}));
  auto into_a = Import("projects", Xlsx({"项目名称", "属地"}, {{std::string("新项目"), std::string("单位A")}}), false);
  EXPECT_EQ(into_a.status, 200) << into_a.body;
}

TEST_F(ImportExport, GbkCsvEnterprisesAreCreatedThenUpdatedByCreditCode) {
  std::string csv =
      "企业名称,统一社会信用代码,行业,属地,地址,法定代表人,规上企业,联系人,职务,联系电话,标签\r\n"
      "烟台海川智能装备有限公司,9144030071526726xg,制造业,本级单位,\"莱山区迎春大街 1 号,A 座\",张三,是,李四,总经理,"
      "0535-1234567,专精特新、外资\r\n";
  auto r = s_.Send("POST", "/api/v1/enterprises/import", Gbk(csv), {{"Content-Type", "text/csv"}});
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json()["created"], 1);
  auto list = s_.Get(std::string("/api/v1/enterprises?keyword=") + kTencent).json();
  ASSERT_EQ(list["total"], 1) << "the credit code normalised";
  Json e = list["items"][0];
  EXPECT_EQ(e["name"], "烟台海川智能装备有限公司");
  EXPECT_EQ(e["industry"], "C");
  EXPECT_EQ(e["address"], "莱山区迎春大街 1 号,A 座");
  EXPECT_EQ(e["above_scale"], true);
  EXPECT_EQ(e["contacts"], Json::array({{{"name", "李四"}, {"title", "总经理"}, {"phone", "0535-1234567"}}}));
  EXPECT_EQ(e["tags"], Json({"专精特新", "外资"}));

  // The same code again with fewer columns: an update; the rest is kept.
  std::string update = "统一社会信用代码,企业名称,规上企业\r\n" + std::string(kTencent) + ",烟台海川智能装备股份有限公司,否\r\n";
  auto u = s_.Send("POST", "/api/v1/enterprises/import", Gbk(update), {{"Content-Type", "text/csv"}});
  ASSERT_EQ(u.status, 200) << u.body;
  EXPECT_EQ(u.json()["updated"], 1);
  Json after = s_.Get("/api/v1/enterprises/" + std::to_string(e["id"].get<int64_t>())).json();
  EXPECT_EQ(after["name"], "烟台海川智能装备股份有限公司");
  EXPECT_EQ(after["above_scale"], false);
  EXPECT_EQ(after["address"], "莱山区迎春大街 1 号,A 座");
  EXPECT_EQ(after["contacts"].size(), 1u);

  // A wrong check character, a duplicate in the file: named.
  std::string wrong = kValidCreditCode;
  wrong.back() = '7';
  std::string bad = "企业名称,统一社会信用代码,属地\r\n甲,"+ wrong + ",本级单位\r\n乙," + kTencent + ",本级单位\r\n丙," +
                    kTencent + ",本级单位\r\n";
  auto b = s_.Send("POST", "/api/v1/enterprises/import?dry_run=1", Gbk(bad), {{"Content-Type", "text/csv"}});
  ASSERT_EQ(b.status, 422) << b.body;
  EXPECT_EQ(Where(b.json()), (std::set<std::pair<int64_t, std::string>>{{2, "统一社会信用代码"}, {4, "统一社会信用代码"}}));
  EXPECT_NE(MessageAt(b.json(), 2, "统一社会信用代码").find("校验位"), std::string::npos);
  EXPECT_NE(MessageAt(b.json(), 4, "统一社会信用代码").find("第 3 行"), std::string::npos);
}

TEST_F(ImportExport, AGbkCsvOfProjectsReadsLikeAWorkbook) {
  std::string csv =
      "项目名称,属地,总投资(万元),计划开工,建设单位\n"
      "港城东大街快速路工程,本级单位,\"12,000.5\",2026/3/1," + std::string(kValidCreditCode) + "\n";
  auto r = s_.Send("POST", "/api/v1/projects/import", Gbk(csv), {{"Content-Type", "text/csv; charset=gbk"}});
  ASSERT_EQ(r.status, 200) << r.body;
  Json p = ProjectNamed("港城东大街快速路工程");
  EXPECT_EQ(p["total_investment"], 120'005'000);
  EXPECT_EQ(p["planned_started_on"], "2026-03-01");
  EXPECT_EQ(p["enterprise_id"], firm_) << "建设单位 by its credit code";
}

TEST_F(ImportExport, TheTemplatesDescribeTheColumnsAndImportBack) {
  auto t = s_.Get("/api/v1/projects/import-template");
  ASSERT_EQ(t.status, 200) << t.body;
  EXPECT_NE(t.header("content-disposition").find("project-import-template"), std::string::npos);
  EXPECT_EQ(SheetNames(t.body), (std::vector<std::string>{"项目台账", "说明"}));
  auto rows = ReadRows(t.body);
  ASSERT_EQ(rows.size(), 2u);
  ASSERT_EQ(rows[0].cells.size(), 27u);
  EXPECT_NE(rows[1].cells[2].text.find("示例"), std::string::npos);
  std::string notes = XlsxSheetText(t.body) + ZipMember(t.body, "xl/worksheets/sheet2.xml");
  for (const char* expected : {"新一代信息技术", "制造业", "省重点", "技改", "在建"}) {
    EXPECT_NE(notes.find(expected), std::string::npos) << expected;
  }
  // The sample row replaced by a real one: imports.
  rows[1].cells[2].text = "莱山区人民医院新院区";
  auto r = Import("projects", Rebuild(rows, 0), false);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json()["created"], 1);
  EXPECT_EQ(ProjectNamed("莱山区人民医院新院区")["stage"], "planning");

  auto et = s_.Get("/api/v1/enterprises/import-template");
  ASSERT_EQ(et.status, 200);
  auto erows = ReadRows(et.body);
  ASSERT_EQ(erows.size(), 2u);
  EXPECT_EQ(erows[0].cells.size(), 11u);
  erows[1].cells[0].text = "烟台某智能装备有限公司";
  erows[1].cells[1].text = kTencent;
  auto er = Import("enterprises", Rebuild(erows, 0), false);
  ASSERT_EQ(er.status, 200) << er.body;
  EXPECT_EQ(er.json()["created"], 1);
}

TEST_F(ImportExport, FormulaLookingTextStaysTextBothWays) {
  const std::string hostile = "=cmd|' /C calc'!A0";
  CreateProject({{"name", hostile}, {"org_unit_id", root_}, {"tags", {"+SUM(A1)", "@x"}}});
  auto exported = s_.Get("/api/v1/projects/export");
  ASSERT_EQ(exported.status, 200);
  std::string xml = ZipMember(exported.body, "xl/worksheets/sheet1.xml");
  EXPECT_EQ(xml.find("<f>"), std::string::npos) << "no formula cell";
  EXPECT_NE(xml.find("=cmd|' /C calc'!A0"), std::string::npos);
  auto back = Import("projects", exported.body, false);
  ASSERT_EQ(back.status, 200) << back.body;
  EXPECT_EQ(back.json()["unchanged"], 1);
}

TEST_F(ImportExport, UploadsAreCheckedBeforeAnyRow) {
  std::string file = Xlsx({"项目名称", "属地"}, {{std::string("甲"), std::string("本级单位")}});
  auto json = s_.SendJson("POST", "/api/v1/projects/import", {{"file", "x"}});
  EXPECT_EQ(json.status, 415) << json.body;
  auto other_field = s_.Send("POST", "/api/v1/projects/import", Multipart(file, "a.xlsx", "upload"),
                             {{"Content-Type", std::string("multipart/form-data; boundary=") + kBoundary}});
  EXPECT_EQ(other_field.status, 422);
  EXPECT_EQ(other_field.json()["error"]["field"], "upload");
  auto broken = s_.Send("POST", "/api/v1/projects/import", "--x\r\nno end",
                        {{"Content-Type", "multipart/form-data; boundary=x"}});
  EXPECT_EQ(broken.status, 400);
  auto empty = s_.Send("POST", "/api/v1/projects/import", "", {{"Content-Type", "text/csv"}});
  EXPECT_EQ(empty.status, 422);
  EXPECT_EQ(empty.json()["error"]["field"], "file");

  auto not_xlsx = Import("projects", "PK\x03\x04 this is no workbook", true);
  ASSERT_EQ(not_xlsx.status, 422) << not_xlsx.body;
  EXPECT_EQ(Where(not_xlsx.json()), (std::set<std::pair<int64_t, std::string>>{{0, ""}}));
  auto no_header = Import("projects", Xlsx({"名称", "单位"}, {{std::string("甲")}}), true);
  ASSERT_EQ(no_header.status, 422);
  EXPECT_NE(no_header.json()["errors"][0]["message"].get<std::string>().find("找不到表头行"), std::string::npos);
  auto raw = s_.Send("POST", "/api/v1/projects/import?dry_run=true", file,
                     {{"Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}});
  EXPECT_EQ(raw.status, 200) << raw.body;
  EXPECT_EQ(s_.Send("POST", "/api/v1/projects/import?dry_run=maybe", file, {{"Content-Type", "text/csv"}}).status, 422);
}

// ---- the CLI ---------------------------------------------------------------------------

struct CommandResult {
  int exit_code = -1;
  std::string output;
};

CommandResult RunCommand(const std::string& cmd) {
  CommandResult r;
  FILE* p = ::popen((cmd + " 2>&1").c_str(), "r");
  if (!p) return r;
  std::array<char, 4096> buf;
  size_t n;
  while ((n = fread(buf.data(), 1, buf.size(), p)) > 0) r.output.append(buf.data(), n);
  int status = ::pclose(p);
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

TEST_F(ImportExport, TheCommandLineImportsAndExports) {
  fs::path dir = fs::temp_directory_path() /
                 ("zb-ledger-" + std::to_string(::getpid()) + "-" +
                  std::to_string(std::chrono::steady_clock::now().time_since_epoch().count()));
  fs::create_directories(dir);
  const std::string bin = std::string(ZB_BINARY) + " ";
  const std::string db = " --db '" + s_.db_url() + "' --log-level warn";
  std::ofstream(dir / "good.csv", std::ios::binary)
      << Gbk("项目名称,属地,总投资(万元),建设阶段,实际签约\n命令行导入的项目,本级单位,100,签约,2026-10-01\n");
  std::ofstream(dir / "bad.csv") << "项目名称,属地,总投资(万元)\n甲,本级单位,1\n乙,本级单位,很多\n";

  auto dry = RunCommand(bin + "import projects " + (dir / "good.csv").string() + " --dry-run" + db);
  EXPECT_EQ(dry.exit_code, 0) << dry.output;
  EXPECT_NE(dry.output.find("检查通过"), std::string::npos) << dry.output;
  EXPECT_EQ(Projects()["total"], 0);
  auto real = RunCommand(bin + "import projects " + (dir / "good.csv").string() + db);
  EXPECT_EQ(real.exit_code, 0) << real.output;
  Json p = ProjectNamed("命令行导入的项目");
  EXPECT_EQ(p["stage"], "signed");
  EXPECT_EQ(p["actual_signed_on"], "2026-10-01");
  EXPECT_EQ(p["created_by"], nullptr) << "the system, not a user";

  auto bad = RunCommand(bin + "import projects " + (dir / "bad.csv").string() + db);
  EXPECT_EQ(bad.exit_code, 1) << bad.output;
  EXPECT_NE(bad.output.find("第 3 行 · 总投资(万元): "), std::string::npos) << bad.output;
  EXPECT_EQ(Projects()["total"], 1);

  auto exported = RunCommand(bin + "export projects --out " + (dir / "out.xlsx").string() + " --stage 签约" + db);
  ASSERT_EQ(exported.exit_code, 0) << exported.output;
  std::ifstream in(dir / "out.xlsx", std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  auto rows = ReadRows(bytes);
  ASSERT_EQ(rows.size(), 4u);
  EXPECT_TRUE(rows[1].cells[0].text.starts_with("筛选: 建设阶段=签约 · ")) << rows[1].cells[0].text;
  EXPECT_EQ(rows[3].cells[2].text, "命令行导入的项目");
  auto none = RunCommand(bin + "export projects --out " + (dir / "none.xlsx").string() + " --stage 竣工" + db);
  EXPECT_EQ(none.exit_code, 0) << none.output;

  auto audit = s_.Get("/api/v1/audit-log?entity_type=project").json();
  std::multiset<std::string> actions;
  for (const auto& e : audit["items"]) {
    actions.insert(e["action"]);
    EXPECT_EQ(e["user_id"], nullptr);
  }
  EXPECT_EQ(actions, (std::multiset<std::string>{"create", "import", "export", "export"}));
  fs::remove_all(dir);
}

}  // namespace
}  // namespace zb::testing
