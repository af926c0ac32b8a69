// Deterministic reductions in the CPU backend's order: chunk partials of labelled rows (gemm
// path; a grid of chunks x column groups), the sequential fold of chunk partials, the per-chunk
// weighted sums of the inertia, and the centroid update with shift, tolerance and empty count.
#include <cuda_runtime.h>

#include "core/cuda_check.hpp"
#include "core/launch.hpp"
#include "kmeans/kmeans_kernels.hpp"
#include "kmeans/tile_accumulate.cuh"
#include "segmint/detail/kmeans_math.hpp"

namespace segmint::cuda {
namespace {

/// Columns per block of the labelled reduction: a chunk's partial is split by feature columns
/// over blocks (each (cluster, feature) sum still runs over the chunk's rows in row order).
constexpr int kReduceCols = 16;

struct LabeledArgs {
  Tile t;
  const std::int32_t* labels;
  int k;
  Partials p;
  int groups;  ///< column groups per chunk
};

template <bool Large>
__global__ __launch_bounds__(kBlock) void labeled_reduce_kernel(LabeledArgs a) {
  extern __shared__ __align__(16) unsigned char smem[];
  const int k = a.k, d = a.t.d, tid = threadIdx.x;
  const std::size_t chunk = a.p.chunk, rows = a.t.rows;
  dev::TileScratch sm;
  dev::carve_tile_scratch(smem, k, sm);
  const std::size_t chunks = (rows + chunk - 1) / chunk;
  const std::size_t work = chunks * a.groups;
  for (std::size_t wi = blockIdx.x; wi < work; wi += gridDim.x) {
    const std::size_t lc = wi / a.groups;
    const int g = static_cast<int>(wi - lc * a.groups);
    const int j0 = g * kReduceCols, j1 = min(d, j0 + kReduceCols);
    double* acc = a.p.data + lc * a.p.width;  // this block owns columns [j0, j1) of the chunk
    for (int c = tid; c < k; c += kBlock) sm.touched[c] = 0;
    __syncthreads();
    const std::size_t c0 = lc * chunk, c1 = min(rows, c0 + chunk);
    for (std::size_t t0 = c0; t0 < c1; t0 += kBlock) {
      const int nr = static_cast<int>(min(static_cast<std::size_t>(kBlock), c1 - t0));
      const std::size_t grow = a.t.row0 + t0 + tid;
      const bool have = tid < nr;
      sm.labs[tid] = have ? a.labels[grow] : -1;
      sm.wd[tid] = have ? (a.t.weights ? static_cast<double>(a.t.weights[grow]) : 1.0) : 0.0;
      __syncthreads();
      const float* xt = a.t.x + t0 * d;
      dev::tile_accumulate<Large>(sm, k, d, j0, j1, g == 0, nr, acc,
                           [&](int r, int j) { return xt[static_cast<std::size_t>(r) * d + j]; });
    }
    __syncthreads();
    if (g == 0)
      for (int c = tid; c < k; c += kBlock) a.p.present[lc * k + c] = sm.touched[c];
    __syncthreads();
  }
}

/// The fold: block b owns elements [b * kFoldCols, ...); its loader warps stage kFoldChunks
/// chunks at a time (absent entries as +0, which leaves a sum unchanged) while warp 0 adds the
/// previous stage in chunk order, one lane per element.
constexpr int kFoldCols = 16;
constexpr int kFoldChunks = 128;

__global__ __launch_bounds__(kBlock) void fold_kernel(const double* data, const std::uint8_t* present,
                                                      std::size_t chunks, std::size_t width, int k,
                                                      int d, double* totals) {
  __shared__ double buf[2][kFoldChunks][kFoldCols];
  const int tid = threadIdx.x, warp = tid >> 5, lane = tid & 31;
  const std::size_t e0 = static_cast<std::size_t>(blockIdx.x) * kFoldCols;
  const std::size_t kd = static_cast<std::size_t>(k) * d;
  auto load = [&](std::size_t stage, int b, int first, int step) {
    const std::size_t q0 = stage * kFoldChunks;
    for (int i = first; i < kFoldChunks * kFoldCols; i += step) {
      const int q = i / kFoldCols, col = i - q * kFoldCols;
      const std::size_t ch = q0 + q, e = e0 + col;
      double v = 0.0;
      if (ch < chunks && e < width) {
        const std::size_t grp = e < kd ? e / d : e - kd;
        if (!present || present[ch * k + grp]) v = data[ch * width + e];
      }
      buf[b][q][col] = v;
    }
  };
  const std::size_t stages = (chunks + kFoldChunks - 1) / kFoldChunks;
  load(0, 0, tid, kBlock);
  __syncthreads();
  const std::size_t e = e0 + lane;
  double acc = warp == 0 && lane < kFoldCols && e < width ? totals[e] : 0.0;
  for (std::size_t st = 0; st < stages; ++st) {
    if (warp != 0) {
      if (st + 1 < stages) load(st + 1, (st + 1) & 1, tid - 32, kBlock - 32);
    } else if (lane < kFoldCols) {
      const double(*b)[kFoldCols] = buf[st & 1];
#pragma unroll 8
      for (int q = 0; q < kFoldChunks; ++q) acc += b[q][lane];
    }
    __syncthreads();
  }
  if (warp == 0 && lane < kFoldCols && e < width) totals[e] = acc;
}

__global__ __launch_bounds__(kBlock) void finalize_kernel(const double* tot, const float* old_c,
                                                          int k, int d, float* new_c,
                                                          const unsigned long long* changed,
                                                          double tol, IterStatus* status) {
  __shared__ double red[kBlock];
  __shared__ int empties[kBlock];
  const int tid = threadIdx.x, kd = k * d;
  double shift = 0.0;
  for (int e = tid; e < kd; e += kBlock) {
    const float nc = detail::updated_centroid(tot[e], tot[kd + e / d], old_c[e]);
    new_c[e] = nc;
    shift += detail::squared_shift(nc, old_c[e]);
  }
  int empty = 0;
  for (int c = tid; c < k; c += kBlock) empty += tot[kd + c] > 0.0 ? 0 : 1;
  red[tid] = shift;
  empties[tid] = empty;
  __syncthreads();
  for (int h = kBlock / 2; h > 0; h >>= 1) {
    if (tid < h) {
      red[tid] += red[tid + h];
      empties[tid] += empties[tid + h];
    }
    __syncthreads();
  }
  if (tid != 0) return;
  // The CPU adds the kd nonnegative terms in index order: decide shift <= tol from the tree sum
  // when that is safe (detail::shift_within), else redo the CPU's sequential sum.
  double s = red[0];
  int within = detail::shift_within(s, static_cast<std::size_t>(kd), tol);
  if (within < 0) {
    s = 0.0;
    for (int e = 0; e < kd; ++e) s += detail::squared_shift(new_c[e], old_c[e]);
    within = s <= tol ? 1 : 0;
  }
  status->shift = s;
  status->changed = *changed;
  status->empty = empties[0];
  status->within_tol = within;
}

/// One thread per chunk: the CPU's weighted_sum partial, rows in order.
__global__ __launch_bounds__(kBlock) void chunk_sums_kernel(const float* v, const float* w,
                                                            std::size_t n, std::size_t chunk,
                                                            double* out) {
  const std::size_t chunks = (n + chunk - 1) / chunk;
  for (std::size_t q = global_thread(); q < chunks; q += grid_threads()) {
    const std::size_t i0 = q * chunk, i1 = min(n, i0 + chunk);
    const double s = detail::chunk_weighted_sum(v, w, i0, i1);
    out[q] = s;
  }
}

}  // namespace

std::size_t labeled_smem_bytes(int k) { return dev::tile_scratch_bytes(k); }

void labeled_reduce(const Tile& t, const std::int32_t* labels, int k, const Partials& p,
                    cudaStream_t s) {
  if (t.rows == 0) return;
  const std::size_t bytes = labeled_smem_bytes(k);
  const int groups = (t.d + kReduceCols - 1) / kReduceCols;
  const std::size_t work = (t.rows + p.chunk - 1) / p.chunk * groups;
  const LabeledArgs args{t, labels, k, p, groups};
  auto run = [&](auto kernel) {
    SEGMINT_CUDA_CHECK(cudaFuncSetAttribute(kernel, cudaFuncAttributeMaxDynamicSharedMemorySize,
                                            static_cast<int>(bytes)));
    kernel<<<grid_for(work, 1), kBlock, bytes, s>>>(args);
    SEGMINT_CUDA_CHECK_LAUNCH();
  };
  if (k > dev::kSmallK)
    run(labeled_reduce_kernel<true>);
  else
    run(labeled_reduce_kernel<false>);
}

cudaError_t probe_kernels() {
  cudaFuncAttributes attr{};
  return cudaFuncGetAttributes(&attr, labeled_reduce_kernel<false>);
}

void fold_partials(const double* data, const std::uint8_t* present, std::size_t chunks,
                   std::size_t width, int k, int d, double* totals, cudaStream_t s) {
  if (chunks == 0) return;
  fold_kernel<<<grid_for(width, kFoldCols), kBlock, 0, s>>>(data, present, chunks, width, k, d,
                                                            totals);
  SEGMINT_CUDA_CHECK_LAUNCH();
}

void finalize_centroids(const double* totals, const float* old_c, int k, int d, float* new_c,
                        const unsigned long long* changed, double tol, IterStatus* status,
                        cudaStream_t s) {
  finalize_kernel<<<1, kBlock, 0, s>>>(totals, old_c, k, d, new_c, changed, tol, status);
  SEGMINT_CUDA_CHECK_LAUNCH();
}

void chunk_weighted_sums(const float* v, const float* w, std::size_t n, std::size_t chunk,
                         double* out, cudaStream_t s) {
  if (n == 0) return;
  const std::size_t chunks = (n + chunk - 1) / chunk;
  chunk_sums_kernel<<<grid_for(chunks, 64), 64, 0, s>>>(v, w, n, chunk, out);
  SEGMINT_CUDA_CHECK_LAUNCH();
}

}  // namespace segmint::cuda
