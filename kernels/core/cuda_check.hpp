// The one check macro family of the CUDA backend: every CUDA runtime call, cuBLAS call and kernel
// launch goes through it and turns a failure into DeviceError "file:line: cudaErrorName: text".
// A failed call also leaves its error in the runtime's last-error slot; throwing clears that slot
// so that the next launch check reports its own launch, not this failure (a failed cudaMalloc
// would otherwise surface as a bogus cudaErrorMemoryAllocation at the next kernel).
#pragma once
#include <cublas_v2.h>
#include <cuda_runtime_api.h>

#include <string>

#include "core/cublas_lazy.hpp"
#include "segmint/error.hpp"

namespace segmint::cuda {

/// Clears the runtime's last-error slot (non-sticky errors; a sticky one stays and is reported
/// again by every later call, which is right: the context is lost).
inline void clear_last_error() noexcept { static_cast<void>(cudaGetLastError()); }

[[noreturn]] inline void throw_cuda_error(cudaError_t err, const char* expr, const char* file,
                                          int line) {
  clear_last_error();
  throw DeviceError(std::string(file) + ":" + std::to_string(line) + ": " +
                    cudaGetErrorName(err) + ": " + cudaGetErrorString(err) + " (in " + expr + ")");
}

[[noreturn]] inline void throw_cublas_error(cublasStatus_t st, const char* expr, const char* file,
                                            int line) {
  clear_last_error();  // cuBLAS failures can leave a runtime error behind too
  throw DeviceError(std::string(file) + ":" + std::to_string(line) + ": " +
                    blas::api().status_name(st) + ": " + blas::api().status_string(st) + " (in " + expr +
                    ")");
}

}  // namespace segmint::cuda

/// Checks a CUDA runtime call; throws DeviceError with file, line and the error's name.
#define SEGMINT_CUDA_CHECK(expr)                                                         \
  do {                                                                                   \
    cudaError_t segmint_err_ = (expr);                                                   \
    if (segmint_err_ != cudaSuccess)                                                     \
      ::segmint::cuda::throw_cuda_error(segmint_err_, #expr, __FILE__, __LINE__);        \
  } while (0)

/// Checks a cuBLAS call.
#define SEGMINT_CUBLAS_CHECK(expr)                                                       \
  do {                                                                                   \
    cublasStatus_t segmint_st_ = (expr);                                                 \
    if (segmint_st_ != CUBLAS_STATUS_SUCCESS)                                            \
      ::segmint::cuda::throw_cublas_error(segmint_st_, #expr, __FILE__, __LINE__);       \
  } while (0)

/// Checks the launch just made (configuration errors); in Debug builds also waits for the
/// kernel so that its faults are reported here rather than at a later call.
#ifdef NDEBUG
#define SEGMINT_CUDA_CHECK_LAUNCH() SEGMINT_CUDA_CHECK(cudaGetLastError())
#else
#define SEGMINT_CUDA_CHECK_LAUNCH()              \
  do {                                           \
    SEGMINT_CUDA_CHECK(cudaGetLastError());      \
    SEGMINT_CUDA_CHECK(cudaDeviceSynchronize()); \
  } while (0)
#endif
