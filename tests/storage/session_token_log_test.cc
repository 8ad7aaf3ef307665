// storage/session_repo, api_token_repo and login_log_repo: written once, run
// on both engines.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "storage/api_token_repo.h"
#include "storage/identity_fixture.h"
#include "storage/login_log_repo.h"
#include "storage/scope_sql.h"
#include "storage/session_repo.h"

namespace zb::storage_test {
namespace {

using storage::ApiToken;
using storage::LoginLogEntry;
using storage::LoginLogFilter;
using storage::Session;

constexpr int64_t kMin = 60'000;
constexpr int64_t kIdle = 30 * kMin;
constexpr int64_t kAbsolute = 12 * 60 * kMin;

template <typename Engine>
class SessionRepoTest : public IdentityTest<Engine> {
 protected:
  void SetUp() override {
    IdentityTest<Engine>::SetUp();
    if (this->HasFatalFailure()) return;
    auto unit = this->Unit(std::nullopt, "WH");
    ASSERT_TRUE(unit.ok()) << unit.status().ToString();
    auto a = this->NewUserIn(unit->id, "alice");
    ASSERT_TRUE(a.ok()) << a.status().ToString();
    auto b = this->NewUserIn(unit->id, "bob");
    ASSERT_TRUE(b.ok()) << b.status().ToString();
    alice_ = a->id;
    bob_ = b->id;
  }

  Status Create(const std::string& id_hash, int64_t user_id, int64_t created_at) {
    return this->Write([&](db::Connection& c) {
      Session s;
      s.id_hash = id_hash;
      s.user_id = user_id;
      s.csrf_token = "csrf-" + id_hash;
      s.created_at = created_at;
      s.last_seen_at = created_at;
      s.ip = "10.0.0.1";
      s.user_agent = "UA";
      return storage::CreateSession(c, s);
    });
  }

  StatusOr<std::optional<Session>> Find(const std::string& id_hash) {
    return this->Read([&](db::Connection& c) { return storage::FindSession(c, id_hash); });
  }

  StatusOr<std::vector<std::string>> Active(int64_t now) {
    ZB_ASSIGN_OR_RETURN(auto rows, this->Read([&](db::Connection& c) {
      return storage::ListActiveSessions(c, now, kIdle, kAbsolute);
    }));
    std::vector<std::string> out;
    for (const auto& r : rows) out.push_back(r.session.id_hash);
    return out;
  }

  int64_t alice_ = 0;
  int64_t bob_ = 0;
};
TYPED_TEST_SUITE(SessionRepoTest, Engines, EngineName);

template <typename Engine>
class ApiTokenRepoTest : public SessionRepoTest<Engine> {};
TYPED_TEST_SUITE(ApiTokenRepoTest, Engines, EngineName);

template <typename Engine>
class LoginLogRepoTest : public IdentityTest<Engine> {};
TYPED_TEST_SUITE(LoginLogRepoTest, Engines, EngineName);

// ---- sessions ----------------------------------------------------------------

TYPED_TEST(SessionRepoTest, CreateFindAndDuplicate) {
  ZB_ASSERT_OK(this->Create("h1", this->alice_, kIdT0));
  ZB_ASSERT_OK_AND_ASSIGN(auto s, this->Find("h1"));
  ASSERT_TRUE(s.has_value());
  EXPECT_EQ(s->user_id, this->alice_);
  EXPECT_EQ(s->csrf_token, "csrf-h1");
  EXPECT_EQ(s->created_at, kIdT0);
  EXPECT_EQ(s->last_seen_at, kIdT0);
  EXPECT_EQ(s->ip, "10.0.0.1");
  EXPECT_EQ(s->user_agent, "UA");
  EXPECT_FALSE(s->revoked_at.has_value());
  EXPECT_EQ(s->revoked_reason, "");
  ZB_ASSERT_OK_AND_ASSIGN(auto none, this->Find("nope"));
  EXPECT_FALSE(none.has_value());
  Status dup = this->Create("h1", this->bob_, kIdT0);
  EXPECT_EQ(dup.code(), StatusCode::kAlreadyExists);
}

TYPED_TEST(SessionRepoTest, TouchAndRevoke) {
  ZB_ASSERT_OK(this->Create("h1", this->alice_, kIdT0));
  ZB_ASSERT_OK(this->Write([&](db::Connection& c) { return storage::TouchSession(c, "h1", kIdT0 + kMin); }));
  ZB_ASSERT_OK_AND_ASSIGN(auto s, this->Find("h1"));
  EXPECT_EQ(s->last_seen_at, kIdT0 + kMin);
  Status missing = this->Write([&](db::Connection& c) { return storage::TouchSession(c, "nope", kIdT0); });
  EXPECT_EQ(missing.code(), StatusCode::kNotFound);

  ZB_ASSERT_OK(this->Write([&](db::Connection& c) { return storage::RevokeSession(c, "h1", kIdT0 + 2 * kMin, "logout"); }));
  ZB_ASSERT_OK(this->Write([&](db::Connection& c) { return storage::RevokeSession(c, "h1", kIdT0 + 3 * kMin, "forced"); }));
  ZB_ASSERT_OK_AND_ASSIGN(s, this->Find("h1"));
  EXPECT_EQ(s->revoked_at, kIdT0 + 2 * kMin);  // the first revocation stands
  EXPECT_EQ(s->revoked_reason, "logout");
  Status touch_revoked = this->Write([&](db::Connection& c) { return storage::TouchSession(c, "h1", kIdT0 + 4 * kMin); });
  EXPECT_EQ(touch_revoked.code(), StatusCode::kNotFound);
  missing = this->Write([&](db::Connection& c) { return storage::RevokeSession(c, "nope", kIdT0, "x"); });
  EXPECT_EQ(missing.code(), StatusCode::kNotFound);
}

TYPED_TEST(SessionRepoTest, RevokeUserSessionsLeavesOthers) {
  ZB_ASSERT_OK(this->Create("a1", this->alice_, kIdT0));
  ZB_ASSERT_OK(this->Create("a2", this->alice_, kIdT0));
  ZB_ASSERT_OK(this->Create("b1", this->bob_, kIdT0));
  ZB_ASSERT_OK_AND_ASSIGN(int64_t n, this->Write([&](db::Connection& c) {
    return storage::RevokeUserSessions(c, this->alice_, kIdT0 + 1, "password_changed");
  }));
  EXPECT_EQ(n, 2);
  ZB_ASSERT_OK_AND_ASSIGN(auto a2, this->Find("a2"));
  EXPECT_EQ(a2->revoked_at, kIdT0 + 1);
  EXPECT_EQ(a2->revoked_reason, "password_changed");
  ZB_ASSERT_OK_AND_ASSIGN(auto b1, this->Find("b1"));
  EXPECT_FALSE(b1->revoked_at.has_value());
  ZB_ASSERT_OK_AND_ASSIGN(n, this->Write([&](db::Connection& c) {
    return storage::RevokeUserSessions(c, this->alice_, kIdT0 + 2, "again");
  }));
  EXPECT_EQ(n, 0);
}

TYPED_TEST(SessionRepoTest, RevokeOtherUserSessionsKeepsTheCurrentOne) {
  ZB_ASSERT_OK(this->Create("a1", this->alice_, kIdT0));
  ZB_ASSERT_OK(this->Create("a2", this->alice_, kIdT0));
  ZB_ASSERT_OK(this->Create("a3", this->alice_, kIdT0));
  ZB_ASSERT_OK(this->Create("b1", this->bob_, kIdT0));
  ZB_ASSERT_OK_AND_ASSIGN(int64_t n, this->Write([&](db::Connection& c) {
    return storage::RevokeOtherUserSessions(c, this->alice_, "a2", kIdT0 + 1, "password_changed");
  }));
  EXPECT_EQ(n, 2);
  for (const char* id : {"a1", "a3"}) {
    ZB_ASSERT_OK_AND_ASSIGN(auto s, this->Find(id));
    EXPECT_EQ(s->revoked_at, kIdT0 + 1) << id;
    EXPECT_EQ(s->revoked_reason, "password_changed") << id;
  }
  ZB_ASSERT_OK_AND_ASSIGN(auto kept, this->Find("a2"));
  EXPECT_FALSE(kept->revoked_at.has_value());
  ZB_ASSERT_OK_AND_ASSIGN(auto bobs, this->Find("b1"));
  EXPECT_FALSE(bobs->revoked_at.has_value());
}

TYPED_TEST(SessionRepoTest, ListActiveAppliesIdleAbsoluteAndRevocationAtAFixedNow) {
  const int64_t now = kIdT0 + 13 * 60 * kMin;
  ZB_ASSERT_OK(this->Create("fresh", this->alice_, now - kMin));
  ZB_ASSERT_OK(this->Create("idle", this->alice_, now - kIdle));  // exactly at the idle limit: gone
  ZB_ASSERT_OK(this->Create("nearly_idle", this->bob_, now - kIdle + 1));
  ZB_ASSERT_OK(this->Create("old", this->bob_, now - kAbsolute));  // touched recently, but too old
  ZB_ASSERT_OK(this->Write([&](db::Connection& c) { return storage::TouchSession(c, "old", now - 1); }));
  ZB_ASSERT_OK(this->Create("revoked", this->bob_, now - kMin));
  ZB_ASSERT_OK(this->Write([&](db::Connection& c) { return storage::RevokeSession(c, "revoked", now, "logout"); }));

  ZB_ASSERT_OK_AND_ASSIGN(auto ids, this->Active(now));
  EXPECT_EQ(ids, (std::vector<std::string>{"fresh", "nearly_idle"}));
  ZB_ASSERT_OK_AND_ASSIGN(auto rows, this->Read([&](db::Connection& c) {
    return storage::ListActiveSessions(c, now, kIdle, kAbsolute);
  }));
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].login, "alice");
  EXPECT_EQ(rows[0].display_name, "用户 alice");
  EXPECT_EQ(rows[1].login, "bob");

  // Delete what was last seen before now - idle: "idle" only ("old" was
  // touched, and revoked ones go by last_seen_at too).
  ZB_ASSERT_OK_AND_ASSIGN(int64_t deleted, this->Write([&](db::Connection& c) {
    return storage::DeleteExpiredSessions(c, now - kIdle + 1);
  }));
  EXPECT_EQ(deleted, 1);
  ZB_ASSERT_OK_AND_ASSIGN(auto idle, this->Find("idle"));
  EXPECT_FALSE(idle.has_value());
  ZB_ASSERT_OK_AND_ASSIGN(deleted, this->Write([&](db::Connection& c) {
    return storage::DeleteExpiredSessions(c, now + kIdle);
  }));
  EXPECT_EQ(deleted, 4);
}

TYPED_TEST(SessionRepoTest, DeletingAUserDeletesItsSessions) {
  ZB_ASSERT_OK(this->Create("a1", this->alice_, kIdT0));
  ZB_ASSERT_OK(this->ExecTx("DELETE FROM users WHERE id = $1", {this->alice_}));
  ZB_ASSERT_OK_AND_ASSIGN(auto a1, this->Find("a1"));
  EXPECT_FALSE(a1.has_value());
}

TYPED_TEST(SessionRepoTest, ListActiveInScopeKeepsUsersOfTheScopeAndFindCarriesTheUnit) {
  const int64_t now = kIdT0 + kMin;
  ZB_ASSERT_OK_AND_ASSIGN(auto town, this->Unit(std::nullopt, "T1"));
  ZB_ASSERT_OK_AND_ASSIGN(auto village, this->Unit(town.id, "V1"));
  ZB_ASSERT_OK_AND_ASSIGN(auto other, this->Unit(std::nullopt, "T2"));
  ZB_ASSERT_OK_AND_ASSIGN(auto carol, this->NewUserIn(village.id, "carol"));
  ZB_ASSERT_OK_AND_ASSIGN(auto dave, this->NewUserIn(other.id, "dave"));
  ZB_ASSERT_OK(this->Create("c1", carol.id, now - 2));
  ZB_ASSERT_OK(this->Create("d1", dave.id, now - 1));
  ZB_ASSERT_OK(this->Create("c_revoked", carol.id, now - 1));
  ZB_ASSERT_OK(this->Write([&](db::Connection& c) { return storage::RevokeSession(c, "c_revoked", now, "logout"); }));

  auto ids = [&](const storage::ScopeFilterSql& scope) -> StatusOr<std::vector<std::string>> {
    ZB_ASSIGN_OR_RETURN(auto rows, this->Read([&](db::Connection& c) {
      return storage::ListActiveSessionsInScope(c, now, kIdle, kAbsolute, scope);
    }));
    std::vector<std::string> out;
    for (const auto& r : rows) out.push_back(r.session.id_hash);
    return out;
  };
  storage::ScopeFilterSql all{.all = true};
  EXPECT_EQ(ids(all).value(), (std::vector<std::string>{"d1", "c1"}));  // newest activity first
  storage::ScopeFilterSql subtree{.subtree_paths = {town.path}};
  EXPECT_EQ(ids(subtree).value(), (std::vector<std::string>{"c1"}));
  storage::ScopeFilterSql unit_only{.unit_ids = {town.id}};
  EXPECT_TRUE(ids(unit_only).value().empty()) << "carol is in the village, not the town itself";
  storage::ScopeFilterSql self{.self_user_id = dave.id};
  EXPECT_EQ(ids(self).value(), (std::vector<std::string>{"d1"}));
  EXPECT_TRUE(ids(storage::ScopeFilterSql{}).value().empty());

  ZB_ASSERT_OK_AND_ASSIGN(auto found, this->Read([&](db::Connection& c) {
    return storage::FindSessionWithUnit(c, "c_revoked");
  }));
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->login, "carol");
  EXPECT_EQ(found->org_unit_id, village.id);
  EXPECT_EQ(found->org_path, village.path);
  EXPECT_TRUE(found->session.revoked_at.has_value()) << "found as stored, revoked or not";
  ZB_ASSERT_OK_AND_ASSIGN(auto missing, this->Read([&](db::Connection& c) {
    return storage::FindSessionWithUnit(c, "nope");
  }));
  EXPECT_FALSE(missing.has_value());
}

// ---- API tokens --------------------------------------------------------------

TYPED_TEST(ApiTokenRepoTest, CreateFindListTouchAndRevoke) {
  auto create = [&](int64_t user, const std::string& hash, std::optional<int64_t> expires, int64_t now) {
    return this->Write([&](db::Connection& c) {
      storage::NewApiToken in;
      in.user_id = user;
      in.name = "对接 " + hash;
      in.token_hash = hash;
      in.permissions = {"project:read", "problem:read"};
      in.expires_at = expires;
      return storage::CreateApiToken(c, in, now);
    });
  };
  ZB_ASSERT_OK_AND_ASSIGN(ApiToken t1, create(this->alice_, "th1", kIdT0 + 1000, kIdT0));
  EXPECT_GT(t1.id, 0);
  EXPECT_EQ(t1.permissions, (std::vector<std::string>{"project:read", "problem:read"}));
  EXPECT_EQ(t1.expires_at, kIdT0 + 1000);
  EXPECT_EQ(t1.created_at, kIdT0);
  EXPECT_FALSE(t1.last_used_at.has_value());
  EXPECT_FALSE(t1.revoked_at.has_value());
  ZB_ASSERT_OK_AND_ASSIGN(ApiToken t2, create(this->alice_, "th2", std::nullopt, kIdT0 + 1));
  EXPECT_FALSE(t2.expires_at.has_value());
  ZB_ASSERT_OK_AND_ASSIGN(ApiToken tb, create(this->bob_, "thb", std::nullopt, kIdT0 + 2));
  auto dup = create(this->bob_, "th1", std::nullopt, kIdT0);
  EXPECT_EQ(dup.status().code(), StatusCode::kAlreadyExists);
  EXPECT_EQ(dup.status().field(), "token_hash");

  ZB_ASSERT_OK_AND_ASSIGN(auto found, this->Read([&](db::Connection& c) { return storage::FindApiTokenByHash(c, "th2"); }));
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->id, t2.id);
  EXPECT_EQ(found->user_id, this->alice_);
  ZB_ASSERT_OK_AND_ASSIGN(auto none, this->Read([&](db::Connection& c) { return storage::FindApiTokenByHash(c, "zz"); }));
  EXPECT_FALSE(none.has_value());

  ZB_ASSERT_OK_AND_ASSIGN(auto mine, this->Read([&](db::Connection& c) { return storage::ListApiTokens(c, this->alice_); }));
  ASSERT_EQ(mine.size(), 2u);
  EXPECT_EQ(mine[0].id, t2.id);  // newest first
  EXPECT_EQ(mine[1].id, t1.id);

  ZB_ASSERT_OK(this->Write([&](db::Connection& c) { return storage::TouchApiToken(c, t1.id, kIdT0 + 50); }));
  Status missing = this->Write([&](db::Connection& c) { return storage::TouchApiToken(c, 999999, kIdT0); });
  EXPECT_EQ(missing.code(), StatusCode::kNotFound);

  // Bob cannot revoke Alice's token: NotFound, and it stays live.
  Status other = this->Write([&](db::Connection& c) { return storage::RevokeApiToken(c, t1.id, this->bob_, kIdT0 + 60); });
  EXPECT_EQ(other.code(), StatusCode::kNotFound);
  EXPECT_EQ(other.field(), "id");
  ZB_ASSERT_OK(this->Write([&](db::Connection& c) { return storage::RevokeApiToken(c, t1.id, this->alice_, kIdT0 + 70); }));
  ZB_ASSERT_OK(this->Write([&](db::Connection& c) { return storage::RevokeApiToken(c, t1.id, this->alice_, kIdT0 + 80); }));
  ZB_ASSERT_OK_AND_ASSIGN(found, this->Read([&](db::Connection& c) { return storage::FindApiTokenByHash(c, "th1"); }));
  EXPECT_EQ(found->revoked_at, kIdT0 + 70);
  EXPECT_EQ(found->last_used_at, kIdT0 + 50);
  ZB_ASSERT_OK_AND_ASSIGN(auto bobs, this->Read([&](db::Connection& c) { return storage::FindApiTokenByHash(c, "thb"); }));
  EXPECT_FALSE(bobs->revoked_at.has_value());
  (void)tb;
}

// ---- login log ---------------------------------------------------------------

TYPED_TEST(LoginLogRepoTest, AppendFilterAndPage) {
  for (int i = 0; i < 10; ++i) {
    LoginLogEntry e;
    e.at = kIdT0 + i * 1000;
    e.login = i % 2 ? "alice" : "bob";
    if (i % 2) e.user_id = 7;
    e.ip = "10.0.0." + std::to_string(i);
    e.user_agent = "UA";
    e.result = i % 3 == 0 ? "failure" : "success";
    e.reason = i % 3 == 0 ? "bad_password" : "";
    ZB_ASSERT_OK_AND_ASSIGN(int64_t id, this->Write([&](db::Connection& c) { return storage::AppendLoginLog(c, e); }));
    EXPECT_GT(id, 0);
  }
  auto list = [&](const LoginLogFilter& f) {
    return this->Read([&](db::Connection& c) { return storage::ListLoginLog(c, f); });
  };
  ZB_ASSERT_OK_AND_ASSIGN(auto all, list(LoginLogFilter{}));
  EXPECT_EQ(all.total, 10);
  ASSERT_EQ(all.items.size(), 10u);
  EXPECT_EQ(all.items[0].at, kIdT0 + 9000);  // newest first
  EXPECT_EQ(all.items[0].login, "alice");
  EXPECT_EQ(all.items[0].user_id, 7);
  EXPECT_EQ(all.items[0].ip, "10.0.0.9");
  EXPECT_EQ(all.items[0].result, "failure");
  EXPECT_EQ(all.items[0].reason, "bad_password");
  EXPECT_FALSE(all.items[1].user_id.has_value());

  LoginLogFilter f;
  f.login = "alice";
  ZB_ASSERT_OK_AND_ASSIGN(auto p, list(f));
  EXPECT_EQ(p.total, 5);
  f.result = "failure";  // i = 3, 9
  ZB_ASSERT_OK_AND_ASSIGN(p, list(f));
  EXPECT_EQ(p.total, 2);
  LoginLogFilter range;
  range.from_ms = kIdT0 + 2000;
  range.to_ms = kIdT0 + 5000;  // i = 2, 3, 4
  ZB_ASSERT_OK_AND_ASSIGN(p, list(range));
  EXPECT_EQ(p.total, 3);
  ASSERT_EQ(p.items.size(), 3u);
  EXPECT_EQ(p.items[0].at, kIdT0 + 4000);
  EXPECT_EQ(p.items[2].at, kIdT0 + 2000);
  LoginLogFilter paged;
  paged.page = 3;
  paged.page_size = 4;
  ZB_ASSERT_OK_AND_ASSIGN(p, list(paged));
  EXPECT_EQ(p.total, 10);
  ASSERT_EQ(p.items.size(), 2u);
  EXPECT_EQ(p.items[0].at, kIdT0 + 1000);
  EXPECT_EQ(p.items[1].at, kIdT0);

  LoginLogEntry bad;
  bad.at = kIdT0;
  bad.login = "x";
  bad.result = "maybe";
  EXPECT_FALSE(this->Write([&](db::Connection& c) { return storage::AppendLoginLog(c, bad); }).ok());
}

}  // namespace
}  // namespace zb::storage_test
