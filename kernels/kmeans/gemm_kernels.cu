// The gemm path's kernels around cuBLAS: centroid norms, and the argmin over x.c dot products
// followed by the exact squared distance to the winner (shared CPU math, no FMA).
#include <cuda_runtime.h>

#include <algorithm>
#include <cfloat>

#include "core/cuda_check.hpp"
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

/// (value, index) order: ties go to the lower index, so results never depend on lane order.
__device__ __forceinline__ bool before(float a, int ia, float b, int ib) {
  return a < b || (a == b && ia < ib);
}

/// One warp per row: lanes scan centroids c = lane, lane + 32, ... keeping their two best
/// approximate distances; a shuffle merge gives the warp's top two; lane 0 recomputes both
/// exactly (the CPU's float math) and keeps the exact winner. The approximate
/// ||c||^2 - 2 x.c loses digits to cancellation; re-ranking the top two makes a wrong label
/// need the true nearest centroid to fall out of the top two.
__global__ __launch_bounds__(kBlock) void argmin_kernel(Tile t, std::size_t b0, std::size_t nb,
                                                        const float* dot, const float* cn,
                                                        const float* cent, int k, AssignOut out) {
  const int lane = threadIdx.x & 31;
  const std::size_t warps = std::size_t{gridDim.x} * (kBlock / 32);
  unsigned my_changed = 0;
  for (std::size_t r = (blockIdx.x * std::size_t{kBlock} + threadIdx.x) / 32; r < nb; r += warps) {
    const float* drow = dot + r * k;
    float b = FLT_MAX, s = FLT_MAX;
    int ib = k, is = k;  // k = none yet (sorts after every real index)
    for (int c = lane; c < k; c += 32) {
      const float v = cn[c] - 2.f * drow[c];
      if (before(v, c, b, ib)) {
        s = b; is = ib; b = v; ib = c;
      } else if (before(v, c, s, is)) {
        s = v; is = c;
      }
    }
    for (int off = 16; off > 0; off >>= 1) {
      const float ob = __shfl_xor_sync(0xffffffffu, b, off);
      const int oib = __shfl_xor_sync(0xffffffffu, ib, off);
      const float os = __shfl_xor_sync(0xffffffffu, s, off);
      const int ois = __shfl_xor_sync(0xffffffffu, is, off);
      if (before(ob, oib, b, ib)) {
        if (!before(b, ib, os, ois)) { b = os; ib = ois; }  // keep the better of mine and its 2nd
        s = b; is = ib;
        b = ob; ib = oib;
      } else if (before(ob, oib, s, is)) {
        s = ob; is = oib;
      }
    }
    if (lane == 0) {
      const std::size_t local = b0 + r;
      const std::size_t grow = t.row0 + local;
      const float* xr = t.x + local * t.d;
      int lab = ib;
      float d2 = detail::squared_distance(xr, cent + static_cast<std::size_t>(ib) * t.d, t.d);
      if (is < k) {
        const float d2s = detail::squared_distance(xr, cent + static_cast<std::size_t>(is) * t.d, t.d);
        if (d2s < d2 || (d2s == d2 && is < ib)) { d2 = d2s; lab = is; }
      }
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
