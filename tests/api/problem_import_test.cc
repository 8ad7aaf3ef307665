// POST /api/v1/problems/import (docs/api-problems.md § Import), on both
// engines: the dry run, all or nothing with every problem named by row and
// column, updates by 编号 within the caller's scope, ambiguous names, GBK
// CSV, items imported in any status (and counted by the figures), the
// export read back unchanged, hostile text.
#include <gtest/gtest.h>

#include <string>

#include "api/gbk.h"
#include "api/problem_fixture.h"

namespace zb::testing {
namespace {

constexpr char kHeader[] = "编号,问题,企业,项目,类别,来源,紧急程度,提出时间,责任单位,协办单位,办理时限,状态,办理结果,办结时间,销号时间,满意度\r\n";

class ProblemImport : public ProblemFixture {
 protected:
  void SetUp() override {
    root_ = RootUnitId(s_);  // 本级单位, a county
    town_a_ = Unit("镇A", "TA", "town", root_);
    town_b_ = Unit("镇B", "TB", "town", root_);
    dept_ = Unit("发改局", "FGJ", "department", root_);
    Unit("发改局", "TAFG", "department", town_a_);  // the same name in town A
    zrj_ = Unit("自然资源局", "ZRJ", "department", root_);
    firm_a_ = Firm("示例科技有限公司", "914403001922038216", town_a_);
    firm_b_ = Firm("另一家公司", "91110000100000000X", town_b_);
    User("ju", root_, "bureau");
    User("zhena", town_a_, "town");
    User("fgj", dept_, "department");
    SignInAll();
  }

  Json List(const std::string& who, const std::string& query = "") {
    auto r = Get(who, "/api/v1/problems?sort=code" + query);
    EXPECT_EQ(r.status, 200) << r.body;
    return r.json();
  }
  // The report's problem at (row, column), or null.
  static Json ProblemAt(const Json& report, int row, const std::string& column) {
    for (const auto& e : report["errors"]) {
      if (e["row"] == row && e["column"] == column) return e;
    }
    return nullptr;
  }

  int64_t root_ = 0, town_a_ = 0, town_b_ = 0, dept_ = 0, zrj_ = 0, firm_a_ = 0, firm_b_ = 0;
};

TEST_F(ProblemImport, ADryRunWritesNothingThenTheRealRunWritesEveryRow) {
  const std::string csv = std::string(kHeader) +
                          ",厂区供电接入迟迟未办,示例科技有限公司,,水电气暖配套,走访发现,紧急,2025-09-01,,,,,,,,\r\n"
                          ",用地指标未落实,91110000100000000X,,用地,调度会,,2025-09-10,自然资源局,镇A,,,,,,\r\n";
  auto dry = Import("ju", csv, true);
  ASSERT_EQ(dry.status, 200) << dry.body;
  EXPECT_EQ(dry.json()["dry_run"], true);
  EXPECT_EQ(dry.json()["rows"], 2);
  EXPECT_EQ(dry.json()["created"], 2);
  EXPECT_EQ(List("ju")["total"], 0) << "a dry run writes nothing";

  auto real = Import("ju", csv);
  ASSERT_EQ(real.status, 200) << real.body;
  EXPECT_EQ(real.json()["created"], 2);
  Json items = List("ju")["items"];
  ASSERT_EQ(items.size(), 2u);
  EXPECT_EQ(items[0]["code"], "WT-2025-00001");
  EXPECT_EQ(items[0]["status"], "pending");
  EXPECT_EQ(items[0]["urgency"], "urgent");
  EXPECT_EQ(items[0]["enterprise_name"], "示例科技有限公司");
  // 责任单位 given, no status: 已交办, the deadline 用地's 20 working days from
  // the day it was raised (across 国庆).
  Json land = Reload("ju", items[1]);
  EXPECT_EQ(land["status"], "assigned");
  EXPECT_EQ(land["lead_unit_name"], "自然资源局");
  EXPECT_EQ(land["co_units"], Json::array({{{"id", town_a_}, {"name", "镇A"}}}));
  EXPECT_EQ(land["assigned_on"], "2025-09-10");
  EXPECT_EQ(land["deadline"], "2025-10-14");
  EXPECT_EQ(land["original_deadline"], "2025-10-14");
  EXPECT_EQ(land["level"], "town") << "the item's own unit (town B) decides its level";

  // One timeline entry: imported, by the bureau user, now.
  auto timeline = Get("ju", "/api/v1/problems/" + std::to_string(land["id"].get<int64_t>()) + "/timeline").json();
  ASSERT_EQ(timeline["items"].size(), 1u);
  EXPECT_EQ(timeline["items"][0]["action"], "import");
  EXPECT_EQ(timeline["items"][0]["action_label"], "导入台账");
  EXPECT_EQ(timeline["items"][0]["to_status"], "assigned");
  EXPECT_EQ(timeline["items"][0]["user_name"], "用户ju");

  // Audited item by item and as a whole; nobody is notified.
  EXPECT_EQ(Count("SELECT COUNT(*) FROM audit_log WHERE action = 'problem.create'"), 2);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM audit_log WHERE action = 'import' AND entity_type = 'problem'"), 1);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM notifications"), 0);
}

TEST_F(ProblemImport, ABadCellIs422NamingRowAndColumnAndNothingIsWritten) {
  const std::string csv = std::string(kHeader) +
                          ",厂区供电接入迟迟未办,示例科技有限公司,,水电气暖配套,,,,,,,,,,,\r\n"
                          ",用工招聘难,示例科技有限公司,,用工,,很急,2025-13-01,,,,,,,,\r\n"
                          ",融资难,示例科技有限公司,,资金融资,,,,,,,已办结,,,,\r\n"
                          ",无主问题,,,其他,,,,,,,,,,,\r\n";
  for (bool dry_run : {true, false}) {
    auto r = Import("ju", csv, dry_run);
    ASSERT_EQ(r.status, 422) << r.body;
    Json report = r.json();
    EXPECT_EQ(report["error"]["field"], "file");
    EXPECT_EQ(report["ok"], false);
    EXPECT_NE(ProblemAt(report, 3, "紧急程度"), nullptr) << report.dump();
    EXPECT_NE(ProblemAt(report, 3, "提出时间"), nullptr) << report.dump();
    // 已办结 needs its lead unit, result and date.
    EXPECT_NE(ProblemAt(report, 4, "责任单位"), nullptr) << report.dump();
    EXPECT_NE(ProblemAt(report, 4, "办理结果"), nullptr) << report.dump();
    EXPECT_NE(ProblemAt(report, 4, "办结时间"), nullptr) << report.dump();
    // The create check's own rule, on its column.
    EXPECT_NE(ProblemAt(report, 5, "企业"), nullptr) << report.dump();
    EXPECT_EQ(ProblemAt(report, 2, "问题"), nullptr);
  }
  EXPECT_EQ(List("ju")["total"], 0) << "not even the good row";
  EXPECT_EQ(Count("SELECT COUNT(*) FROM audit_log WHERE entity_type = 'problem'"), 0);

  // A header the importer does not know; a new item without 类别 (the column
  // may be left out of a file that only updates).
  auto header = Import("ju", "问题,企业,备注\r\n厂区供电,示例科技有限公司,x\r\n");
  ASSERT_EQ(header.status, 422);
  EXPECT_NE(ProblemAt(header.json(), 1, "备注"), nullptr) << header.body;
  EXPECT_NE(ProblemAt(header.json(), 2, "类别"), nullptr) << header.body;
}

TEST_F(ProblemImport, AnExistingItemIsUpdatedByItsCodeAndTheWorkflowIsLeftAlone) {
  Json item = Raise("ju", {{"enterprise_id", firm_a_}, {"source", "visit"}});
  const std::string code = item["code"];
  const std::string csv = "编号,问题,紧急程度,状态,满意度\r\n" + code + ",厂区供电接入三个月未办,特急,已销号,满意\r\n";
  auto r = Import("ju", csv);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json()["updated"], 1);
  EXPECT_EQ(r.json()["created"], 0);
  // The status and the rating are the workflow's: warnings, not applied.
  ASSERT_EQ(r.json()["warnings"].size(), 2u) << r.body;
  EXPECT_EQ(r.json()["warnings"][0]["column"], "状态");
  EXPECT_EQ(r.json()["warnings"][1]["column"], "满意度");
  Json now = Reload("ju", item);
  EXPECT_EQ(now["title"], "厂区供电接入三个月未办");
  EXPECT_EQ(now["urgency"], "critical");
  EXPECT_EQ(now["source"], "visit") << "a column not in the file keeps its value";
  EXPECT_EQ(now["status"], "pending");
  EXPECT_EQ(now["satisfaction"], nullptr);
  EXPECT_EQ(now["version"], item["version"].get<int64_t>() + 1);
  auto audit = Get("admin", "/api/v1/audit-log?action=problem.update").json();
  ASSERT_EQ(audit["items"].size(), 1u) << audit.dump();
  Json changed = audit["items"][0]["changes"]["after"];
  EXPECT_TRUE(changed.contains("title")) << changed.dump();
  EXPECT_TRUE(changed.contains("urgency")) << changed.dump();
  EXPECT_FALSE(changed.contains("status")) << changed.dump();

  // The same file again changes nothing and writes nothing.
  auto again = Import("ju", csv);
  ASSERT_EQ(again.status, 200) << again.body;
  EXPECT_EQ(again.json()["unchanged"], 1);
  EXPECT_EQ(again.json()["updated"], 0);
  EXPECT_EQ(Reload("ju", item)["version"], now["version"]);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM audit_log WHERE action = 'problem.update'"), 1);
}

TEST_F(ProblemImport, AnUnknownOrOutOfScopeCodeIsAProblemOfThatCell) {
  Json b = Raise("ju", {{"enterprise_id", firm_b_}});  // town B's
  const std::string csv = "编号,问题,类别\r\n" + b["code"].get<std::string>() + ",改个标题,其他\r\nWT-2099-99999,另一个,其他\r\n";
  auto r = Import("zhena", csv);  // town A's user: town B's item is not theirs
  ASSERT_EQ(r.status, 422) << r.body;
  Json out = ProblemAt(r.json(), 2, "编号");
  ASSERT_NE(out, nullptr) << r.body;
  EXPECT_NE(out["message"].get<std::string>().find("不存在或不在您的范围"), std::string::npos);
  EXPECT_NE(ProblemAt(r.json(), 3, "编号"), nullptr) << r.body;
  EXPECT_EQ(Reload("ju", b)["title"], b["title"]);

  // The department has no problem:assign.
  EXPECT_EQ(Import("fgj", csv).status, 403);
}

TEST_F(ProblemImport, AnAmbiguousUnitNameNamesTheCandidates) {
  const std::string row = ",项目审批慢,示例科技有限公司,,审批手续,,,2025-09-20,{unit},,,,,,,\r\n";
  std::string csv = std::string(kHeader) + row;
  csv.replace(csv.find("{unit}"), 6, "发改局");
  auto r = Import("ju", csv);
  ASSERT_EQ(r.status, 422) << r.body;
  Json e = ProblemAt(r.json(), 2, "责任单位");
  ASSERT_NE(e, nullptr) << r.body;
  const std::string message = e["message"];
  EXPECT_NE(message.find("本级单位/发改局"), std::string::npos) << message;
  EXPECT_NE(message.find("镇A/发改局"), std::string::npos) << message;

  csv = std::string(kHeader) + row;
  csv.replace(csv.find("{unit}"), 6, "镇A/发改局");
  auto ok = Import("ju", csv);
  ASSERT_EQ(ok.status, 200) << ok.body;
  EXPECT_EQ(List("ju")["items"][0]["lead_unit_name"], "发改局");
  EXPECT_NE(List("ju")["items"][0]["lead_unit_id"], dept_);
}

TEST_F(ProblemImport, AGbkCsvIsRead) {
  const std::string csv = std::string(kHeader) + ",厂区供电接入迟迟未办,示例科技有限公司,,水电气暖配套,企业提交,一般,2025-09-01,,,,,,,,\r\n";
  auto r = Import("ju", Gbk(csv));
  ASSERT_EQ(r.status, 200) << r.body;
  Json item = List("ju")["items"][0];
  EXPECT_EQ(item["title"], "厂区供电接入迟迟未办");
  EXPECT_EQ(item["category"], "utilities");
  EXPECT_EQ(item["source"], "enterprise");
}

TEST_F(ProblemImport, AClosedItemCountsAsResolvedInTheFigures) {
  // Raised 09-01, resolved 09-10 (7 working days), closed 09-12, 满意; the
  // second leaves 销号时间 out: it takes 办结时间, with a warning.
  const std::string csv = std::string(kHeader) +
                          ",厂区供电接入,示例科技有限公司,,水电气暖配套,,,2025-09-01,发改局/本级单位,,2025-09-15,已销号,"
                          "已协调供电公司接入,2025-09-10,2025-09-12,满意\r\n"
                          ",用工招聘难,示例科技有限公司,,用工,,,2025-09-02,FGJ,,,已销号,已组织专场招聘,2025-09-05,,\r\n";
  auto r = Import("ju", csv);
  ASSERT_EQ(r.status, 422) << "发改局/本级单位 is no unit's name: " << r.body;
  std::string fixed = csv;
  fixed.replace(fixed.find("发改局/本级单位"), std::string("发改局/本级单位").size(), "本级单位/发改局");
  r = Import("ju", fixed);
  ASSERT_EQ(r.status, 200) << r.body;
  ASSERT_EQ(r.json()["warnings"].size(), 1u) << r.body;
  EXPECT_EQ(r.json()["warnings"][0]["row"], 3);
  EXPECT_EQ(r.json()["warnings"][0]["column"], "销号时间");

  Json first = Reload("ju", List("ju")["items"][0]);
  EXPECT_EQ(first["status"], "closed");
  EXPECT_EQ(first["resolved_on"], "2025-09-10");
  EXPECT_EQ(first["resolve_days"], 7);
  EXPECT_EQ(first["closed_on"], "2025-09-12");
  EXPECT_EQ(first["satisfaction"], "satisfied");
  EXPECT_EQ(first["overdue"], false);

  auto stats = Get("ju", "/api/v1/problems/stats?group=month&from=2025-09-01&to=2025-09-30");
  ASSERT_EQ(stats.status, 200) << stats.body;
  Json total = stats.json()["total"];
  EXPECT_EQ(total["raised"], 2);
  EXPECT_EQ(total["resolved"], 2);
  EXPECT_EQ(total["closed"], 2);
  EXPECT_EQ(total["on_time_rate"], 1.0);
  EXPECT_EQ(total["satisfied"], 1);
}

TEST_F(ProblemImport, AnExportedLedgerReimportsUnchanged) {
  Json a = Raise("ju", {{"enterprise_id", firm_a_}, {"source", "visit"}, {"urgency", "urgent"}});
  Raise("ju", {{"enterprise_id", firm_b_}, {"title", "=HYPERLINK(\"http://example.com\")"}, {"category", "land"}});
  ASSERT_EQ(Act("ju", a, {{"action", "assign"}, {"lead_unit_id", zrj_}, {"co_unit_ids", {town_a_}}}).status, 200);
  auto exported = Get("ju", "/api/v1/problems/export?sort=code");
  ASSERT_EQ(exported.status, 200) << exported.body;
  auto h = as_["ju"];
  h["Content-Type"] = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
  auto r = s_.Send("POST", "/api/v1/problems/import", exported.body, h);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json()["rows"], 2);
  EXPECT_EQ(r.json()["unchanged"], 2);
  EXPECT_EQ(r.json()["updated"], 0);
  EXPECT_EQ(r.json()["created"], 0);
  EXPECT_EQ(r.json()["warnings"], Json::array());
}

TEST_F(ProblemImport, HostileTextIsStoredAsTextWithinThePostRoutesLimits) {
  const std::string formula = "=cmd|' /C calc'!A0";
  std::string csv = std::string(kHeader) + ",\"" + formula + "\",示例科技有限公司,,其他,,,,,,,,,,,\r\n";
  auto r = Import("ju", csv);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(List("ju")["items"][0]["title"], formula);

  std::string long_title;
  for (int i = 0; i < 101; ++i) long_title += "长";
  auto post = Post("ju", "/api/v1/problems", {{"title", long_title}, {"category", "other"}, {"enterprise_id", firm_a_}});
  ASSERT_EQ(post.status, 422);
  auto imported = Import("ju", std::string(kHeader) + "," + long_title + ",示例科技有限公司,,其他,,,,,,,,,,,\r\n");
  ASSERT_EQ(imported.status, 422) << imported.body;
  Json e = ProblemAt(imported.json(), 2, "问题");
  ASSERT_NE(e, nullptr) << imported.body;
  EXPECT_EQ(e["message"], post.json()["error"]["message"]) << "the same rule, the same words";
  EXPECT_EQ(List("ju")["total"], 1);
}

}  // namespace
}  // namespace zb::testing
