// Resources: binds the device, creates the streams, the cuBLAS handle and its workspace.
#include "core/resources.hpp"

namespace segmint::cuda {

namespace {
int bind_device(int device) {
  if (device < 0) SEGMINT_CUDA_CHECK(cudaGetDevice(&device));
  SEGMINT_CUDA_CHECK(cudaSetDevice(device));
  return device;
}
}  // namespace

Resources::Resources(int device, std::size_t copy_streams) : device_(bind_device(device)) {
  cudaDeviceProp prop{};
  SEGMINT_CUDA_CHECK(cudaGetDeviceProperties(&prop, device_));
  name_ = prop.name;
  sm_count_ = prop.multiProcessorCount;
  smem_optin_ = prop.sharedMemPerBlockOptin;
  reserve_copy_streams(copy_streams < 1 ? 1 : copy_streams);
  // Pedantic: true fp32 products (no TF32, no reduced-precision reductions) so the gemm path's
  // argmin sees the same ordering as the exact distances up to float rounding.
  SEGMINT_CUBLAS_CHECK(blas::api().set_math_mode(blas_.get(), CUBLAS_PEDANTIC_MATH));
  SEGMINT_CUBLAS_CHECK(blas::api().set_stream(blas_.get(), compute_.get()));
  // A fixed user workspace keeps cuBLAS from allocating behind our budget.
  blas_workspace_.resize(32u << 20);
  SEGMINT_CUBLAS_CHECK(
      blas::api().set_workspace(blas_.get(), blas_workspace_.get(), blas_workspace_.size()));
  status_.resize(kStatusBytes);
}

void Resources::reserve_copy_streams(std::size_t n) {
  while (copy_.size() < n) copy_.emplace_back();
}

void Resources::mem_info(std::size_t* free_bytes, std::size_t* total_bytes) const {
  SEGMINT_CUDA_CHECK(cudaMemGetInfo(free_bytes, total_bytes));
}

}  // namespace segmint::cuda
