// OmpGuard: no exception escapes an OpenMP region. Each iteration's body runs inside run(); the
// first exception is kept, later iterations are skipped, and rethrow() raises it after the region.
#pragma once
#include <atomic>
#include <exception>
#include <mutex>

namespace segmint {

/// Usage (every `#pragma omp parallel` in host/ follows it):
///   OmpGuard guard;
///   #pragma omp parallel for
///   for (...) guard.run([&] { body; });
///   guard.rethrow();
/// An exception thrown out of an OpenMP region calls std::terminate (exit 134 instead of the
/// CLI's exit code and message); std::bad_alloc from a vector that grows inside the region is
/// the usual one.
class OmpGuard {
 public:
  /// Runs `body` unless an earlier call failed; keeps the first exception. Never throws.
  template <class F>
  void run(F&& body) noexcept {
    if (failed_.load(std::memory_order_relaxed)) return;
    try {
      body();
    } catch (...) {
      std::lock_guard<std::mutex> hold(mutex_);
      if (!error_) error_ = std::current_exception();
      failed_.store(true, std::memory_order_relaxed);
    }
  }
  /// True once some body has thrown (bodies that loop internally may stop early).
  bool failed() const noexcept { return failed_.load(std::memory_order_relaxed); }
  /// Call after the region: rethrows the first exception a body threw, if any.
  void rethrow() {
    if (error_) std::rethrow_exception(error_);
  }

 private:
  std::atomic<bool> failed_{false};
  std::mutex mutex_;
  std::exception_ptr error_;
};

}  // namespace segmint
