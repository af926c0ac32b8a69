// Fused assignment for d <= 64: the screen ||c||^2 - 2 x.c with fused multiply-adds over four
// centroids at a time (independent chains), the rigorous slack of detail::ScreenBound, the exact
// re-rank of the survivors (detail::rerank, the CPU's fused formula), labels, exact d2 when asked,
// and the chunk partials in the CPU backend's order, in one pass over the rows.
#include <cuda_runtime.h>

#include "core/cuda_check.hpp"
#include "core/launch.hpp"
#include "kmeans/kmeans_kernels.hpp"
#include "kmeans/tile_accumulate.cuh"

namespace segmint::cuda {
namespace {

struct FusedArgs {
  Tile t;
  const float* centroids;  ///< k x d, global (the re-rank and d2 read it)
  ScreenTable screen;
  int k;
  AssignOut out;
  Partials p;
  PassMode mode;
};

/// Byte offsets of the kernel's shared memory, 16-byte aligned, computed the same way on the host
/// (size) and the device (carving): pointers are offsets from the shared array, never integers.
struct FusedLayout {
  std::size_t acc, scratch, st, cn, xs, end;
  int kpad;
  __host__ __device__ static std::size_t align16(std::size_t b) { return (b + 15) / 16 * 16; }
  __host__ __device__ FusedLayout(int k, int d, int D, bool accumulate) {
    kpad = (k + 3) / 4 * 4;
    const std::size_t width = accumulate ? static_cast<std::size_t>(k) * d + k : 0;
    acc = 0;
    scratch = align16(width * 8);
    st = scratch + align16(dev::tile_scratch_bytes(k));
    cn = st + align16(static_cast<std::size_t>(D) * kpad * 4);
    xs = cn + align16(static_cast<std::size_t>(kpad) * 4);
    end = xs + static_cast<std::size_t>(kBlock) * (D + 4) * 4;
  }
};

/// Resident blocks per multiprocessor the register budget is sized for: 64 registers at D = 16;
/// at 32 and 64 the compiler's own choice (128 and 166: capping them spills in the hot loop).
constexpr int min_blocks(int D) { return D <= 16 ? 4 : D <= 32 ? 2 : 1; }

template <int D, bool Large>
__global__ __launch_bounds__(kBlock, min_blocks(D)) void fused_assign_kernel(FusedArgs a) {
  constexpr int kStride = D + 4;  // 16-byte rows; conflict-free float4 reads
  extern __shared__ __align__(16) unsigned char smem[];
  const int k = a.k, d = a.t.d, tid = threadIdx.x;
  const FusedLayout L(k, d, D, a.mode.accumulate);
  const int kpad = L.kpad;
  double* acc = reinterpret_cast<double*>(smem + L.acc);
  dev::TileScratch sm;
  dev::carve_tile_scratch(smem + L.scratch, k, sm);
  float* st = reinterpret_cast<float*>(smem + L.st);
  float* cn = reinterpret_cast<float*>(smem + L.cn);
  float* xs = reinterpret_cast<float*>(smem + L.xs);

  for (int i = tid; i < D * kpad; i += kBlock) {  // st[j][c] = -2 c_j (exact), padding 0
    const int j = i / kpad, c = i - j * kpad;
    st[i] = j < d && c < k ? -2.f * a.centroids[static_cast<std::size_t>(c) * d + j] : 0.f;
  }
  for (int c = tid; c < kpad; c += kBlock) cn[c] = c < k ? a.screen.cn[c] : INFINITY;
  for (int i = tid; i < kBlock * kStride; i += kBlock) xs[i] = 0.f;
  for (int c = tid; c < k; c += kBlock) sm.touched[c] = 0;
  const detail::ScreenBound bound = *a.screen.bound;
  __syncthreads();

  const std::size_t rows = a.t.rows, chunk = a.p.chunk;
  const std::size_t chunks = (rows + chunk - 1) / chunk;
  const bool vec4 = (d & 3) == 0;
  for (std::size_t lc = blockIdx.x; lc < chunks; lc += gridDim.x) {
    const std::size_t c0 = lc * chunk, c1 = min(rows, c0 + chunk);
    unsigned my_changed = 0;
    for (std::size_t t0 = c0; t0 < c1; t0 += kBlock) {
      const int nr = static_cast<int>(min(static_cast<std::size_t>(kBlock), c1 - t0));
      const float* src = a.t.x + t0 * d;
      if (vec4) {  // four 16-byte loads in flight per thread (16 KiB per block) per round
        const int q = d / 4, nv = nr * q;
        constexpr int kRound = D / 4 < 4 ? D / 4 : 4;
#pragma unroll 1
        for (int u0 = 0; u0 < D / 4; u0 += kRound) {
          float4 v[kRound];
#pragma unroll
          for (int u = 0; u < kRound; ++u) {
            const int i = tid + (u0 + u) * kBlock;
            // Zero, not "unchanged", past the rows: no value lives on to the next tile (spills).
            v[u] = i < nv ? reinterpret_cast<const float4*>(src)[i] : make_float4(0.f, 0.f, 0.f, 0.f);
          }
#pragma unroll
          for (int u = 0; u < kRound; ++u) {
            const int i = tid + (u0 + u) * kBlock, r = i / q, j = (i - r * q) * 4;
            if (i < nv) *reinterpret_cast<float4*>(xs + r * kStride + j) = v[u];
          }
        }
      } else {
        const int ne = nr * d;
        for (int i = tid; i < ne; i += kBlock) {
          const int r = i / d, j = i - r * d;
          xs[r * kStride + j] = src[i];
        }
      }
      const std::size_t grow = a.t.row0 + t0 + tid;
      sm.wd[tid] = tid < nr ? (a.t.weights ? static_cast<double>(a.t.weights[grow]) : 1.0) : 0.0;
      __syncthreads();
      int lab = -1;
      if (tid < nr) {
        float d2 = 0.f;
        lab = detail::fused_row_label<D>(xs + tid * kStride, st, cn, kpad, k, d, bound,
                                         a.centroids, a.mode.want_d2, d2);
        if (a.out.labels[grow] != lab) ++my_changed;
        a.out.labels[grow] = lab;
        if (a.mode.want_d2) a.out.d2[grow] = d2;
      }
      sm.labs[tid] = lab;
      __syncthreads();
      if (a.mode.accumulate)
        dev::tile_accumulate<Large>(sm, k, d, 0, d, true, nr, acc,
                             [&](int r, int j) { return xs[r * kStride + j]; });
    }
    if (a.mode.accumulate) {  // the chunk's partial: live entries and the present flags
      __syncthreads();  // the last tile's touched marks
      double* dst = a.p.data + lc * a.p.width;
      const int kd = k * d, width = kd + k;
      for (int e = tid; e < width; e += kBlock) {
        const int c = e < kd ? e / d : e - kd;
        if (sm.touched[c]) dst[e] = acc[e];
      }
      __syncthreads();
      for (int c = tid; c < k; c += kBlock) {
        a.p.present[lc * k + c] = sm.touched[c];
        sm.touched[c] = 0;
      }
      __syncthreads();
    }
    dev::add_changed(a.out.changed, my_changed);
  }
}

template <int D, bool Large>
void launch_as(const FusedArgs& a, int max_blocks, cudaStream_t s) {
  const std::size_t bytes = fused_smem_bytes(a.k, a.t.d, a.mode.accumulate);
  SEGMINT_CUDA_CHECK(cudaFuncSetAttribute(fused_assign_kernel<D, Large>,
                                          cudaFuncAttributeMaxDynamicSharedMemorySize,
                                          static_cast<int>(bytes)));
  const int grid = grid_for(a.t.rows, a.p.chunk, static_cast<std::size_t>(max_blocks));
  fused_assign_kernel<D, Large><<<grid, kBlock, bytes, s>>>(a);
  SEGMINT_CUDA_CHECK_LAUNCH();
}

template <int D>
void launch(const FusedArgs& a, int max_blocks, cudaStream_t s) {
  if (a.k > dev::kSmallK)
    launch_as<D, true>(a, max_blocks, s);
  else
    launch_as<D, false>(a, max_blocks, s);
}

}  // namespace

std::size_t fused_smem_bytes(int k, int d, bool accumulate) {
  const int D = d <= 16 ? 16 : d <= 32 ? 32 : 64;
  return FusedLayout(k, d, D, accumulate).end;
}

void fused_assign(const Tile& t, const float* centroids, const ScreenTable& screen, int k,
                  const AssignOut& out, const Partials& p, PassMode mode, int max_blocks,
                  cudaStream_t s) {
  if (t.rows == 0) return;
  FusedArgs a{t, centroids, screen, k, out, p, mode};
  if (t.d <= 16) launch<16>(a, max_blocks, s);
  else if (t.d <= 32) launch<32>(a, max_blocks, s);
  else launch<64>(a, max_blocks, s);
}

}  // namespace segmint::cuda
