// The gemm path's argmin after cuBLAS's x.c: the screen cn - 2 x.c with detail::ScreenBound's
// slack, and the survivors re-ranked by the exact formula across the warp's lanes
// (detail::lane_rerank), so labels and distances are the CPU backend's bit for bit.
#include <cuda_runtime.h>

#include "core/cuda_check.hpp"
#include "core/launch.hpp"
#include "kmeans/kmeans_kernels.hpp"
#include "kmeans/tile_accumulate.cuh"

namespace segmint::cuda {
namespace {

__device__ __forceinline__ detail::TopTwo shfl_top(const detail::TopTwo& t, int off) {
  detail::TopTwo o;
  o.best = __shfl_xor_sync(0xffffffffu, t.best, off);
  o.ib = __shfl_xor_sync(0xffffffffu, t.ib, off);
  o.second = __shfl_xor_sync(0xffffffffu, t.second, off);
  o.is = __shfl_xor_sync(0xffffffffu, t.is, off);
  return o;
}

__device__ __forceinline__ detail::ExactBest warp_best(detail::ExactBest b) {
  for (int off = 16; off > 0; off >>= 1)
    b.merge(__shfl_xor_sync(0xffffffffu, b.v, off), __shfl_xor_sync(0xffffffffu, b.c, off));
  return b;
}

/// One warp per row: lanes screen centroids c = lane, lane + 32, ... (f_c = cn_c - 2 x.c),
/// merge their two smallest (detail::TopTwo) by a butterfly; a row with one survivor is settled,
/// the others are re-ranked exactly by every lane over its kept centroids, then merged.
__global__ __launch_bounds__(kBlock) void argmin_kernel(Tile t, std::size_t b0, std::size_t nb,
                                                        const float* dot, ScreenTable screen,
                                                        const float* cent, int k, AssignOut out,
                                                        bool want_d2) {
  const int lane = threadIdx.x & 31, d = t.d;
  const std::size_t warps = grid_threads() / 32;
  const detail::ScreenBound bound = *screen.bound;
  unsigned my_changed = 0;
  for (std::size_t r = global_thread() / 32; r < nb; r += warps) {
    const float* drow = dot + r * k;
    const float* x = t.x + (b0 + r) * d;
    auto f = [&](int c) { return screen.cn[c] - 2.f * drow[c]; };
    auto row = [&](int c) { return cent + static_cast<std::size_t>(c) * d; };
    float xn = 0.f;  // any order: the slack allows it
    for (int j = lane; j < d; j += 32) xn = detail::fma_rn(x[j], x[j], xn);
    for (int off = 16; off > 0; off >>= 1) xn += __shfl_xor_sync(0xffffffffu, xn, off);
    detail::TopTwo top = detail::TopTwo::empty(k);
    for (int c = lane; c < k; c += 32) top.offer(f(c), c);
    for (int off = 16; off > 0; off >>= 1) top.merge(shfl_top(top, off));
    const float thr = bound.threshold(top.best, xn);
    int lab;
    float d2 = 0.f;
    if (thr < INFINITY && top.second > thr) {
      lab = top.ib;
      if (want_d2) d2 = detail::exact_sq(x, row(lab), d);
    } else {
      bool all = !(thr < INFINITY);
      detail::ExactBest b = warp_best(detail::lane_rerank(x, row, k, d, f, thr, all, lane, 32));
      if (!all && detail::rerank_needs_all(b, k))
        b = warp_best(detail::lane_rerank(x, row, k, d, f, thr, true, lane, 32));
      lab = b.c;
      d2 = b.v;
    }
    if (lane == 0) {
      const std::size_t grow = t.row0 + b0 + r;
      if (out.labels[grow] != lab) ++my_changed;
      out.labels[grow] = lab;
      if (want_d2) out.d2[grow] = d2;
    }
  }
  dev::add_changed(out.changed, my_changed);
}

}  // namespace

void gemm_argmin(const Tile& t, std::size_t b0, std::size_t nb, const float* dot,
                 const ScreenTable& screen, const float* centroids, int k, const AssignOut& out,
                 bool want_d2, cudaStream_t s) {
  if (nb == 0) return;
  argmin_kernel<<<grid_for(nb, kBlock / 32), kBlock, 0, s>>>(t, b0, nb, dot, screen, centroids, k,
                                                             out, want_d2);
  SEGMINT_CUDA_CHECK_LAUNCH();
}

}  // namespace segmint::cuda
