// The gemm path's kernels around cuBLAS: centroid norms, and the argmin over x.c dot products
// followed by the exact squared distance to the winner (shared CPU math, no FMA).
#include <cuda_runtime.h>

#include <algorithm>
#include <cfloat>

#include "cuda_check.hpp"
#include "kmeans_kernels.hpp"
#include "segmint/detail/kmeans_math.hpp"
#include "tile_accumulate.cuh"

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

/// One warp per row: lanes scan centroids c = lane, lane + 32, ...; (value, index) minimum with
/// ties to the lower index, so the winner does not depend on the reduction order.
__global__ __launch_bounds__(kBlock) void argmin_kernel(Tile t, std::size_t b0, std::size_t nb,
                                                        const float* dot, const float* cn,
                                                        const float* cent, int k, AssignOut out) {
  const int lane = threadIdx.x & 31;
  const std::size_t warps = std::size_t{gridDim.x} * (kBlock / 32);
  unsigned my_changed = 0;
  for (std::size_t r = (blockIdx.x * std::size_t{kBlock} + threadIdx.x) / 32; r < nb; r += warps) {
    const float* drow = dot + r * k;
    float best = FLT_MAX;
    int lab = k;
    for (int c = lane; c < k; c += 32) {
      const float v = cn[c] - 2.f * drow[c];
      if (v < best || lab == k) {
        best = v;
        lab = c;
      }
    }
    for (int off = 16; off > 0; off >>= 1) {
      const float ob = __shfl_xor_sync(0xffffffffu, best, off);
      const int ol = __shfl_xor_sync(0xffffffffu, lab, off);
      if (ob < best || (ob == best && ol < lab)) {
        best = ob;
        lab = ol;
      }
    }
    if (lane == 0) {
      const std::size_t local = b0 + r;
      const std::size_t grow = t.row0 + local;
      const float d2 = detail::squared_distance(t.x + local * t.d,
                                                cent + static_cast<std::size_t>(lab) * t.d, t.d);
      if (out.labels[grow] != lab) ++my_changed;
      out.labels[grow] = lab;
      out.d2[grow] = d2;
    }
  }
  dev::add_changed(out.changed, my_changed);
}

}  // namespace

void centroid_norms(const float* centroids, int k, int d, float* cn, cudaStream_t s) {
  norms_kernel<<<std::max(1, std::min(1024, (k + kBlock - 1) / kBlock)), kBlock, 0, s>>>(centroids, k, d, cn);
  SEGMINT_CUDA_CHECK_LAUNCH();
}

void gemm_argmin(const Tile& t, std::size_t b0, std::size_t nb, const float* dot,
                 const float* cn, const float* centroids, int k, const AssignOut& out,
                 cudaStream_t s) {
  if (nb == 0) return;
  const std::size_t blocks = std::min<std::size_t>((nb + kBlock / 32 - 1) / (kBlock / 32), 65535);
  argmin_kernel<<<static_cast<int>(blocks), kBlock, 0, s>>>(t, b0, nb, dot, cn, centroids, k, out);
  SEGMINT_CUDA_CHECK_LAUNCH();
}

}  // namespace segmint::cuda
