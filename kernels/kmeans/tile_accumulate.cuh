// Device helper shared by the fused and the labelled reduction kernels: adds one tile of up to
// kBlock rows into per-cluster accumulators in a fixed order (rows of a cluster in row order),
// so partial sums are identical however the work is scheduled. No float atomics.
#pragma once
#include <cstdint>

#include "kmeans/kmeans_kernels.hpp"

namespace segmint::cuda::dev {

constexpr int kWarps = kBlock / 32;

/// Shared-memory scratch of one tile (carved from dynamic shared memory by the kernel).
struct TileScratch {
  int* labs;     ///< kBlock; -1 = no row
  float* ws;     ///< kBlock weights
  float* d2s;    ///< kBlock squared distances
  int* perm;     ///< kBlock: tile rows grouped by cluster, each group in row order
  int* wcount;   ///< kWarps * k
  int* seg;      ///< k + 1 segment starts
  double* red;   ///< kBlock
};

/// Bytes of TileScratch for k clusters (8-byte aligned pieces).
__host__ __device__ constexpr std::size_t tile_scratch_bytes(int k) {
  return kBlock * 8 /*red*/ + 4 * kBlock * 4 + (static_cast<std::size_t>(kWarps) * k + k + 2) * 4;
}

/// Carves TileScratch at p (8-byte aligned); returns the end.
__device__ inline unsigned char* carve_tile_scratch(unsigned char* p, int k, TileScratch& s) {
  s.red = reinterpret_cast<double*>(p);
  p += kBlock * 8;
  s.labs = reinterpret_cast<int*>(p);
  s.ws = reinterpret_cast<float*>(s.labs + kBlock);
  s.d2s = s.ws + kBlock;
  s.perm = reinterpret_cast<int*>(s.d2s + kBlock);
  s.wcount = s.perm + kBlock;
  s.seg = s.wcount + kWarps * k;
  return reinterpret_cast<unsigned char*>(s.seg + k + 2);
}

/// acc layout: k*d weighted sums | k weights | k counts | inertia. labs/ws/d2s must be filled
/// and visible (after a barrier). x_at(r, j) reads feature j of tile row r. Ends with a barrier.
template <class XAt>
__device__ void tile_accumulate(const TileScratch& sm, int k, int d, double* acc, XAt x_at) {
  const int tid = threadIdx.x, lane = tid & 31, warp = tid >> 5;
  const int lab = sm.labs[tid];
  for (int i = tid; i < kWarps * k; i += kBlock) sm.wcount[i] = 0;
  __syncthreads();
  // Stable rank of this row among the rows of its warp with the same label.
  const unsigned mask = __match_any_sync(0xffffffffu, lab);
  const int rank = __popc(mask & ((1u << lane) - 1u));
  if (lab >= 0 && rank == 0) sm.wcount[warp * k + lab] = __popc(mask);
  __syncthreads();
  for (int c = tid; c < k; c += kBlock) {
    int run = 0;
    for (int w = 0; w < kWarps; ++w) {
      int n = sm.wcount[w * k + c];
      sm.wcount[w * k + c] = run;
      run += n;
    }
    sm.seg[c + 1] = run;
  }
  __syncthreads();
  // Cluster counts (seg[c + 1]) -> segment ends, by a block scan: each thread owns a run of
  // clusters; perm is free until the scatter below and holds the per-thread totals.
  {
    const int per = (k + kBlock - 1) / kBlock, cb = min(k, tid * per), ce = min(k, cb + per);
    int local = 0;
    for (int c = cb; c < ce; ++c) local += sm.seg[c + 1];
    sm.perm[tid] = local;
    __syncthreads();
    for (int off = 1; off < kBlock; off <<= 1) {
      const int v = tid >= off ? sm.perm[tid - off] : 0;
      __syncthreads();
      sm.perm[tid] += v;
      __syncthreads();
    }
    int run = sm.perm[tid] - local;
    for (int c = cb; c < ce; ++c) {
      run += sm.seg[c + 1];
      sm.seg[c + 1] = run;
    }
    if (tid == 0) sm.seg[0] = 0;
  }
  __syncthreads();
  if (lab >= 0) sm.perm[sm.seg[lab] + sm.wcount[warp * k + lab] + rank] = tid;
  __syncthreads();
  const int kd = k * d;
  for (int e = tid; e < kd; e += kBlock) {
    const int c = e / d, j = e - c * d;
    const int s0 = sm.seg[c], s1 = sm.seg[c + 1];
    if (s0 == s1) continue;
    double a = acc[e];
    for (int s = s0; s < s1; ++s) {
      const int r = sm.perm[s];
      a += static_cast<double>(sm.ws[r]) * static_cast<double>(x_at(r, j));
    }
    acc[e] = a;
  }
  for (int c = tid; c < k; c += kBlock) {
    const int s0 = sm.seg[c], s1 = sm.seg[c + 1];
    if (s0 == s1) continue;
    double wsum = acc[kd + c];
    for (int s = s0; s < s1; ++s) wsum += static_cast<double>(sm.ws[sm.perm[s]]);
    acc[kd + c] = wsum;
    acc[kd + k + c] += static_cast<double>(s1 - s0);
  }
  sm.red[tid] = lab >= 0 ? static_cast<double>(sm.ws[tid]) * static_cast<double>(sm.d2s[tid]) : 0.0;
  __syncthreads();
  for (int h = kBlock / 2; h > 0; h >>= 1) {
    if (tid < h) sm.red[tid] += sm.red[tid + h];
    __syncthreads();
  }
  if (tid == 0) acc[kd + 2 * k] += sm.red[0];
  __syncthreads();
}

/// Adds this thread's count to *total with one integer atomic per warp (order-free, exact).
__device__ inline void add_changed(unsigned long long* total, unsigned my) {
  unsigned sum = __reduce_add_sync(0xffffffffu, my);
  if ((threadIdx.x & 31) == 0 && sum) atomicAdd(total, static_cast<unsigned long long>(sum));
}

}  // namespace segmint::cuda::dev
