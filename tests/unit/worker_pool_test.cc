#include "http/worker_pool.h"

#include <gtest/gtest.h>

#include <atomic>
#include <mutex>
#include <set>
#include <thread>

namespace zb::http {
namespace {

TEST(WorkerPool, RunsEveryTaskAndDeliversEveryDeferredOne) {
  std::atomic<int> ran{0};
  std::mutex mu;
  std::vector<int> delivered;
  size_t batches = 0;
  {
    WorkerPool pool(3, [&](std::vector<Task>&& batch) {
      std::lock_guard lock(mu);
      ++batches;
      for (Task& t : batch) t();
    });
    std::vector<std::thread> submitters;
    for (int s = 0; s < 4; ++s) {
      submitters.emplace_back([&, s] {
        for (int i = 0; i < 2500; ++i) {
          int id = s * 10000 + i;
          pool.Submit([&, id] {
            ++ran;
            WorkerPool::Defer([&delivered, id] { delivered.push_back(id); });  // flush holds mu
          });
        }
      });
    }
    for (auto& t : submitters) t.join();
    pool.Shutdown();  // runs what is queued and flushes
  }
  EXPECT_EQ(ran.load(), 10000);
  ASSERT_EQ(delivered.size(), 10000u);
  EXPECT_EQ(std::set<int>(delivered.begin(), delivered.end()).size(), 10000u);
  EXPECT_LE(batches, 10000u);
  EXPECT_GE(batches, 1u);
}

TEST(WorkerPool, DeferredWorkIsBatched) {
  std::vector<size_t> sizes;
  std::atomic<bool> release{false};
  {
    WorkerPool pool(1, [&](std::vector<Task>&& batch) { sizes.push_back(batch.size()); });
    // Block the only worker so the queue fills, then let it drain in one go.
    pool.Submit([&] {
      while (!release) std::this_thread::yield();
    });
    for (int i = 0; i < 20; ++i) {
      pool.Submit([] { WorkerPool::Defer([] {}); });
    }
    release = true;
    pool.Shutdown();
  }
  size_t total = 0;
  for (size_t s : sizes) total += s;
  EXPECT_EQ(total, 20u);
  EXPECT_LT(sizes.size(), 20u) << "20 responses should not need 20 wake-ups of the I/O side";
}

TEST(WorkerPool, DeferOutsideAWorkerRunsAtOnce) {
  bool ran = false;
  WorkerPool::Defer([&] { ran = true; });
  EXPECT_TRUE(ran);
}

TEST(WorkerPool, ShutdownIsIdempotentAndAnIdlePoolStops) {
  WorkerPool pool(4, [](std::vector<Task>&&) {});
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  pool.Shutdown();
  pool.Shutdown();
}

}  // namespace
}  // namespace zb::http
