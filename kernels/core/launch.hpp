// Launch geometry written once: the block size of every kernel in kernels/, grid sizes for
// grid-stride loops, and (under nvcc) the grid-stride index helpers.
#pragma once
#include <cstddef>

namespace segmint::cuda {

/// Threads per block of every kernel (k-means tiles are this many rows).
constexpr int kBlock = 256;

/// Largest grid the launch helpers ask for; kernels are grid-stride loops, so a capped grid
/// still covers every item.
constexpr std::size_t kMaxGrid = 65535;

/// Blocks for `items` work items of which one block takes `per_block`: at least 1, at most cap.
inline int grid_for(std::size_t items, std::size_t per_block = kBlock, std::size_t cap = kMaxGrid) {
  const std::size_t g = (items + per_block - 1) / per_block;
  return static_cast<int>(g == 0 ? 1 : (g < cap ? g : cap));
}

#if defined(__CUDACC__)
/// This thread's index over the whole grid, in 64 bits (never int: n * d passes 2^31).
__device__ __forceinline__ std::size_t global_thread() {
  return blockIdx.x * static_cast<std::size_t>(blockDim.x) + threadIdx.x;
}
/// Threads in the grid: the step of a grid-stride loop.
__device__ __forceinline__ std::size_t grid_threads() {
  return static_cast<std::size_t>(gridDim.x) * blockDim.x;
}
#endif

}  // namespace segmint::cuda
