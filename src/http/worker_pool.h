// WorkerPool: the threads handlers run on, built for a cheap hand-off.
//
// The I/O thread submits a task per parsed request; a worker runs it. On a
// small machine the cost of waking sleeping threads (futex, context switch)
// dominates a small request, so:
//   * an idle worker spins briefly (yielding the CPU) before it sleeps, and
//     only one worker spins at a time, so a burst of requests is picked up
//     without a wake-up and an idle server burns nothing;
//   * Submit() signals a worker only when none is awake to take the task;
//   * work a task wants done back on the I/O side is Defer()red into the
//     worker's outbox and handed to the flush function in batches — when the
//     worker's queue runs dry or the batch is full — so one wake-up of the
//     I/O thread delivers many responses.
// Shutdown() runs every task already submitted, flushes, and joins.
#pragma once

#include <atomic>
#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <utility>
#include <vector>

namespace zb::http {

// A move-only callable (std::function needs copyable ones).
class Task {
 public:
  Task() = default;
  template <typename F>
  Task(F&& f) : impl_(std::make_unique<Impl<std::decay_t<F>>>(std::forward<F>(f))) {}  // NOLINT
  void operator()() { impl_->Run(); }
  explicit operator bool() const { return impl_ != nullptr; }

 private:
  struct Base {
    virtual ~Base() = default;
    virtual void Run() = 0;
  };
  template <typename F>
  struct Impl : Base {
    explicit Impl(F&& f) : f(std::move(f)) {}
    void Run() override { f(); }
    F f;
  };
  std::unique_ptr<Base> impl_;
};

class WorkerPool {
 public:
  using Flush = std::function<void(std::vector<Task>&&)>;

  // `flush` receives deferred tasks in batches, on a worker thread.
  WorkerPool(int threads, Flush flush);
  ~WorkerPool();

  void Submit(Task task);

  // From inside a task: queue `task` for the flush function.
  static void Defer(Task task);

  // Runs what is queued, then stops and joins the threads. Idempotent.
  void Shutdown();

 private:
  void Loop();
  bool WaitForWork(std::unique_lock<std::mutex>& lock);
  void FlushOutbox(std::vector<Task>& outbox);

  Flush flush_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Task> queue_;            // guarded by mu_
  std::atomic<size_t> queued_{0};     // queue_.size(), readable without the lock
  int sleeping_ = 0;                  // guarded by mu_
  bool stopping_ = false;             // guarded by mu_
  std::atomic<bool> spinner_{false};  // a worker is spinning
  std::vector<std::thread> threads_;
};

}  // namespace zb::http
