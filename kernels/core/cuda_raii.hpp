// RAII owners for everything the GPU hands out: device buffers, pinned host buffers, streams,
// events and the cuBLAS handle. Movable, never copied; destructors never throw (an error at
// release is dropped, and cleared from the last-error slot so no later check reports it).
#pragma once
#include <cublas_v2.h>
#include <cuda_runtime_api.h>

#include <cstddef>
#include <memory>
#include <utility>

#include "core/cuda_check.hpp"

namespace segmint::cuda {

/// Where a Buffer's memory lives.
enum class Memory { device, pinned };

/// Owns `size()` elements of T in device or page-locked host memory (uninitialised). Grows,
/// never shrinks: resize() reallocates only past the capacity and does not keep the contents.
template <typename T, Memory Where>
class Buffer {
 public:
  Buffer() = default;
  explicit Buffer(std::size_t count) { resize(count); }
  ~Buffer() { release(); }
  Buffer(Buffer&& o) noexcept
      : ptr_(std::exchange(o.ptr_, nullptr)), count_(std::exchange(o.count_, 0)) {}
  Buffer& operator=(Buffer&& o) noexcept {
    if (this != &o) {
      release();
      ptr_ = std::exchange(o.ptr_, nullptr);
      count_ = std::exchange(o.count_, 0);
    }
    return *this;
  }
  Buffer(const Buffer&) = delete;
  Buffer& operator=(const Buffer&) = delete;

  /// Ensures room for `count` elements. Throws DeviceError (cudaErrorMemoryAllocation) when the
  /// allocation fails; the last-error slot is cleared before the throw (see cuda_check.hpp).
  void resize(std::size_t count) {
    if (count <= count_ && ptr_) return;
    release();
    if (count == 0) return;
    void* p = nullptr;
    if constexpr (Where == Memory::device) {
      SEGMINT_CUDA_CHECK(cudaMalloc(&p, count * sizeof(T)));
    } else {
      SEGMINT_CUDA_CHECK(cudaMallocHost(&p, count * sizeof(T)));
    }
    ptr_ = static_cast<T*>(p);
    count_ = count;
  }
  T* get() const { return ptr_; }
  std::size_t size() const { return count_; }

 private:
  void release() noexcept {
    if (ptr_) {
      const cudaError_t err = Where == Memory::device ? cudaFree(ptr_) : cudaFreeHost(ptr_);
      if (err != cudaSuccess) clear_last_error();
    }
    ptr_ = nullptr;
    count_ = 0;
  }
  T* ptr_ = nullptr;
  std::size_t count_ = 0;
};

template <typename T>
using DeviceBuffer = Buffer<T, Memory::device>;
template <typename T>
using PinnedBuffer = Buffer<T, Memory::pinned>;

namespace raii_detail {
struct StreamDeleter {
  void operator()(cudaStream_t s) const noexcept {
    if (cudaStreamDestroy(s) != cudaSuccess) clear_last_error();
  }
};
struct EventDeleter {
  void operator()(cudaEvent_t e) const noexcept {
    if (cudaEventDestroy(e) != cudaSuccess) clear_last_error();
  }
};
struct CublasDeleter {
  void operator()(cublasHandle_t h) const noexcept {
    if (blas::api().destroy(h) != CUBLAS_STATUS_SUCCESS) clear_last_error();
  }
};
}  // namespace raii_detail

/// A non-blocking stream (never ordered with the legacy default stream: every copy and launch
/// that feeds work on it must name it).
class Stream {
 public:
  Stream() {
    cudaStream_t s = nullptr;
    SEGMINT_CUDA_CHECK(cudaStreamCreateWithFlags(&s, cudaStreamNonBlocking));
    s_.reset(s);
  }
  cudaStream_t get() const { return s_.get(); }
  /// Waits on the host for everything queued on the stream.
  void sync() const { SEGMINT_CUDA_CHECK(cudaStreamSynchronize(get())); }

 private:
  std::unique_ptr<CUstream_st, raii_detail::StreamDeleter> s_;
};

/// An event; timing disabled unless asked for (cheaper to record and wait on).
class Event {
 public:
  explicit Event(bool timing = false) {
    cudaEvent_t e = nullptr;
    SEGMINT_CUDA_CHECK(
        cudaEventCreateWithFlags(&e, timing ? cudaEventDefault : cudaEventDisableTiming));
    e_.reset(e);
  }
  cudaEvent_t get() const { return e_.get(); }
  void record(cudaStream_t s) { SEGMINT_CUDA_CHECK(cudaEventRecord(get(), s)); }
  /// Waits on the host for the last record.
  void sync() const { SEGMINT_CUDA_CHECK(cudaEventSynchronize(get())); }
  /// Makes stream s wait (on the device) for this event's last record.
  void wait_on(cudaStream_t s) const { SEGMINT_CUDA_CHECK(cudaStreamWaitEvent(s, get(), 0)); }

 private:
  std::unique_ptr<CUevent_st, raii_detail::EventDeleter> e_;
};

/// Milliseconds between two recorded timing events; waits on the host for `to`.
inline double elapsed_ms(const Event& from, const Event& to) {
  to.sync();
  float ms = 0.f;
  SEGMINT_CUDA_CHECK(cudaEventElapsedTime(&ms, from.get(), to.get()));
  return static_cast<double>(ms);
}

/// A cuBLAS handle.
class CublasHandle {
 public:
  CublasHandle() {
    cublasHandle_t h = nullptr;
    SEGMINT_CUBLAS_CHECK(blas::api().create(&h));
    h_.reset(h);
  }
  cublasHandle_t get() const { return h_.get(); }

 private:
  std::unique_ptr<cublasContext, raii_detail::CublasDeleter> h_;
};

}  // namespace segmint::cuda
