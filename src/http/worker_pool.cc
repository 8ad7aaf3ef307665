#include "http/worker_pool.h"

#include <chrono>

namespace zb::http {

namespace {
thread_local std::vector<Task>* t_outbox = nullptr;
constexpr size_t kMaxBatch = 32;
constexpr auto kSpin = std::chrono::microseconds(50);
}  // namespace

WorkerPool::WorkerPool(int threads, Flush flush) : flush_(std::move(flush)) {
  for (int i = 0; i < std::max(1, threads); ++i) threads_.emplace_back([this] { Loop(); });
}

WorkerPool::~WorkerPool() { Shutdown(); }

void WorkerPool::Submit(Task task) {
  bool wake;
  {
    std::lock_guard lock(mu_);
    queue_.push_back(std::move(task));
    queued_.store(queue_.size(), std::memory_order_release);
    // A spinning worker will see it; wake a sleeper only if none spins.
    wake = sleeping_ > 0 && !spinner_.load(std::memory_order_acquire);
  }
  if (wake) cv_.notify_one();
}

void WorkerPool::Defer(Task task) {
  if (t_outbox) {
    t_outbox->push_back(std::move(task));
  } else {
    task();  // not on a worker: nothing to batch
  }
}

void WorkerPool::FlushOutbox(std::vector<Task>& outbox) {
  if (outbox.empty()) return;
  std::vector<Task> batch;
  batch.swap(outbox);
  flush_(std::move(batch));
}

// Called with the lock held and the queue empty. Returns false when the
// pool is stopping and there is nothing left to do.
bool WorkerPool::WaitForWork(std::unique_lock<std::mutex>& lock) {
  bool expected = false;
  if (!stopping_ && spinner_.compare_exchange_strong(expected, true)) {
    lock.unlock();
    auto until = std::chrono::steady_clock::now() + kSpin;
    while (queued_.load(std::memory_order_acquire) == 0 && std::chrono::steady_clock::now() < until) {
      std::this_thread::yield();
    }
    lock.lock();
    spinner_.store(false, std::memory_order_release);
    if (!queue_.empty()) return true;
  }
  while (queue_.empty() && !stopping_) {
    ++sleeping_;
    cv_.wait(lock);
    --sleeping_;
  }
  return !queue_.empty();
}

void WorkerPool::Loop() {
  std::vector<Task> outbox;
  t_outbox = &outbox;
  std::unique_lock lock(mu_);
  while (true) {
    if (queue_.empty()) {
      lock.unlock();
      FlushOutbox(outbox);  // the queue ran dry: deliver what we have
      lock.lock();
      if (queue_.empty() && !WaitForWork(lock)) break;
    }
    Task task = std::move(queue_.front());
    queue_.pop_front();
    queued_.store(queue_.size(), std::memory_order_release);
    // Someone else may take the rest while this one works.
    bool more = !queue_.empty() && sleeping_ > 0 && !spinner_.load(std::memory_order_acquire);
    lock.unlock();
    if (more) cv_.notify_one();
    task();
    if (outbox.size() >= kMaxBatch) FlushOutbox(outbox);
    lock.lock();
  }
  lock.unlock();
  FlushOutbox(outbox);
  t_outbox = nullptr;
}

void WorkerPool::Shutdown() {
  {
    std::lock_guard lock(mu_);
    if (stopping_ && threads_.empty()) return;
    stopping_ = true;
  }
  cv_.notify_all();
  for (auto& t : threads_) {
    if (t.joinable()) t.join();
  }
  threads_.clear();
}

}  // namespace zb::http
