// Small CUDA helpers of the device feature path: one check macro (DeviceError with file, line and
// the CUDA error name) and RAII owners for device buffers, pinned buffers, streams and events.
// Kept local to kernels/features/ until the k-means backend's helpers are on main.
#pragma once
#include <cuda_runtime_api.h>

#include <cstddef>
#include <string>
#include <utility>

#include "segmint/error.hpp"

namespace segmint::gpufeat {

[[noreturn]] inline void throw_cuda(cudaError_t err, const char* expr, const char* file, int line) {
  throw DeviceError(std::string(file) + ":" + std::to_string(line) + ": " + cudaGetErrorName(err) +
                    ": " + cudaGetErrorString(err) + " (in " + expr + ")");
}

}  // namespace segmint::gpufeat

#define SEGMINT_FEAT_CHECK(expr)                                                        \
  do {                                                                                  \
    cudaError_t segmint_feat_err_ = (expr);                                             \
    if (segmint_feat_err_ != cudaSuccess)                                               \
      ::segmint::gpufeat::throw_cuda(segmint_feat_err_, #expr, __FILE__, __LINE__);     \
  } while (0)

namespace segmint::gpufeat {

/// Owns memory from `Alloc` (cudaMalloc or cudaMallocHost); grows, never shrinks; contents are
/// not kept across growth.
template <typename T, bool Pinned>
class Buffer {
 public:
  Buffer() = default;
  ~Buffer() { release(); }
  Buffer(const Buffer&) = delete;
  Buffer& operator=(const Buffer&) = delete;
  void reserve(std::size_t count) {
    if (count <= count_ && ptr_) return;
    release();
    if (count == 0) return;
    void* p = nullptr;
    if (Pinned) {
      SEGMINT_FEAT_CHECK(cudaMallocHost(&p, count * sizeof(T)));
    } else {
      SEGMINT_FEAT_CHECK(cudaMalloc(&p, count * sizeof(T)));
    }
    ptr_ = static_cast<T*>(p);
    count_ = count;
  }
  T* get() const { return ptr_; }
  std::size_t size() const { return count_; }

 private:
  void release() noexcept {
    if (ptr_) Pinned ? cudaFreeHost(ptr_) : cudaFree(ptr_);
    ptr_ = nullptr;
    count_ = 0;
  }
  T* ptr_ = nullptr;
  std::size_t count_ = 0;
};
template <typename T>
using DeviceBuf = Buffer<T, false>;
template <typename T>
using PinnedBuf = Buffer<T, true>;

/// Owns a non-blocking stream.
class Stream {
 public:
  Stream() { SEGMINT_FEAT_CHECK(cudaStreamCreateWithFlags(&s_, cudaStreamNonBlocking)); }
  ~Stream() { cudaStreamDestroy(s_); }
  Stream(const Stream&) = delete;
  Stream& operator=(const Stream&) = delete;
  cudaStream_t get() const { return s_; }

 private:
  cudaStream_t s_ = nullptr;
};

/// Owns an event (timing enabled: the stage times come from events).
class Event {
 public:
  Event() { SEGMINT_FEAT_CHECK(cudaEventCreate(&e_)); }
  ~Event() { cudaEventDestroy(e_); }
  Event(const Event&) = delete;
  Event& operator=(const Event&) = delete;
  cudaEvent_t get() const { return e_; }

 private:
  cudaEvent_t e_ = nullptr;
};

/// Milliseconds between two recorded events (waits for `b`).
inline double elapsed_ms(const Event& a, const Event& b) {
  SEGMINT_FEAT_CHECK(cudaEventSynchronize(b.get()));
  float ms = 0.f;
  SEGMINT_FEAT_CHECK(cudaEventElapsedTime(&ms, a.get(), b.get()));
  return static_cast<double>(ms);
}

}  // namespace segmint::gpufeat
