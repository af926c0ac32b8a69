// SerialWorker: one long-lived thread running submitted jobs in order (a reused OpenMP pool).
#pragma once
#include <condition_variable>
#include <deque>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <thread>

namespace segmint {

/// Runs jobs one after another on a single thread that lives as long as the worker. Unlike a
/// std::async per job, the thread (and the OpenMP thread pool it creates on its first parallel
/// region) is made once, so a pipeline of many chunks does not create and warm up threads per
/// chunk. Exceptions thrown by a job reach the caller through its future.
class SerialWorker {
 public:
  SerialWorker() : thread_([this] { loop(); }) {}
  /// Finishes the queued jobs, then joins the thread.
  ~SerialWorker() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      stop_ = true;
    }
    cv_.notify_one();
    thread_.join();
  }
  SerialWorker(const SerialWorker&) = delete;
  SerialWorker& operator=(const SerialWorker&) = delete;

  /// Queues `job`; its result (or exception) arrives through the returned future.
  template <class F>
  auto submit(F job) -> std::future<decltype(job())> {
    using R = decltype(job());
    auto task = std::make_shared<std::packaged_task<R()>>(std::move(job));
    std::future<R> result = task->get_future();
    {
      std::lock_guard<std::mutex> lock(mu_);
      jobs_.emplace_back([task] { (*task)(); });
    }
    cv_.notify_one();
    return result;
  }

 private:
  void loop() {
    for (;;) {
      std::function<void()> job;
      {
        std::unique_lock<std::mutex> lock(mu_);
        cv_.wait(lock, [this] { return stop_ || !jobs_.empty(); });
        if (jobs_.empty()) return;  // stop_ and nothing left
        job = std::move(jobs_.front());
        jobs_.pop_front();
      }
      job();  // a packaged_task: never throws out of here
    }
  }

  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::function<void()>> jobs_;
  bool stop_ = false;
  std::thread thread_;  // last: starts after the members it uses exist
};

}  // namespace segmint
