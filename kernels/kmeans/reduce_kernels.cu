// Deterministic reductions: per-chunk partials of labelled rows (gemm path), the fixed-order
// tree over chunk partials, and the centroid update with shift, inertia and empty count.
#include <cuda_runtime.h>

#include "core/cuda_check.hpp"
#include "core/launch.hpp"
#include "kmeans/kmeans_kernels.hpp"
#include "kmeans/tile_accumulate.cuh"
#include "segmint/detail/kmeans_math.hpp"

namespace segmint::cuda {
namespace {

struct LabeledArgs {
  Tile t;
  const std::int32_t* labels;
  const float* d2;
  int k;
  Partials p;
  bool acc_in_smem;
};

__global__ __launch_bounds__(kBlock) void labeled_reduce_kernel(LabeledArgs a) {
  extern __shared__ __align__(16) unsigned char smem[];
  const int k = a.k, d = a.t.d, tid = threadIdx.x;
  const std::size_t m = a.p.width, chunk = a.p.chunk, rows = a.t.rows;
  double* sacc = reinterpret_cast<double*>(smem);
  dev::TileScratch sm;
  dev::carve_tile_scratch(smem + (a.acc_in_smem ? m * 8 : 0), k, sm);
  const std::size_t chunks = (rows + chunk - 1) / chunk;
  for (std::size_t lc = blockIdx.x; lc < chunks; lc += gridDim.x) {
    double* dst = a.p.data + (a.t.row0 / chunk + lc) * m;
    double* acc = a.acc_in_smem ? sacc : dst;  // a chunk's partial belongs to one block
    for (std::size_t i = tid; i < m; i += kBlock) acc[i] = 0.0;
    __syncthreads();
    const std::size_t c0 = lc * chunk, c1 = min(rows, c0 + chunk);
    for (std::size_t t0 = c0; t0 < c1; t0 += kBlock) {
      const std::size_t nr = min(static_cast<std::size_t>(kBlock), c1 - t0);
      const std::size_t grow = a.t.row0 + t0 + tid;
      const bool have = static_cast<std::size_t>(tid) < nr;
      sm.labs[tid] = have ? a.labels[grow] : -1;
      sm.ws[tid] = have ? (a.t.weights ? a.t.weights[grow] : 1.f) : 0.f;
      sm.d2s[tid] = have ? a.d2[grow] : 0.f;
      __syncthreads();
      const float* xt = a.t.x + t0 * d;
      dev::tile_accumulate(sm, k, d, acc,
                           [&](int r, int j) { return xt[static_cast<std::size_t>(r) * d + j]; });
    }
    if (a.acc_in_smem)
      for (std::size_t i = tid; i < m; i += kBlock) dst[i] = sacc[i];
    __syncthreads();
  }
}

__global__ __launch_bounds__(kBlock) void reduce_level_kernel(const double* in, std::size_t parts,
                                                              std::size_t width, std::size_t group,
                                                              double* out) {
  const std::size_t outs = (parts + group - 1) / group;
  const std::size_t total = outs * width;
  for (std::size_t i = global_thread(); i < total; i += grid_threads()) {
    const std::size_t g = i / width, e = i - g * width;
    const std::size_t p0 = g * group, p1 = min(parts, p0 + group);
    double s = 0.0;
    for (std::size_t p = p0; p < p1; ++p) s += in[p * width + e];
    out[i] = s;
  }
}

__global__ __launch_bounds__(kBlock) void finalize_kernel(const double* tot, const float* old_c,
                                                          int k, int d, float* new_c,
                                                          const unsigned long long* changed,
                                                          IterStatus* status) {
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
  if (tid == 0) {
    status->shift = red[0];
    status->inertia = tot[kd + 2 * k];
    status->changed = *changed;
    status->empty = empties[0];
  }
}

}  // namespace

std::size_t labeled_smem_bytes(int k, bool acc_in_smem, std::size_t width) {
  return (acc_in_smem ? width * 8 : 0) + dev::tile_scratch_bytes(k);
}

void labeled_reduce(const Tile& t, const std::int32_t* labels, const float* d2, int k,
                    const Partials& p, bool acc_in_smem, int max_blocks, cudaStream_t s) {
  if (t.rows == 0) return;
  const std::size_t bytes = labeled_smem_bytes(k, acc_in_smem, p.width);
  SEGMINT_CUDA_CHECK(cudaFuncSetAttribute(labeled_reduce_kernel,
                                          cudaFuncAttributeMaxDynamicSharedMemorySize,
                                          static_cast<int>(bytes)));
  const int grid = grid_for(t.rows, p.chunk, static_cast<std::size_t>(max_blocks));
  labeled_reduce_kernel<<<grid, kBlock, bytes, s>>>(LabeledArgs{t, labels, d2, k, p, acc_in_smem});
  SEGMINT_CUDA_CHECK_LAUNCH();
}

cudaError_t probe_kernels() {
  cudaFuncAttributes attr{};
  return cudaFuncGetAttributes(&attr, labeled_reduce_kernel);
}

void reduce_partials_level(const double* in, std::size_t parts, std::size_t width,
                           std::size_t group, double* out, cudaStream_t s) {
  const std::size_t outs = (parts + group - 1) / group;
  reduce_level_kernel<<<grid_for(outs * width), kBlock, 0, s>>>(in, parts, width, group, out);
  SEGMINT_CUDA_CHECK_LAUNCH();
}

void finalize_centroids(const double* totals, const float* old_c, int k, int d, float* new_c,
                        const unsigned long long* changed, IterStatus* status, cudaStream_t s) {
  finalize_kernel<<<1, kBlock, 0, s>>>(totals, old_c, k, d, new_c, changed, status);
  SEGMINT_CUDA_CHECK_LAUNCH();
}

}  // namespace segmint::cuda
