// The entry points of the CUDA backend, declared without any CUDA header: the one seam between
// host code and kernels/. Defined in kernels/ (only when built with CUDA).
#pragma once
#include <memory>
#include <string>

#include "cuda_plan/kmeans_plan.hpp"
#include "segmint/backend.hpp"

namespace segmint {

/// True when a CUDA device can be used; otherwise false with *reason set.
bool cuda_device_usable(std::string* reason);

/// Creates the CUDA backend on the current device. Throws DeviceError when unusable.
std::unique_ptr<Backend> make_cuda_backend();

/// Same, with explicit tunables (path selection, forced tiling): tests and benchmarks.
std::unique_ptr<Backend> make_cuda_backend(const cuda_plan::CudaOptions& options);

}  // namespace segmint
