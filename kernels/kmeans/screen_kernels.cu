// The screen's per-iteration table (||c||^2 and the slack, as the CPU's CentroidTable::load) and
// the exact squared distances of rows to given labels (the CPU's label_distances).
#include <cuda_runtime.h>

#include "core/cuda_check.hpp"
#include "core/launch.hpp"
#include "kmeans/kmeans_kernels.hpp"

namespace segmint::cuda {
namespace {

/// One block: norms per centroid, their maximum and finiteness, then the slack.
__global__ __launch_bounds__(kBlock) void screen_prep_kernel(const float* c, int k, int d,
                                                             float* cn,
                                                             detail::ScreenBound* bound) {
  __shared__ float top[kBlock];
  __shared__ int bad[kBlock];
  const int tid = threadIdx.x;
  float m = 0.f;
  int nonfinite = 0;
  for (int q = tid; q < k; q += kBlock) {
    const float* row = c + static_cast<std::size_t>(q) * d;
    const float v = detail::centroid_norm(row, d);
    cn[q] = v;
    m = fmaxf(m, v);
    nonfinite |= !isfinite(v);
    for (int j = 0; j < d; ++j) nonfinite |= !isfinite(-2.f * row[j]);
  }
  top[tid] = m;
  bad[tid] = nonfinite;
  __syncthreads();
  for (int h = kBlock / 2; h > 0; h >>= 1) {
    if (tid < h) {
      top[tid] = fmaxf(top[tid], top[tid + h]);
      bad[tid] |= bad[tid + h];
    }
    __syncthreads();
  }
  if (tid == 0) *bound = detail::ScreenBound::make(top[0], d, bad[0] == 0);
}

__global__ __launch_bounds__(kBlock) void label_distances_kernel(Tile t, const float* cent,
                                                                 const std::int32_t* labels,
                                                                 float* d2) {
  for (std::size_t r = global_thread(); r < t.rows; r += grid_threads()) {
    const std::size_t g = t.row0 + r;
    d2[g] = detail::exact_sq(t.x + r * t.d, cent + static_cast<std::size_t>(labels[g]) * t.d, t.d);
  }
}

}  // namespace

void screen_prep(const float* centroids, int k, int d, float* cn, detail::ScreenBound* bound,
                 cudaStream_t s) {
  screen_prep_kernel<<<1, kBlock, 0, s>>>(centroids, k, d, cn, bound);
  SEGMINT_CUDA_CHECK_LAUNCH();
}

void label_distances(const Tile& t, const float* centroids, const std::int32_t* labels,
                     float* d2, cudaStream_t s) {
  if (t.rows == 0) return;
  label_distances_kernel<<<grid_for(t.rows), kBlock, 0, s>>>(t, centroids, labels, d2);
  SEGMINT_CUDA_CHECK_LAUNCH();
}

}  // namespace segmint::cuda
