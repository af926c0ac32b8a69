// Read-ahead: a producer thread fills a bounded queue of blocks; read() drains it in order.
#include "ingest/read_ahead.hpp"

#include <algorithm>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

namespace segmint::ingest {
namespace {

constexpr std::size_t kBlockBytes = std::size_t(1) << 20;
constexpr std::size_t kDepth = 8;  // at most 8 MiB read ahead

class ReadAhead : public ByteSource {
 public:
  explicit ReadAhead(std::unique_ptr<ByteSource> inner) : inner_(std::move(inner)) {
    gzip_ = inner_->gzip();
    worker_ = std::thread([this] { produce(); });
  }
  ~ReadAhead() override {
    {
      std::lock_guard<std::mutex> lock(mu_);
      stop_ = true;
    }
    cv_.notify_all();
    worker_.join();
  }

  std::size_t read(char* dst, std::size_t cap) override {
    std::size_t got = 0;
    while (got < cap) {
      if (pos_ == cur_.size()) {
        std::unique_lock<std::mutex> lock(mu_);
        cv_.wait(lock, [this] { return !queue_.empty() || done_; });
        if (queue_.empty()) {
          if (error_) std::rethrow_exception(error_);
          break;
        }
        cur_ = std::move(queue_.front());
        queue_.pop_front();
        pos_ = 0;
        lock.unlock();
        cv_.notify_all();
      }
      std::size_t n = std::min(cap - got, cur_.size() - pos_);
      std::memcpy(dst + got, cur_.data() + pos_, n);
      got += n;
      pos_ += n;
    }
    return got;
  }

 private:
  void produce() {
    for (;;) {
      std::vector<char> block(kBlockBytes);
      std::size_t n = 0;
      try {
        n = inner_->read(block.data(), block.size());
      } catch (...) {
        std::lock_guard<std::mutex> lock(mu_);
        error_ = std::current_exception();
        done_ = true;
        cv_.notify_all();
        return;
      }
      std::unique_lock<std::mutex> lock(mu_);
      if (n == 0) {
        done_ = true;
        cv_.notify_all();
        return;
      }
      block.resize(n);
      cv_.wait(lock, [this] { return queue_.size() < kDepth || stop_; });
      if (stop_) return;
      queue_.push_back(std::move(block));
      cv_.notify_all();
    }
  }

  std::unique_ptr<ByteSource> inner_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::vector<char>> queue_;
  bool done_ = false, stop_ = false;
  std::exception_ptr error_;
  std::vector<char> cur_;  // block being drained by read()
  std::size_t pos_ = 0;
  std::thread worker_;  // last: started after every member it uses exists
};

}  // namespace

std::unique_ptr<ByteSource> read_ahead(std::unique_ptr<ByteSource> inner) {
  return std::make_unique<ReadAhead>(std::move(inner));
}

}  // namespace segmint::ingest
