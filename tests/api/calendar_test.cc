// /api/v1/calendar: the working-day calendar as shipped, edited, imported,
// and the arithmetic the scheduler uses, over HTTP on both engines.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include "api/identity_helpers.h"
#include "api/test_server.h"

namespace zb::testing {
namespace {

// A GBK file as Excel saves "CSV" on a Chinese Windows:
//   date,kind,name / 2027-01-01,放假,元旦 / 2027-02-07,调休上班,春节调休上班
constexpr char kGbk2027[] =
    "date,kind,name\n2027-01-01,\xb7\xc5\xbc\xd9,\xd4\xaa\xb5\xa9\n2027-02-07,\xb5\xf7\xd0\xdd\xc9\xcf\xb0\xe0,"
    "\xb4\xba\xbd\xda\xb5\xf7\xd0\xdd\xc9\xcf\xb0\xe0\n";

class Calendar : public ::testing::Test {
 protected:
  void SetUp() override { s_.SignInAsAdmin(); }

  // The n-th working day after (n < 0: before) `from`.
  std::string Add(const std::string& from, int n) {
    auto r = s_.Get("/api/v1/calendar/working-days?from=" + from + "&n=" + std::to_string(n));
    EXPECT_EQ(r.status, 200) << r.body;
    return r.json().value("date", "");
  }
  int64_t Between(const std::string& from, const std::string& to) {
    auto r = s_.Get("/api/v1/calendar/working-days?from=" + from + "&to=" + to);
    EXPECT_EQ(r.status, 200) << r.body;
    return r.json().value("working_days", int64_t{-999});
  }
  int64_t WorkingDaysIn(int year) {
    auto r = s_.Get("/api/v1/calendar?year=" + std::to_string(year));
    EXPECT_EQ(r.status, 200) << r.body;
    return r.json().value("working_days", int64_t{-1});
  }
  HttpResult Import(const std::string& csv, bool dry_run) {
    return s_.Send("POST", std::string("/api/v1/calendar/import") + (dry_run ? "?dry_run=true" : ""), csv,
                   {{"Content-Type", "text/csv"}});
  }
  Json Audit(const std::string& action) {
    auto r = s_.Get("/api/v1/audit-log?action=" + action);
    EXPECT_EQ(r.status, 200) << r.body;
    return r.json();
  }
  std::string FieldOf(const HttpResult& r) { return r.json()["error"].value("field", ""); }

  TestServer s_;
};

TEST_F(Calendar, TheIssuesExamplesOnTheShippedCalendar) {
  EXPECT_EQ(Add("2024-02-08", 5), "2024-02-21");   // 春节 week off, the swapped Sunday 02-18 on
  EXPECT_EQ(Add("2025-10-09", -3), "2025-09-28");  // a swapped Sunday
  EXPECT_EQ(Add("2023-09-28", 2), "2023-10-08");
  EXPECT_EQ(Add("2026-02-14", 0), "2026-02-14");   // a working Saturday
  EXPECT_EQ(Add("2026-02-15", 0), "2026-02-24");   // 春节: the next working day
  EXPECT_EQ(Between("2024-02-08", "2024-02-21"), 5);
  EXPECT_EQ(Between("2024-02-21", "2024-02-08"), -5);
  // Across a year end: 2025-12-31 (Wed) → 元旦 2026-01-01..03 off, 01-04 (Sun) on.
  EXPECT_EQ(Add("2025-12-31", 1), "2026-01-04");

  auto year = s_.Get("/api/v1/calendar?year=2026");
  ASSERT_EQ(year.status, 200) << year.body;
  Json y = year.json();
  EXPECT_EQ(y["from"], "2026-01-01");
  EXPECT_EQ(y["to"], "2026-12-31");
  EXPECT_EQ(y["working_days"], 248);
  EXPECT_EQ(y["rest_days"], 365 - 248);
  bool found = false;
  for (const auto& d : y["days"]) {
    if (d["date"] == "2026-02-14") {
      found = true;
      EXPECT_EQ(d["kind"], "workday");
      EXPECT_EQ(d["name"], "春节调休上班");
    }
  }
  EXPECT_TRUE(found) << y.dump();
  // A year nobody loaded yet: weekends only.
  EXPECT_EQ(WorkingDaysIn(2027), 261);
  EXPECT_TRUE(s_.Get("/api/v1/calendar?year=2027").json()["days"].empty());
}

TEST_F(Calendar, AnEditChangesTheArithmeticAndIsAudited) {
  // 2027-03-01 is a Monday.
  EXPECT_EQ(Add("2027-02-26", 1), "2027-03-01");
  auto set = s_.SendJson("PUT", "/api/v1/calendar/days/2027-03-01", {{"kind", "holiday"}, {"name", "临时放假"}});
  ASSERT_EQ(set.status, 200) << set.body;
  EXPECT_EQ(set.json(), (Json{{"date", "2027-03-01"}, {"kind", "holiday"}, {"name", "临时放假"}}));
  EXPECT_EQ(Add("2027-02-26", 1), "2027-03-02");
  EXPECT_EQ(WorkingDaysIn(2027), 260);

  // A Saturday made a working day.
  ASSERT_EQ(s_.SendJson("PUT", "/api/v1/calendar/days/2027-03-06", {{"kind", "workday"}}).status, 200);
  EXPECT_EQ(Add("2027-03-05", 1), "2027-03-06");

  auto audit = Audit("calendar.set");
  ASSERT_EQ(audit["total"], 2) << audit.dump();
  EXPECT_EQ(audit["items"][1]["entity_id"], "2027-03-01");
  EXPECT_EQ(audit["items"][1]["changes"]["after"]["name"], "临时放假");

  ASSERT_EQ(s_.Send("DELETE", "/api/v1/calendar/days/2027-03-01", "").status, 204);
  EXPECT_EQ(Add("2027-02-26", 1), "2027-03-01");
  auto again = s_.Send("DELETE", "/api/v1/calendar/days/2027-03-01", "");
  EXPECT_EQ(again.status, 404);
  EXPECT_EQ(FieldOf(again), "date");
  auto cleared = Audit("calendar.clear");
  ASSERT_EQ(cleared["total"], 1);
  EXPECT_EQ(cleared["items"][0]["changes"]["before"]["kind"], "holiday");
}

TEST_F(Calendar, ValidationNamesTheField) {
  auto put = [&](const std::string& date, const Json& body) {
    return s_.SendJson("PUT", "/api/v1/calendar/days/" + date, body);
  };
  auto r = put("2027-02-30", {{"kind", "holiday"}});
  EXPECT_EQ(r.status, 422);
  EXPECT_EQ(FieldOf(r), "date");
  r = put("1900-01-01", {{"kind", "holiday"}});
  EXPECT_EQ(FieldOf(r), "date");
  r = put("2027-03-01", {{"kind", "holiday"}, {"colour", "red"}});
  EXPECT_EQ(r.status, 422);
  EXPECT_EQ(FieldOf(r), "colour");
  r = put("2027-03-01", {{"name", "x"}});
  EXPECT_EQ(FieldOf(r), "kind");
  r = put("2027-03-01", {{"kind", "rest"}});
  EXPECT_EQ(FieldOf(r), "kind");
  r = put("2027-03-01", {{"kind", 1}});
  EXPECT_EQ(FieldOf(r), "kind");
  r = put("2027-03-01", {{"kind", "workday"}});  // a Monday already works
  EXPECT_EQ(r.status, 422);
  EXPECT_EQ(FieldOf(r), "kind");
  r = put("2027-03-01", {{"kind", "holiday"}, {"name", std::string(41, 'x')}});
  EXPECT_EQ(FieldOf(r), "name");
  r = s_.Send("PUT", "/api/v1/calendar/days/2027-03-01", "{not json", {{"Content-Type", "application/json"}});
  EXPECT_EQ(r.status / 100, 4);

  EXPECT_EQ(FieldOf(s_.Get("/api/v1/calendar")), "year");
  EXPECT_EQ(FieldOf(s_.Get("/api/v1/calendar?year=20x6")), "year");
  EXPECT_EQ(FieldOf(s_.Get("/api/v1/calendar?year=1989")), "year");
  EXPECT_EQ(FieldOf(s_.Get("/api/v1/calendar?from=2024-01-01&to=2027-01-01")), "to");
  EXPECT_EQ(FieldOf(s_.Get("/api/v1/calendar?from=2024-01-01&to=2023-12-31")), "to");
  EXPECT_EQ(FieldOf(s_.Get("/api/v1/calendar?from=2024-1-1&to=2024-12-31")), "from");
  auto range = s_.Get("/api/v1/calendar?from=2024-02-01&to=2024-02-29");
  ASSERT_EQ(range.status, 200) << range.body;
  EXPECT_EQ(range.json()["working_days"], 18);  // 21 weekdays − 5 春节 weekdays (02-12..16) + 2 swapped Sundays

  EXPECT_EQ(FieldOf(s_.Get("/api/v1/calendar/working-days?n=3")), "from");
  EXPECT_EQ(FieldOf(s_.Get("/api/v1/calendar/working-days?from=2026-01-05")), "n");
  EXPECT_EQ(FieldOf(s_.Get("/api/v1/calendar/working-days?from=2026-01-05&n=3&to=2026-02-01")), "to");
  EXPECT_EQ(FieldOf(s_.Get("/api/v1/calendar/working-days?from=2026-01-05&n=three")), "n");
  EXPECT_EQ(FieldOf(s_.Get("/api/v1/calendar/working-days?from=2026-01-05&n=99999999999")), "n");
  EXPECT_EQ(FieldOf(s_.Get("/api/v1/calendar/working-days?from=2026-01-05&to=2026-13-01")), "to");
}

TEST_F(Calendar, OnlyCalendarWriteEditsEveryoneReads) {
  AddUser(s_, "bureau1", RootUnitId(s_), {BuiltinRoleId(s_, "bureau")});
  ASSERT_EQ(s_.SignIn("bureau1", kUserPassword).status, 200);
  EXPECT_EQ(s_.Get("/api/v1/calendar?year=2026").status, 200);
  EXPECT_EQ(Add("2024-02-08", 5), "2024-02-21");
  EXPECT_EQ(s_.SendJson("PUT", "/api/v1/calendar/days/2027-03-01", {{"kind", "holiday"}}).status, 403);
  EXPECT_EQ(s_.Send("DELETE", "/api/v1/calendar/days/2026-02-14", "").status, 403);
  EXPECT_EQ(Import("date,kind\n2027-01-01,holiday\n", false).status, 403);
  EXPECT_EQ(Add("2026-02-13", 1), "2026-02-14") << "nothing changed";
}

TEST_F(Calendar, ImportDryRunThenRealAllOrNothing) {
  const std::string file =
      "date,kind,name\n"
      "2026-01-01,holiday,元旦\n"         // as shipped: unchanged
      "2026-02-14,workday,春节补班\n"     // renamed: updated
      "2027-01-01,holiday,元旦\n"         // created
      "2027-02-07,workday,春节调休上班\n";  // created (a Sunday)
  auto dry = Import(file, true);
  ASSERT_EQ(dry.status, 200) << dry.body;
  Json d = dry.json();
  EXPECT_EQ(d["ok"], true);
  EXPECT_EQ(d["dry_run"], true);
  EXPECT_EQ(d["rows"], 4);
  EXPECT_EQ(d["created"], 2);
  EXPECT_EQ(d["updated"], 1);
  EXPECT_EQ(d["unchanged"], 1);
  EXPECT_EQ(Add("2026-12-31", 1), "2027-01-01") << "a dry run writes nothing";  // a Friday
  EXPECT_EQ(Audit("calendar.import")["total"], 0);

  auto real = Import(file, false);
  ASSERT_EQ(real.status, 200) << real.body;
  EXPECT_EQ(real.json()["dry_run"], false);
  EXPECT_EQ(real.json()["created"], 2);
  EXPECT_EQ(Add("2026-12-31", 1), "2027-01-04");  // 01-01 now off, then the weekend
  EXPECT_EQ(Add("2027-02-05", 1), "2027-02-07");  // the swapped Sunday
  EXPECT_EQ(Audit("calendar.import")["total"], 1);

  // One bad row and nothing is written; every problem is reported.
  auto bad = Import("date,kind,name\n2027-10-01,holiday,国庆节\n2027-10-02,rest,国庆节\n2027-10-01,holiday,x\n", false);
  ASSERT_EQ(bad.status, 422) << bad.body;
  Json b = bad.json();
  EXPECT_EQ(b["error"]["field"], "file");
  EXPECT_EQ(b["ok"], false);
  ASSERT_EQ(b["errors"].size(), 2u) << b.dump();
  EXPECT_EQ(b["errors"][0]["row"], 3);
  EXPECT_EQ(b["errors"][0]["column"], "kind");
  EXPECT_EQ(b["errors"][1]["row"], 4);
  EXPECT_EQ(b["errors"][1]["column"], "date");
  EXPECT_EQ(Add("2027-09-30", 1), "2027-10-01") << "nothing written";
  EXPECT_EQ(Audit("calendar.import")["total"], 1);

  auto xlsx = Import(std::string("PK\x03\x04", 4) + "rest of a zip", true);
  EXPECT_EQ(xlsx.status, 422);
  EXPECT_EQ(xlsx.json()["errors"][0]["row"], 0);
  auto json_body = s_.Send("POST", "/api/v1/calendar/import", "{}", {{"Content-Type", "application/json"}});
  EXPECT_EQ(json_body.status, 415);
}

TEST_F(Calendar, ImportsAGbkFileSavedByExcel) {
  auto r = Import(kGbk2027, false);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json()["created"], 2);
  auto y = s_.Get("/api/v1/calendar?year=2027").json();
  ASSERT_EQ(y["days"].size(), 2u) << y.dump();
  EXPECT_EQ(y["days"][0]["name"], "元旦");
  EXPECT_EQ(y["days"][1]["kind"], "workday");
  EXPECT_EQ(y["days"][1]["name"], "春节调休上班");
}

// `zhuanban calendar import` is another process on the same database: the
// running server sees its change on the next read.
TEST_F(Calendar, TheCommandLineImportReachesTheRunningServer) {
  auto run = [](const std::string& cmd) {
    std::string out;
    FILE* p = ::popen((cmd + " 2>&1").c_str(), "r");
    std::array<char, 4096> buf;
    for (size_t n; p && (n = fread(buf.data(), 1, buf.size(), p)) > 0;) out.append(buf.data(), n);
    int status = p ? ::pclose(p) : -1;
    return std::make_pair(WIFEXITED(status) ? WEXITSTATUS(status) : -1, out);
  };
  const std::filesystem::path dir = s_.data_dir();
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "2027.csv") << kGbk2027;
  std::ofstream(dir / "bad.csv") << "date,kind,name\n2027-01-04,workday,x\n";
  const std::string bin = std::string(ZB_BINARY) + " calendar import ";
  const std::string db = " --db '" + s_.db_url() + "' --log-level warn";

  auto [dry_code, dry_out] = run(bin + (dir / "2027.csv").string() + " --dry-run" + db);
  EXPECT_EQ(dry_code, 0) << dry_out;
  EXPECT_NE(dry_out.find("新增 2"), std::string::npos) << dry_out;
  EXPECT_EQ(Add("2026-12-31", 1), "2027-01-01");

  auto [code, out] = run(bin + (dir / "2027.csv").string() + db);
  EXPECT_EQ(code, 0) << out;
  EXPECT_EQ(Add("2026-12-31", 1), "2027-01-04");
  EXPECT_EQ(Audit("calendar.import")["total"], 1);

  auto [bad_code, bad_out] = run(bin + (dir / "bad.csv").string() + db);
  EXPECT_EQ(bad_code, 1) << bad_out;
  EXPECT_NE(bad_out.find("第 2 行 · kind"), std::string::npos) << bad_out;
}

}  // namespace
}  // namespace zb::testing
