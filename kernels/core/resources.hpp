// The CUDA backend's one handle (as cuVS's raft::resources): the bound device and its properties,
// the compute stream, the copy streams of the transfer rings, the cuBLAS handle (pedantic fp32)
// with its fixed workspace, and a pinned status slot for the one small copy per iteration.
// Every stage (k-means, aggregation, feature rows) takes it; nothing in kernels/ makes streams.
#pragma once
#include <cstddef>
#include <string>
#include <vector>

#include "core/cuda_raii.hpp"

namespace segmint::cuda {

class Resources {
 public:
  /// Bytes of the pinned status slot.
  static constexpr std::size_t kStatusBytes = 256;

  /// Binds to `device` (the current one when -1) with `copy_streams` (>= 1) copy streams.
  /// Throws DeviceError.
  explicit Resources(int device = -1, std::size_t copy_streams = 2);
  Resources(const Resources&) = delete;
  Resources& operator=(const Resources&) = delete;

  int device() const { return device_; }
  const std::string& name() const { return name_; }
  int sm_count() const { return sm_count_; }
  std::size_t smem_optin() const { return smem_optin_; }
  /// Blocks of `kBlock` threads that keep every multiprocessor busy (grid caps).
  int max_blocks() const { return sm_count_ * 8; }
  /// Free and total device memory now.
  void mem_info(std::size_t* free_bytes, std::size_t* total_bytes) const;

  /// The stream every kernel runs on.
  cudaStream_t compute() const { return compute_.get(); }
  /// Copy stream i (i < copy_streams()).
  cudaStream_t copy(std::size_t i = 0) const { return copy_[i].get(); }
  std::size_t copy_streams() const { return copy_.size(); }
  /// Creates copy streams until there are at least `n`.
  void reserve_copy_streams(std::size_t n);
  cublasHandle_t blas() const { return blas_.get(); }
  /// kStatusBytes of pinned host memory, reused by whoever downloads a small status.
  void* status_slot() const { return status_.get(); }

 private:
  int device_ = 0;
  std::string name_;
  int sm_count_ = 1;
  std::size_t smem_optin_ = 48 << 10;
  Stream compute_;
  std::vector<Stream> copy_;
  DeviceBuffer<char> blas_workspace_;  ///< declared first: outlives the handle that uses it
  CublasHandle blas_;
  PinnedBuffer<unsigned char> status_;
};

/// The status slot as a T (a trivially copyable struct that fits it).
template <typename T>
T* status_slot_as(const Resources& res) {
  static_assert(sizeof(T) <= Resources::kStatusBytes, "status does not fit the pinned slot");
  return static_cast<T*>(res.status_slot());
}

}  // namespace segmint::cuda
