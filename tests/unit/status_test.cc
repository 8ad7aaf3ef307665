#include "core/status.h"

#include <gtest/gtest.h>

#include <memory>
#include <set>
#include <string>
#include <vector>

namespace zb {
namespace {

// ---- Status --------------------------------------------------------------

TEST(Status, DefaultIsOk) {
  Status s;
  EXPECT_TRUE(s.ok());
  EXPECT_EQ(s.code(), StatusCode::kOk);
  EXPECT_EQ(s.message(), "");
  EXPECT_EQ(s.field(), "");
  EXPECT_EQ(s.ToString(), "ok");
  EXPECT_EQ(s, Status::Ok());
  // An explicit kOk ignores the message: OK carries nothing.
  Status ok(StatusCode::kOk, "ignored", "ignored");
  EXPECT_TRUE(ok.ok());
  EXPECT_EQ(ok.message(), "");
}

TEST(Status, CarriesCodeMessageField) {
  Status s = NotFound("项目不存在", "id");
  EXPECT_FALSE(s.ok());
  EXPECT_EQ(s.code(), StatusCode::kNotFound);
  EXPECT_EQ(s.message(), "项目不存在");
  EXPECT_EQ(s.field(), "id");
  EXPECT_EQ(s.ToString(), "not_found: 项目不存在 [field=id]");
  EXPECT_EQ(Internal("boom").ToString(), "internal: boom");
}

TEST(Status, CopyIsDeep) {
  Status a = ValidationFailed("名称不能为空", "name");
  Status b = a;
  EXPECT_EQ(a, b);
  b = Conflict("other");
  EXPECT_EQ(a.message(), "名称不能为空");
  EXPECT_EQ(b.code(), StatusCode::kConflict);
  Status c;
  c = a;
  EXPECT_EQ(c, a);
  c = Status::Ok();
  EXPECT_TRUE(c.ok());
  EXPECT_FALSE(a.ok());
  // Self-assignment keeps the value.
  Status& alias = a;
  a = alias;
  EXPECT_EQ(a.message(), "名称不能为空");
}

TEST(Status, MoveLeavesSourceOk) {
  Status a = Forbidden("无权访问");
  Status b = std::move(a);
  EXPECT_EQ(b.code(), StatusCode::kForbidden);
  EXPECT_TRUE(a.ok());  // NOLINT(bugprone-use-after-move): documented state
  Status c;
  c = std::move(b);
  EXPECT_EQ(c.message(), "无权访问");
}

TEST(Status, EqualityComparesAllParts) {
  EXPECT_EQ(NotFound("x", "f"), NotFound("x", "f"));
  EXPECT_NE(NotFound("x", "f"), NotFound("x", "g"));
  EXPECT_NE(NotFound("x"), NotFound("y"));
  EXPECT_NE(NotFound("x"), Conflict("x"));
  EXPECT_NE(NotFound("x"), Status::Ok());
}

TEST(Status, ShorthandsUseTheirCodes) {
  EXPECT_EQ(BadRequest("m").code(), StatusCode::kBadRequest);
  EXPECT_EQ(ValidationFailed("m").code(), StatusCode::kValidationFailed);
  EXPECT_EQ(Unauthenticated("m").code(), StatusCode::kUnauthenticated);
  EXPECT_EQ(Forbidden("m").code(), StatusCode::kForbidden);
  EXPECT_EQ(NotFound("m").code(), StatusCode::kNotFound);
  EXPECT_EQ(AlreadyExists("m", "code").code(), StatusCode::kAlreadyExists);
  EXPECT_EQ(AlreadyExists("m", "code").field(), "code");
  EXPECT_EQ(VersionConflict("m").code(), StatusCode::kVersionConflict);
  EXPECT_EQ(InvalidTransition("m").code(), StatusCode::kInvalidTransition);
  EXPECT_EQ(Conflict("m").code(), StatusCode::kConflict);
  EXPECT_EQ(Unavailable("m").code(), StatusCode::kUnavailable);
  EXPECT_EQ(Internal("m").code(), StatusCode::kInternal);
}

TEST(StatusCodeName, EveryCodeHasItsWireName) {
  const std::vector<std::pair<StatusCode, std::string_view>> expected = {
      {StatusCode::kOk, "ok"},
      {StatusCode::kBadRequest, "bad_request"},
      {StatusCode::kValidationFailed, "validation_failed"},
      {StatusCode::kUnauthenticated, "unauthenticated"},
      {StatusCode::kForbidden, "forbidden"},
      {StatusCode::kNotFound, "not_found"},
      {StatusCode::kMethodNotAllowed, "method_not_allowed"},
      {StatusCode::kVersionConflict, "version_conflict"},
      {StatusCode::kAlreadyExists, "already_exists"},
      {StatusCode::kInvalidTransition, "invalid_transition"},
      {StatusCode::kConflict, "conflict"},
      {StatusCode::kPayloadTooLarge, "payload_too_large"},
      {StatusCode::kUnsupportedMediaType, "unsupported_media_type"},
      {StatusCode::kRateLimited, "rate_limited"},
      {StatusCode::kUnavailable, "unavailable"},
      {StatusCode::kInternal, "internal"},
  };
  // The list covers the enum: kOk..kInternal are consecutive.
  ASSERT_EQ(expected.size(), static_cast<size_t>(StatusCode::kInternal) + 1);
  std::set<std::string_view> names;
  for (size_t i = 0; i < expected.size(); ++i) {
    auto [code, name] = expected[i];
    EXPECT_EQ(static_cast<size_t>(code), i);
    EXPECT_EQ(StatusCodeName(code), name);
    names.insert(StatusCodeName(code));
  }
  EXPECT_EQ(names.size(), expected.size());  // all distinct
  EXPECT_EQ(StatusCodeName(static_cast<StatusCode>(999)), "internal");
}

// ---- StatusOr ------------------------------------------------------------

TEST(StatusOr, HoldsValueOrError) {
  StatusOr<int> v = 42;
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(*v, 42);
  EXPECT_EQ(v.value(), 42);
  EXPECT_TRUE(v.status().ok());

  StatusOr<int> e = NotFound("没有");
  EXPECT_FALSE(e.ok());
  EXPECT_EQ(e.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(e.status().message(), "没有");
}

TEST(StatusOr, OkStatusBecomesInternal) {
  StatusOr<int> r = Status::Ok();
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kInternal);
}

TEST(StatusOr, ConvertsFromConstructibleTypes) {
  StatusOr<std::string> s = "字面量";
  EXPECT_EQ(*s, "字面量");
  EXPECT_EQ(s->size(), 9u);
  StatusOr<int64_t> n = 7;  // int → int64_t
  EXPECT_EQ(*n, 7);
  StatusOr<std::vector<int>> v = std::vector<int>{1, 2, 3};
  EXPECT_EQ(v->size(), 3u);
}

TEST(StatusOr, CopyAndMove) {
  StatusOr<std::string> a = std::string("值");
  StatusOr<std::string> b = a;
  EXPECT_EQ(*b, "值");
  EXPECT_EQ(*a, "值");
  StatusOr<std::string> c = std::move(b);
  EXPECT_EQ(*c, "值");
  std::string taken = std::move(c).value();
  EXPECT_EQ(taken, "值");

  StatusOr<std::string> e = Conflict("冲突", "code");
  StatusOr<std::string> e2 = e;
  EXPECT_EQ(e2.status(), e.status());
  a = e;
  EXPECT_FALSE(a.ok());
  EXPECT_EQ(a.status().field(), "code");
}

TEST(StatusOr, MoveOnlyValues) {
  StatusOr<std::unique_ptr<int>> p = std::make_unique<int>(5);
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(**p, 5);
  std::unique_ptr<int> owned = std::move(p).value();
  EXPECT_EQ(*owned, 5);
  StatusOr<std::unique_ptr<int>> err = Unavailable("数据库不可用");
  EXPECT_FALSE(err.ok());
}

TEST(StatusOr, MutableAccess) {
  StatusOr<std::vector<int>> v = std::vector<int>{1};
  v->push_back(2);
  (*v).push_back(3);
  v.value().push_back(4);
  EXPECT_EQ(*v, (std::vector<int>{1, 2, 3, 4}));
}

// ---- macros --------------------------------------------------------------

StatusOr<int> ParsePositive(int x) {
  if (x <= 0) return ValidationFailed("必须为正数", "x");
  return x;
}

Status Check(int x) { return x < 100 ? Status::Ok() : ValidationFailed("太大"); }

StatusOr<int> DoubledSum(int a, int b) {
  ZB_ASSIGN_OR_RETURN(int x, ParsePositive(a));
  ZB_ASSIGN_OR_RETURN(const int y, ParsePositive(b));  // two on consecutive lines
  ZB_RETURN_IF_ERROR(Check(x + y));
  return 2 * (x + y);
}

StatusOr<std::unique_ptr<int>> MakeBox(int v) {
  if (v < 0) return NotFound("无");
  return std::make_unique<int>(v);
}

Status UseBox(int v, int* out) {
  std::unique_ptr<int> box;
  ZB_ASSIGN_OR_RETURN(box, MakeBox(v));  // assigns to an existing variable
  *out = *box;
  return Status::Ok();
}

TEST(Macros, AssignOrReturnAndReturnIfError) {
  EXPECT_EQ(*DoubledSum(2, 3), 10);
  StatusOr<int> r = DoubledSum(-1, 3);
  EXPECT_EQ(r.status(), ValidationFailed("必须为正数", "x"));
  EXPECT_EQ(DoubledSum(2, 0).status().field(), "x");
  EXPECT_EQ(DoubledSum(60, 50).status().message(), "太大");

  int out = 0;
  EXPECT_TRUE(UseBox(7, &out).ok());
  EXPECT_EQ(out, 7);
  EXPECT_EQ(UseBox(-1, &out).code(), StatusCode::kNotFound);
  EXPECT_EQ(out, 7);
}

}  // namespace
}  // namespace zb

namespace zb {
namespace {

TEST(Status, SelfMoveAssignmentKeepsTheError) {
  Status s = NotFound("项目不存在", "id");
  Status& alias = s;
  s = std::move(alias);
  EXPECT_EQ(s.code(), StatusCode::kNotFound);
  EXPECT_EQ(s.message(), "项目不存在");
}

}  // namespace
}  // namespace zb
