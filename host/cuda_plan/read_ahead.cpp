// ReadAhead: a reader thread filling free batch buffers, a consumer taking them in order.
#include "cuda_plan/read_ahead.hpp"

#include <chrono>

namespace segmint::cuda_plan {

ReadAhead::ReadAhead(EventSource& source, std::size_t depth)
    : source_(source), buffers_(depth < 1 ? 2 : depth + 1) {
  for (std::size_t i = 0; i < buffers_.size(); ++i) free_.push_back(i);
  thread_ = std::thread([this] { run(); });
}

ReadAhead::~ReadAhead() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stop_ = true;
  }
  changed_.notify_all();
  thread_.join();
}

void ReadAhead::run() {
  while (true) {
    std::size_t slot = 0;
    {
      std::unique_lock<std::mutex> lock(mutex_);
      changed_.wait(lock, [this] { return stop_ || !free_.empty(); });
      if (stop_) return;
      slot = free_.front();
      free_.pop_front();
    }
    bool more = false;
    std::exception_ptr error;
    const auto start = std::chrono::steady_clock::now();
    try {
      more = source_.next(buffers_[slot]);
    } catch (...) {
      error = std::current_exception();
    }
    const double ms =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    {
      std::lock_guard<std::mutex> lock(mutex_);
      read_ms_ += ms;
      if (error || !more) {
        error_ = error;
        done_ = true;
      } else {
        filled_.push_back(slot);
      }
    }
    changed_.notify_all();
    if (error || !more) return;
  }
}

const EventBatch* ReadAhead::next() {
  std::unique_lock<std::mutex> lock(mutex_);
  if (held_ != static_cast<std::size_t>(-1)) {
    free_.push_back(held_);
    held_ = static_cast<std::size_t>(-1);
    changed_.notify_all();
  }
  changed_.wait(lock, [this] { return !filled_.empty() || done_; });
  if (!filled_.empty()) {
    held_ = filled_.front();
    filled_.pop_front();
    return &buffers_[held_];
  }
  if (error_) std::rethrow_exception(error_);
  return nullptr;
}

double ReadAhead::read_ms() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return read_ms_;
}

}  // namespace segmint::cuda_plan
