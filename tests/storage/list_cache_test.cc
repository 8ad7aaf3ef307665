// storage::VersionedCache::GetOrCompute: an answer many callers ask for at
// once (every list page right after a write) is computed once and handed to
// all of them; a failure reaches every waiter and is not kept.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "storage/list_cache.h"

namespace zb::storage {
namespace {

TEST(VersionedCache, ConcurrentCallersForOneKeyComputeItOnce) {
  VersionedCache<std::string> cache(10);
  const ListVersion v{"db", 7};
  std::atomic<int> computed{0};
  std::vector<std::string> answers(8);
  std::vector<std::thread> callers;
  for (size_t i = 0; i < answers.size(); ++i) {
    callers.emplace_back([&, i] {
      auto r = cache.GetOrCompute(v, "page 1", [&]() -> StatusOr<std::string> {
        ++computed;
        std::this_thread::sleep_for(std::chrono::milliseconds(50));  // the others arrive meanwhile
        return std::string("answer");
      });
      answers[i] = r.ok() ? *r : r.status().message();
    });
  }
  for (auto& t : callers) t.join();
  EXPECT_EQ(computed, 1);
  for (const auto& a : answers) EXPECT_EQ(a, "answer");
  // A new version is a new answer.
  auto next = cache.GetOrCompute({"db", 8}, "page 1", [&]() -> StatusOr<std::string> {
    ++computed;
    return std::string("newer");
  });
  ASSERT_TRUE(next.ok());
  EXPECT_EQ(*next, "newer");
  EXPECT_EQ(computed, 2);
}

TEST(VersionedCache, AFailureReachesEveryWaiterAndIsNotKept) {
  VersionedCache<std::string> cache(10);
  const ListVersion v{"db", 1};
  std::atomic<int> computed{0};
  std::atomic<int> failed{0};
  std::vector<std::thread> callers;
  for (int i = 0; i < 4; ++i) {
    callers.emplace_back([&] {
      auto r = cache.GetOrCompute(v, "k", [&]() -> StatusOr<std::string> {
        ++computed;
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
        return Internal("数据库错误");
      });
      if (!r.ok()) ++failed;
    });
  }
  for (auto& t : callers) t.join();
  EXPECT_EQ(failed, 4);
  auto again = cache.GetOrCompute(v, "k", [&]() -> StatusOr<std::string> { return std::string("ok"); });
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, "ok");
}

}  // namespace
}  // namespace zb::storage
