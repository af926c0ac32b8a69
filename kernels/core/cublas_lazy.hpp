// cuBLAS loaded on first use (dlopen), not at program start: linking it made every run of a CUDA
// build, CPU runs included, map and relocate libcublas/libcublasLt first (~80 ms and ~210 MB of
// resident memory before reading any input, issue 15), and made a CUDA build unable to start on a
// machine without those libraries even to run on the CPU.
#pragma once
#include <cublas_v2.h>

namespace segmint::cuda::blas {

/// The cuBLAS entry points the backend calls (the _v2 ABI that cublas_v2.h maps names to).
struct Api {
  decltype(&::cublasCreate_v2) create;
  decltype(&::cublasDestroy_v2) destroy;
  decltype(&::cublasSetStream_v2) set_stream;
  decltype(&::cublasSetMathMode) set_math_mode;
  decltype(&::cublasSetWorkspace_v2) set_workspace;
  decltype(&::cublasSgemm_v2) sgemm;
  decltype(&::cublasGetStatusName) status_name;
  decltype(&::cublasGetStatusString) status_string;
};

/// The loaded library (loaded once, thread-safe). Throws DeviceError naming the library and the
/// loader's message when it or one of its entry points cannot be found.
const Api& api();

/// True once api() has loaded the library (for tests: CPU runs must never load it).
bool loaded() noexcept;

}  // namespace segmint::cuda::blas
