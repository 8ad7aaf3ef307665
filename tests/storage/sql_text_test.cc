// The placeholder scanner both adapters rely on.
#include "storage/sql_text.h"

#include <gtest/gtest.h>

namespace zb::db::internal {
namespace {

std::string Rewrite(std::string_view sql) { return ScanPlaceholders(sql, true).sql; }
int MaxIndex(std::string_view sql) { return ScanPlaceholders(sql, false).max_index; }

TEST(ScanPlaceholders, RewritesEveryPlaceholderKeepingItsNumber) {
  EXPECT_EQ(Rewrite("SELECT $1, $10, $2 FROM t WHERE a = $1"), "SELECT ?1, ?10, ?2 FROM t WHERE a = ?1");
  EXPECT_EQ(MaxIndex("SELECT $1, $10, $2"), 10);
  EXPECT_EQ(MaxIndex("SELECT 1"), 0);
  EXPECT_EQ(Rewrite("VALUES($1,$2)"), "VALUES(?1,?2)");
}

TEST(ScanPlaceholders, LeavesLiteralsIdentifiersAndCommentsAlone) {
  EXPECT_EQ(Rewrite("SELECT '$1', 'it''s $2', $1"), "SELECT '$1', 'it''s $2', ?1");
  EXPECT_EQ(Rewrite("SELECT \"a$1\", \"q\"\"$2\" FROM t"), "SELECT \"a$1\", \"q\"\"$2\" FROM t");
  EXPECT_EQ(Rewrite("SELECT 1 -- $1\n, $2"), "SELECT 1 -- $1\n, ?2");
  EXPECT_EQ(Rewrite("SELECT /* $1 /* nested $2 */ $3 */ $4"), "SELECT /* $1 /* nested $2 */ $3 */ ?4");
  EXPECT_EQ(MaxIndex("SELECT '$9', $1"), 1);
}

TEST(ScanPlaceholders, PostgresSpecifics) {
  EXPECT_EQ(Rewrite("SELECT E'\\'$1', $2"), "SELECT E'\\'$1', ?2");
  EXPECT_EQ(Rewrite("SELECT $$ $1 $$, $tag$ it's $2 $tag$, $3"), "SELECT $$ $1 $$, $tag$ it's $2 $tag$, ?3");
  EXPECT_EQ(Rewrite("SELECT a$1 FROM t"), "SELECT a$1 FROM t");  // an identifier
  EXPECT_EQ(Rewrite("SELECT $name, $1"), "SELECT $name, ?1");    // not ours: left as is
}

TEST(ScanPlaceholders, UnterminatedInputDoesNotCrash) {
  EXPECT_EQ(Rewrite("SELECT '$1"), "SELECT '$1");
  EXPECT_EQ(Rewrite("SELECT /* $1"), "SELECT /* $1");
  EXPECT_EQ(Rewrite("SELECT $"), "SELECT $");
}

TEST(NormalizeKeyword, TrimsAndUppercases) {
  EXPECT_EQ(NormalizeKeyword("  commit ;\n"), "COMMIT");
  EXPECT_EQ(NormalizeKeyword("ROLLBACK"), "ROLLBACK");
}

}  // namespace
}  // namespace zb::db::internal
