// Kernels of the initialisations (k-means++, k-means||) and of the tolerance's column variance:
// distances to candidates, per-chunk potentials in fixed order, sampling, candidate weights.
#include <cuda_runtime.h>

#include <cfloat>

#include "core/cuda_check.hpp"
#include "core/launch.hpp"
#include "kmeans/kmeans_kernels.hpp"
#include "segmint/detail/kmeans_math.hpp"
#include "segmint/detail/rng.hpp"

namespace segmint::cuda {
namespace {

constexpr int kMaxCandidates = 32;  // candidate_pots: L + 1 <= this

__global__ __launch_bounds__(kBlock) void update_closest_kernel(Tile t, const float* cands, int m,
                                                                float* closest, bool reset) {
  for (std::size_t r = global_thread(); r < t.rows; r += grid_threads()) {
    const float previous = reset ? FLT_MAX : closest[t.row0 + r];
    closest[t.row0 + r] = detail::closest_after(t.x + r * t.d, cands, m, t.d, previous, reset);
  }
}

/// One block per chunk; each thread sums its rows (tid, tid + kBlock, ...) in order, then a
/// fixed tree over the block: the chunk's potentials do not depend on scheduling.
__global__ __launch_bounds__(kBlock) void candidate_pots_kernel(Tile t, const float* cands, int L,
                                                                const float* closest,
                                                                std::size_t chunk, double* out) {
  __shared__ double red[kBlock];
  const int tid = threadIdx.x;
  const std::size_t chunks = (t.rows + chunk - 1) / chunk;
  for (std::size_t lc = blockIdx.x; lc < chunks; lc += gridDim.x) {
    double acc[kMaxCandidates];
    for (int l = 0; l <= L; ++l) acc[l] = 0.0;
    const std::size_t c0 = lc * chunk, c1 = min(t.rows, c0 + chunk);
    for (std::size_t r = c0 + tid; r < c1; r += kBlock) {
      const std::size_t g = t.row0 + r;
      const double w = t.weights ? t.weights[g] : 1.0;
      const float cl = closest[g];
      const float* xr = t.x + r * t.d;
      for (int l = 0; l < L; ++l) {
        const float s = detail::squared_distance(xr, cands + static_cast<std::size_t>(l) * t.d, t.d);
        acc[l] += detail::potential_with(cl, s, w);
      }
      acc[L] += w * static_cast<double>(cl);
    }
    double* dst = out + (t.row0 / chunk + lc) * (L + 1);
    for (int l = 0; l <= L; ++l) {
      red[tid] = acc[l];
      __syncthreads();
      for (int h = kBlock / 2; h > 0; h >>= 1) {
        if (tid < h) red[tid] += red[tid + h];
        __syncthreads();
      }
      if (tid == 0) dst[l] = red[0];
      __syncthreads();
    }
  }
}

__global__ __launch_bounds__(kBlock) void sample_kernel(Tile t, const float* closest, double ell,
                                                        double psi, std::uint64_t seed, int round,
                                                        std::uint8_t* flags) {
  for (std::size_t r = global_thread(); r < t.rows; r += grid_threads()) {
    const std::size_t g = t.row0 + r;
    // The CPU's counter-based draw and keep rule (segmint/detail): a row's draw depends only on
    // (seed, round, row), never on tiling or thread order.
    const double u = detail::hash_uniform(seed, static_cast<std::uint64_t>(round), g);
    const float w = t.weights ? t.weights[g] : 1.f;
    flags[g] = detail::sampled(u, ell, w, closest[g], psi) ? 1 : 0;
  }
}

__global__ __launch_bounds__(kBlock) void cand_weights_kernel(Tile t, const float* cands, int m,
                                                              unsigned long long* wf) {
  for (std::size_t r = global_thread(); r < t.rows; r += grid_threads()) {
    const float* xr = t.x + r * t.d;
    float best = detail::squared_distance(xr, cands, t.d);
    int lab = 0;
    for (int c = 1; c < m; ++c) {
      const float s = detail::squared_distance(xr, cands + static_cast<std::size_t>(c) * t.d, t.d);
      if (s < best) {
        best = s;
        lab = c;
      }
    }
    const double w = t.weights ? t.weights[t.row0 + r] : 1.0;
    // Integer atomics commute exactly: the totals do not depend on the order.
    atomicAdd(wf + lab, detail::to_fixed_weight(w));
  }
}

__global__ __launch_bounds__(kBlock) void gather_kernel(const float* x, int d,
                                                        const std::int64_t* idx, int count,
                                                        float* out) {
  const std::size_t total = static_cast<std::size_t>(count) * d;
  for (std::size_t i = global_thread(); i < total; i += grid_threads()) {
    const std::size_t r = i / d, j = i - r * d;
    out[i] = x[static_cast<std::size_t>(idx[r]) * d + j];
  }
}

/// One block per chunk; thread j sums column j over the chunk's rows in row order.
__global__ __launch_bounds__(kBlock) void moments_kernel(Tile t, const double* mean,
                                                         std::size_t chunk, double* out) {
  const std::size_t chunks = (t.rows + chunk - 1) / chunk;
  for (std::size_t lc = blockIdx.x; lc < chunks; lc += gridDim.x) {
    const std::size_t c0 = lc * chunk, c1 = min(t.rows, c0 + chunk);
    for (int j = threadIdx.x; j < t.d; j += kBlock) {
      double s = 0.0;
      const double* m = mean ? mean + j : nullptr;
      for (std::size_t r = c0; r < c1; ++r) s += detail::moment_term(t.x[r * t.d + j], m);
      out[lc * t.d + j] = s;
    }
  }
}


}  // namespace

void update_closest(const Tile& t, const float* cands, int m, float* closest, bool reset,
                    cudaStream_t s) {
  if (t.rows == 0) return;
  update_closest_kernel<<<grid_for(t.rows), kBlock, 0, s>>>(t, cands, m, closest, reset);
  SEGMINT_CUDA_CHECK_LAUNCH();
}

void candidate_pots(const Tile& t, const float* cands, int L, const float* closest,
                    std::size_t chunk, double* out, cudaStream_t s) {
  if (L + 1 > kMaxCandidates) throw DeviceError("k-means++: too many candidates per step");
  if (t.rows == 0) return;
  candidate_pots_kernel<<<grid_for(t.rows, chunk), kBlock, 0, s>>>(t, cands, L, closest, chunk, out);
  SEGMINT_CUDA_CHECK_LAUNCH();
}

void sample_parallel(const Tile& t, const float* closest, double ell, double psi,
                     std::uint64_t seed, int round, std::uint8_t* flags, cudaStream_t s) {
  if (t.rows == 0) return;
  sample_kernel<<<grid_for(t.rows), kBlock, 0, s>>>(t, closest, ell, psi, seed, round, flags);
  SEGMINT_CUDA_CHECK_LAUNCH();
}

void candidate_weights(const Tile& t, const float* cands, int m,
                       unsigned long long* weights_fixed, cudaStream_t s) {
  if (t.rows == 0) return;
  cand_weights_kernel<<<grid_for(t.rows), kBlock, 0, s>>>(t, cands, m, weights_fixed);
  SEGMINT_CUDA_CHECK_LAUNCH();
}

void gather_rows(const float* x, int d, const std::int64_t* idx, int count, float* out,
                 cudaStream_t s) {
  if (count == 0) return;
  gather_kernel<<<grid_for(static_cast<std::size_t>(count) * d), kBlock, 0, s>>>(x, d, idx, count, out);
  SEGMINT_CUDA_CHECK_LAUNCH();
}

void column_moments(const Tile& t, const double* mean, std::size_t chunk, double* out,
                    cudaStream_t s) {
  if (t.rows == 0) return;
  moments_kernel<<<grid_for(t.rows, chunk), kBlock, 0, s>>>(t, mean, chunk, out);
  SEGMINT_CUDA_CHECK_LAUNCH();
}

}  // namespace segmint::cuda
