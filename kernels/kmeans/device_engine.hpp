// The CUDA backend's k-means engine (DeviceFit behind the driver's KMeansEngine steps) and the
// path and memory choices it shares with assign.
#pragma once
#include <cstddef>
#include <memory>

#include "backends/kmeans_driver.hpp"
#include "core/resources.hpp"
#include "cuda_plan/kmeans_plan.hpp"

namespace segmint::cuda {

/// The assignment path for k x d: options.path, or by k and d when automatic (gemm when the
/// fused kernel's shared memory does not fit the device).
AssignPath pick_path(const Resources& res, const CudaOptions& options, int k, int d);

/// The memory plan of an n x d fit with k clusters within `budget` bytes (0 = 80 % of free).
cuda_plan::MemoryPlan plan_fit(const Resources& res, const CudaOptions& options, std::size_t n,
                               int d, int k, AssignPath path, std::size_t budget);

/// A k-means engine on `res`; a fit's budget is params.gpu_memory_budget, else default_budget.
std::unique_ptr<KMeansEngine> make_device_engine(Resources& res, const CudaOptions& options,
                                                 std::size_t default_budget);

}  // namespace segmint::cuda
