// Fused assignment for d <= 64: centroids in shared memory, each thread one row per tile, the
// CPU's exact float math (no FMA), labels + squared distances + per-chunk partial sums.
#include <cuda_runtime.h>

#include "core/cuda_check.hpp"
#include "core/launch.hpp"
#include "kmeans/kmeans_kernels.hpp"
#include "kmeans/tile_accumulate.cuh"

namespace segmint::cuda {
namespace {

struct FusedArgs {
  Tile t;
  const float* centroids;
  int k;
  AssignOut out;
  Partials p;
  bool accumulate;
};

/// (x - c)^2 summed in index order with round-to-nearest adds and multiplies (never fused), as
/// detail::squared_distance on the CPU. Padding columns are 0 - 0 and add exactly +0.
template <int D>
__device__ __forceinline__ float exact_d2(const float (&xr)[D], const float* c) {
  float s = 0.f;
#pragma unroll
  for (int j = 0; j < D; j += 4) {
    const float4 cv = *reinterpret_cast<const float4*>(c + j);
    float t = __fsub_rn(xr[j], cv.x);
    s = __fadd_rn(s, __fmul_rn(t, t));
    t = __fsub_rn(xr[j + 1], cv.y);
    s = __fadd_rn(s, __fmul_rn(t, t));
    t = __fsub_rn(xr[j + 2], cv.z);
    s = __fadd_rn(s, __fmul_rn(t, t));
    t = __fsub_rn(xr[j + 3], cv.w);
    s = __fadd_rn(s, __fmul_rn(t, t));
  }
  return s;
}

template <int D>
__global__ __launch_bounds__(kBlock) void fused_assign_kernel(FusedArgs a) {
  constexpr int kStride = D + 4;  // 16-byte rows; conflict-free float4 reads
  extern __shared__ __align__(16) unsigned char smem[];
  const int k = a.k, d = a.t.d, tid = threadIdx.x;
  const std::size_t m = a.accumulate ? a.p.width : 0;
  double* acc = reinterpret_cast<double*>(smem);
  dev::TileScratch sm;
  unsigned char* p = dev::carve_tile_scratch(smem + m * 8, k, sm);
  p = reinterpret_cast<unsigned char*>((reinterpret_cast<std::uintptr_t>(p) + 15) & ~std::uintptr_t{15});
  float* cent = reinterpret_cast<float*>(p);
  float* xs = cent + k * D;

  for (int i = tid; i < k * D; i += kBlock) {
    const int c = i / D, j = i - c * D;
    cent[i] = j < d ? a.centroids[static_cast<std::size_t>(c) * d + j] : 0.f;
  }
  for (int i = tid; i < kBlock * kStride; i += kBlock) xs[i] = 0.f;
  __syncthreads();

  const std::size_t rows = a.t.rows, chunk = a.p.chunk;
  const std::size_t chunks = (rows + chunk - 1) / chunk;
  const bool vec4 = (d & 3) == 0;
  for (std::size_t lc = blockIdx.x; lc < chunks; lc += gridDim.x) {
    const std::size_t c0 = lc * chunk, c1 = min(rows, c0 + chunk);
    for (std::size_t i = tid; i < m; i += kBlock) acc[i] = 0.0;
    unsigned my_changed = 0;
    for (std::size_t t0 = c0; t0 < c1; t0 += kBlock) {
      const int nr = static_cast<int>(min(static_cast<std::size_t>(kBlock), c1 - t0));
      const float* src = a.t.x + t0 * d;
      if (vec4) {
        const int q = d / 4, nv = nr * q;
        for (int i = tid; i < nv; i += kBlock) {
          const int r = i / q, j = (i - r * q) * 4;
          *reinterpret_cast<float4*>(xs + r * kStride + j) = reinterpret_cast<const float4*>(src)[i];
        }
      } else {
        const int ne = nr * d;
        for (int i = tid; i < ne; i += kBlock) {
          const int r = i / d, j = i - r * d;
          xs[r * kStride + j] = src[i];
        }
      }
      const std::size_t grow = a.t.row0 + t0 + tid;
      sm.ws[tid] = tid < nr ? (a.t.weights ? a.t.weights[grow] : 1.f) : 0.f;
      __syncthreads();
      int lab = -1;
      float best = 0.f;
      if (tid < nr) {
        float xr[D];
#pragma unroll
        for (int j = 0; j < D; j += 4) {
          const float4 v = *reinterpret_cast<const float4*>(xs + tid * kStride + j);
          xr[j] = v.x; xr[j + 1] = v.y; xr[j + 2] = v.z; xr[j + 3] = v.w;
        }
        best = exact_d2<D>(xr, cent);
        lab = 0;
        for (int c = 1; c < k; ++c) {
          const float s = exact_d2<D>(xr, cent + c * D);
          if (s < best) {  // strictly closer: ties keep the lowest index
            best = s;
            lab = c;
          }
        }
        if (a.out.labels[grow] != lab) ++my_changed;
        a.out.labels[grow] = lab;
        a.out.d2[grow] = best;
      }
      sm.labs[tid] = lab;
      sm.d2s[tid] = best;
      __syncthreads();
      if (a.accumulate)
        dev::tile_accumulate(sm, k, d, acc, [&](int r, int j) { return xs[r * kStride + j]; });
      else
        __syncthreads();
    }
    if (a.accumulate) {
      double* dst = a.p.data + (a.t.row0 / chunk + lc) * m;
      for (std::size_t i = tid; i < m; i += kBlock) dst[i] = acc[i];
      __syncthreads();
    }
    dev::add_changed(a.out.changed, my_changed);
  }
}

template <int D>
void launch(const FusedArgs& a, int max_blocks, cudaStream_t s) {
  const std::size_t bytes = fused_smem_bytes(a.k, a.t.d, a.accumulate);
  SEGMINT_CUDA_CHECK(cudaFuncSetAttribute(fused_assign_kernel<D>,
                                          cudaFuncAttributeMaxDynamicSharedMemorySize,
                                          static_cast<int>(bytes)));
  const int grid = grid_for(a.t.rows, a.p.chunk, static_cast<std::size_t>(max_blocks));
  fused_assign_kernel<D><<<grid, kBlock, bytes, s>>>(a);
  SEGMINT_CUDA_CHECK_LAUNCH();
}

}  // namespace

std::size_t fused_smem_bytes(int k, int d, bool accumulate) {
  // acc (width doubles, only when accumulating) | tile scratch | align | centroids | x tile.
  const std::size_t D = d <= 16 ? 16 : d <= 32 ? 32 : 64;
  const std::size_t width = accumulate ? static_cast<std::size_t>(k) * d + 2 * k + 1 : 0;
  return width * 8 + dev::tile_scratch_bytes(k) + 16 + k * D * 4 + kBlock * (D + 4) * 4;
}

void fused_assign(const Tile& t, const float* centroids, int k, const AssignOut& out,
                  const Partials& p, bool accumulate, int max_blocks, cudaStream_t s) {
  if (t.rows == 0) return;
  FusedArgs a{t, centroids, k, out, p, accumulate};
  if (t.d <= 16) launch<16>(a, max_blocks, s);
  else if (t.d <= 32) launch<32>(a, max_blocks, s);
  else launch<64>(a, max_blocks, s);
}

}  // namespace segmint::cuda
