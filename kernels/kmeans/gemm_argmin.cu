// The gemm path's kernels around cuBLAS: centroid norms, and the argmin over x.c dot products
// followed by the exact squared distance to the winner (shared CPU math, no FMA).
#include <cuda_runtime.h>

#include "core/cuda_check.hpp"
#include "core/launch.hpp"
#include "kmeans/kmeans_kernels.hpp"
#include "segmint/detail/kmeans_math.hpp"
#include "kmeans/tile_accumulate.cuh"

namespace segmint::cuda {
namespace {

__global__ __launch_bounds__(kBlock) void norms_kernel(const float* c, int k, int d, float* cn) {
  for (int i = blockIdx.x * kBlock + threadIdx.x; i < k; i += gridDim.x * kBlock) {
    const float* row = c + static_cast<std::size_t>(i) * d;
    float s = 0.f;
    for (int j = 0; j < d; ++j) s += row[j] * row[j];
    cn[i] = s;
  }
}

/// One warp per row: lanes scan centroids c = lane, lane + 32, ... keeping their two best
/// approximate distances (detail::TopTwo); a shuffle butterfly merges them into the warp's top
/// two; lane 0 re-ranks both by exact distance (the CPU's float math, detail::rerank_top_two).
/// The approximate ||c||^2 - 2 x.c loses digits to cancellation; re-ranking the top two makes a
/// wrong label need the true nearest centroid to fall out of the top two.
__global__ __launch_bounds__(kBlock) void argmin_kernel(Tile t, std::size_t b0, std::size_t nb,
                                                        const float* dot, const float* cn,
                                                        const float* cent, int k, AssignOut out) {
  const int lane = threadIdx.x & 31;
  const std::size_t warps = grid_threads() / 32;
  unsigned my_changed = 0;
  for (std::size_t r = global_thread() / 32; r < nb; r += warps) {
    const float* drow = dot + r * k;
    detail::TopTwo top = detail::TopTwo::empty(k);
    for (int c = lane; c < k; c += 32) top.offer(cn[c] - 2.f * drow[c], c);
    for (int off = 16; off > 0; off >>= 1) {
      detail::TopTwo other;
      other.best = __shfl_xor_sync(0xffffffffu, top.best, off);
      other.ib = __shfl_xor_sync(0xffffffffu, top.ib, off);
      other.second = __shfl_xor_sync(0xffffffffu, top.second, off);
      other.is = __shfl_xor_sync(0xffffffffu, top.is, off);
      top.merge(other);
    }
    if (lane == 0) {
      const std::size_t local = b0 + r;
      const std::size_t grow = t.row0 + local;
      float d2 = 0.f;
      const int lab = detail::rerank_top_two(t.x + local * t.d, cent, k, t.d, top, &d2);
      if (out.labels[grow] != lab) ++my_changed;
      out.labels[grow] = lab;
      out.d2[grow] = d2;
    }
  }
  dev::add_changed(out.changed, my_changed);
}

}  // namespace

void centroid_norms(const float* centroids, int k, int d, float* cn, cudaStream_t s) {
  norms_kernel<<<grid_for(static_cast<std::size_t>(k)), kBlock, 0, s>>>(centroids, k, d, cn);
  SEGMINT_CUDA_CHECK_LAUNCH();
}

void gemm_argmin(const Tile& t, std::size_t b0, std::size_t nb, const float* dot,
                 const float* cn, const float* centroids, int k, const AssignOut& out,
                 cudaStream_t s) {
  if (nb == 0) return;
  argmin_kernel<<<grid_for(nb, kBlock / 32), kBlock, 0, s>>>(t, b0, nb, dot, cn, centroids, k, out);
  SEGMINT_CUDA_CHECK_LAUNCH();
}

}  // namespace segmint::cuda
