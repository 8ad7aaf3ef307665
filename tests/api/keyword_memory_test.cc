// A keyword search answered from memory (storage/project_repo.h,
// WarmKeywordTable: the facets, counts and page of a keyword with only
// faceted filters and a scope of units come from a table of every project's
// facet values per data version) must give exactly what the same search
// gives in SQL, on both engines: every total, facet, count and page, for
// terms of one to three characters and two terms, each faceted filter, a
// unit scope, three orders and two pages — and, after a write, the new
// answer, not the table's old one.
//
// The SQL answer is asked with min_investment=0: every project has a total
// investment ≥ 0 (a CHECK), so the filter keeps the same projects, and it
// is one the table does not answer.
#include <gtest/gtest.h>

#include <functional>
#include <memory>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "api/test_server.h"  // TestEngine
#include "app/project_gen.h"
#include "app/seed.h"
#include "core/chinese.h"  // FoldForSearch
#include "core/clock.h"
#include "storage/migrations.h"
#include "storage/project_repo.h"
#include "storage/test_db.h"

namespace zb::testing {
namespace {

const Date kToday = *Date::FromYmd(2026, 11, 24);

std::string Describe(const storage::ProjectPage& page) {
  std::ostringstream o;
  o << "total " << page.total << "\nids";
  for (const auto& p : page.items) o << " " << p.id;
  auto facet = [&](const char* name, const std::vector<storage::FacetCount>& v) {
    o << "\n" << name << ":";
    for (const auto& c : v) o << " " << c.value << "/" << c.label << "=" << c.count;
  };
  facet("stage", page.facets.stage);
  facet("level", page.facets.level);
  facet("category", page.facets.category);
  facet("org_unit", page.facets.org_unit);
  facet("warning", page.facets.warning);
  o << "\ncounts " << page.counts.total_investment << " " << page.counts.started << " " << page.counts.resumed << " "
    << page.counts.started_or_resumed;
  return o.str();
}

class KeywordMemoryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto made = testdb::TestDatabase::Create(TestEngine() == "postgres" ? db::Dialect::kPostgres : db::Dialect::kSqlite);
    ASSERT_TRUE(made.ok()) << made.status().ToString();
    database_ = std::move(*made);
    {  // `zhuanban init --demo`, then `zhuanban gen` on a pool of its own (see recompute_all_test.cc)
      auto init = db::Pool::Open(database_->url());
      ASSERT_TRUE(init.ok()) << init.status().ToString();
      ASSERT_TRUE(db::Migrate(**init).ok());
      FakeClock clock(kToday);
      ASSERT_TRUE(app::InitDatabase(**init, {.demo = true}, clock).ok());  // the demo district: towns, zones
      (*init)->Close();
    }
    auto pool = db::Pool::Open(database_->url());
    ASSERT_TRUE(pool.ok()) << pool.status().ToString();
    pool_ = std::move(*pool);
    auto gen = app::GenerateProjects(*pool_, 600, 7, nullptr, kToday);
    ASSERT_TRUE(gen.ok()) << gen.status().ToString();
  }

  void TearDown() override {
    if (pool_) pool_->Close();
    pool_.reset();
    database_.reset();
  }

  storage::ProjectPage List(const storage::ProjectFilter& f) {
    auto conn = pool_->Read();
    EXPECT_TRUE(conn.ok());
    auto page = storage::ListProjects(**conn, f);
    EXPECT_TRUE(page.ok()) << page.status().ToString();
    return page.ok() ? std::move(*page) : storage::ProjectPage{};
  }

  // The answer from memory and from SQL, described; expects them equal.
  std::string Same(storage::ProjectFilter f, const std::string& what) {
    const std::string memory = Describe(List(f));
    f.min_investment = 0;
    const std::string sql = Describe(List(f));
    EXPECT_EQ(memory, sql) << what;
    return memory;
  }

  db::Result Query(const std::string& sql) {
    auto conn = pool_->Read();
    EXPECT_TRUE(conn.ok());
    auto r = (*conn)->Query(sql);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? std::move(*r) : db::Result{};
  }

  std::unique_ptr<testdb::TestDatabase> database_;
  std::unique_ptr<db::Pool> pool_;
};

TEST_F(KeywordMemoryTest, EveryKeywordSearchAnswersAsSqlDoes) {
  // Keywords cut from the generated names: the first one, two and three
  // characters of some names (as typed), two terms, one that matches
  // nothing, and blanks.
  std::vector<std::string> keywords;
  for (const db::Row& r : Query("SELECT name FROM projects ORDER BY id LIMIT 6").rows) {
    const std::string name = r.Text("name");
    for (size_t chars : {1u, 2u, 3u}) {
      size_t end = 0;  // the first `chars` characters' bytes
      for (size_t i = 0; i < chars && end < name.size(); ++i) {
        const auto lead = static_cast<unsigned char>(name[end]);
        end += lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4;
      }
      keywords.push_back(name.substr(0, end));
    }
  }
  keywords.push_back("项目 工程");
  keywords.push_back("没有这个词");
  keywords.push_back("   ");  // blanks only: no condition, every project
  // A town or zone and its subtree; the most common category.
  const std::string category =
      Query("SELECT category FROM projects GROUP BY category ORDER BY COUNT(*) DESC LIMIT 1").rows.at(0).Text("category");
  const db::Result units = Query("SELECT id, path FROM org_units WHERE kind IN ('town', 'zone') ORDER BY id LIMIT 2");
  ASSERT_EQ(units.rows.size(), 2u);
  const int64_t town = units.rows[0].Int("id");
  const std::string town_path = units.rows[0].Text("path"), zone_path = units.rows[1].Text("path");

  std::vector<std::pair<std::string, std::function<void(storage::ProjectFilter&)>>> filters = {
      {"none", [](storage::ProjectFilter&) {}},
      {"stage", [](storage::ProjectFilter& f) { f.stages = {"under_construction", "preparing"}; }},
      {"level+category",
       [&](storage::ProjectFilter& f) {
         f.levels = {"municipal", "county"};
         f.categories = {category};
       }},
      {"warning", [](storage::ProjectFilter& f) { f.warnings = {"red", "none"}; }},
      {"属地 subtree", [&](storage::ProjectFilter& f) { f.org_path_prefix = town_path; }},
      {"scope of two units' subtrees",
       [&](storage::ProjectFilter& f) {
         f.scope = storage::ScopeFilterSql{.subtree_paths = {town_path, zone_path}};
       }},
      {"scope of one unit", [&](storage::ProjectFilter& f) { f.scope = storage::ScopeFilterSql{.unit_ids = {town}}; }},
      {"scope all", [](storage::ProjectFilter& f) { f.scope = storage::ScopeFilterSql{.all = true}; }},
      {"开复工 2025", [](storage::ProjectFilter& f) { f.start_year = 2025; }},
  };
  const std::vector<std::vector<storage::SortKey>> sorts = {
      {}, {{"updated_at", false}}, {{"total_investment", true}}, {{"total_investment", false}}, {{"name", false}}};
  int non_empty = 0;
  std::set<std::string> distinct;
  for (const std::string& q : keywords) {
    for (const auto& [name, apply] : filters) {
      for (const auto& sort : sorts) {
        for (int64_t page : {1, 3}) {
          for (bool facets : {true, false}) {
            storage::ProjectFilter f;
            f.q = FoldForSearch(q);
            f.start_year = 2026;
            apply(f);
            f.sort = sort;
            f.page = page;
            f.page_size = 7;
            f.with_facets = facets;
            const std::string what = q + " / " + name + " / sort " + (sort.empty() ? "-" : sort[0].column) +
                                     " / page " + std::to_string(page) + (facets ? " / facets" : "");
            const std::string answer = Same(f, what);
            distinct.insert(answer);
            if (answer.find("total 0") != 0) ++non_empty;
          }
        }
      }
    }
  }
  // The comparison is not between empty answers.
  EXPECT_GT(non_empty, 1000);
  EXPECT_GT(distinct.size(), 500u);
}

TEST_F(KeywordMemoryTest, AfterAWriteTheAnswerIsTheNewOne) {
  const db::Result first = Query("SELECT id, name, level FROM projects WHERE level <> 'national' ORDER BY id LIMIT 1");
  ASSERT_EQ(first.rows.size(), 1u);
  const int64_t id = first.rows[0].Int("id");
  storage::ProjectFilter f;
  f.q = FoldForSearch(first.rows[0].Text("name"));
  f.start_year = 2026;
  f.levels = {"national"};
  const std::string before = Same(f, "before");  // builds the table for this version
  const int64_t national_before = List(f).total;

  // Make the project 国家 level: the same keyword's answer must count it.
  Status s = db::InTx(*pool_, [&](db::Connection& c) -> Status {
    ZB_ASSIGN_OR_RETURN(storage::Project p, storage::GetProject(c, id));
    storage::ProjectData d = p.data;
    d.level = "national";
    return storage::UpdateProject(c, p, d, 1'800'000'000'000).status();
  });
  ASSERT_TRUE(s.ok()) << s.ToString();
  const std::string after = Same(f, "after");
  EXPECT_NE(before, after);
  EXPECT_EQ(List(f).total, national_before + 1);
}

// With a scheduler (the server's background thread) a search that finds
// no table for the current data — after a write — answers in SQL, the same
// answer, and asks for the table instead of building it; once built, the
// next search takes it and asks for nothing.
TEST_F(KeywordMemoryTest, AMissingTableIsAskedForNotAwaited) {
  std::vector<int64_t> asked;
  storage::SetKeywordTableScheduler([&](int64_t year) { asked.push_back(year); });
  struct Unset {
    ~Unset() { storage::SetKeywordTableScheduler({}); }
  } unset;
  storage::ProjectFilter f;
  f.q = FoldForSearch("项目");
  f.start_year = 2025;
  Status s = db::InTx(*pool_, [&](db::Connection& c) -> Status {  // a write: a new data version
    return c.Exec("UPDATE projects SET total_investment = total_investment + 1 WHERE id = 1");
  });
  ASSERT_TRUE(s.ok()) << s.ToString();
  Same(f, "after the write");
  EXPECT_EQ(asked, std::vector<int64_t>{2025});
  {
    auto conn = pool_->Read();
    ASSERT_TRUE(conn.ok());
    ASSERT_TRUE(storage::WarmKeywordTable(**conn, 2025).ok());
  }
  f.page = 2;  // not the page already kept
  Same(f, "with the table");
  EXPECT_EQ(asked.size(), 1u) << "the table was there: nothing more to ask for";
}

}  // namespace
}  // namespace zb::testing
