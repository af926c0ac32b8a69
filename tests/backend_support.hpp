// The backends the tests ask for, made through the one factory (make_backend).
#pragma once
#include <memory>

#include "segmint/backend.hpp"

namespace segmint::test {

/// The CPU backend with `threads` OpenMP threads (0 = all).
inline std::unique_ptr<Backend> cpu_backend(int threads = 0) {
  BackendOptions o;
  o.device = DeviceChoice::cpu;
  o.cpu_threads = threads;
  return make_backend(o);
}

/// The CUDA backend with `cuda` tunables (DeviceError without a usable device).
inline std::unique_ptr<Backend> cuda_backend(const CudaOptions& cuda = {}) {
  BackendOptions o;
  o.device = DeviceChoice::gpu;
  o.cuda = cuda;
  return make_backend(o);
}

}  // namespace segmint::test
