// The CUDA backend's resources object: device properties, a compute and a copy stream, the
// cuBLAS handle (pedantic fp32) with its workspace, and the pinned status slot.
#pragma once
#include <cstddef>
#include <string>

#include "core/cuda_raii.hpp"
#include "kmeans/kmeans_kernels.hpp"

namespace segmint::cuda {

class Resources {
 public:
  /// Binds to `device` (the current one when -1). Throws DeviceError.
  explicit Resources(int device = -1);
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

  cudaStream_t compute() const { return compute_.get(); }
  cudaStream_t copy() const { return copy_.get(); }
  cublasHandle_t blas() const { return blas_.get(); }
  IterStatus* status_host() const { return status_.get(); }

 private:
  int device_ = 0;
  std::string name_;
  int sm_count_ = 1;
  std::size_t smem_optin_ = 48 << 10;
  Stream compute_;
  Stream copy_;
  CublasHandle blas_;
  DeviceBuffer<char> blas_workspace_;
  PinnedBuffer<IterStatus> status_;
};

}  // namespace segmint::cuda
