// Device helper shared by the fused and the labelled reduction kernels: adds one tile of up to
// kBlock rows into a chunk's per-cluster sums in the CPU backend's order (for each cluster and
// feature, the chunk's rows of that cluster in row order, one double fma each), so the partials
// are bit for bit those of host/kmeans (and independent of scheduling). No float atomics.
// The tile's rows are grouped by cluster into segments: warp match + one warp's scan for small k,
// a stable block radix sort for large k; then every (segment, feature) chain runs in its own lane.
#pragma once
#include <cub/block/block_radix_sort.cuh>

#include <cstdint>

#include "kmeans/kmeans_kernels.hpp"

namespace segmint::cuda::dev {

constexpr int kWarps = kBlock / 32;
/// Clusters up to this use the warp-match grouping (per-warp counts fit in shared memory).
constexpr int kSmallK = 64;

using RadixSort = cub::BlockRadixSort<int, kBlock, 1, int>;

/// Shared-memory scratch of one tile (carved from dynamic shared memory by the kernel).
struct TileScratch {
  int* labs;        ///< kBlock; -1 = no row
  double* wd;       ///< kBlock weights as double (0 for no row)
  int* perm;        ///< kBlock: tile rows grouped by cluster, each group in row order
  int* seg_start;   ///< kBlock + 1: start of segment s in perm (segment nseg ends the rows)
  int* seg_cluster; ///< kBlock: the cluster of segment s
  int* wcount;      ///< small k: kWarps * kSmallK per-warp counts, then offsets
  int* nseg;        ///< 1 (+1 pad): segments in this tile
  std::uint8_t* touched;  ///< k: the chunk has a row of cluster c (its partial entries are live)
  RadixSort::TempStorage* sort;  ///< large k
};

/// Bytes of TileScratch for k clusters (16-byte aligned pieces).
__host__ __device__ constexpr std::size_t tile_scratch_bytes(int k) {
  return kBlock * 8 /*wd*/ + kBlock * 4 * 4 /*labs, perm, seg_start, seg_cluster*/ + 16 +
         kWarps * kSmallK * 4 + 16 /*nseg*/ + (static_cast<std::size_t>(k) + 15) / 16 * 16 +
         (k > kSmallK ? (sizeof(RadixSort::TempStorage) + 15) / 16 * 16 : 0);
}

/// Carves TileScratch at p (16-byte aligned); returns the end (16-byte aligned).
__device__ inline unsigned char* carve_tile_scratch(unsigned char* p, int k, TileScratch& s) {
  s.wd = reinterpret_cast<double*>(p);
  p += kBlock * 8;
  s.labs = reinterpret_cast<int*>(p);
  s.perm = s.labs + kBlock;
  s.seg_start = s.perm + kBlock;
  s.seg_cluster = s.seg_start + kBlock + 4;
  s.wcount = s.seg_cluster + kBlock;
  s.nseg = s.wcount + kWarps * kSmallK;
  s.touched = reinterpret_cast<std::uint8_t*>(s.nseg + 4);
  p = s.touched + (k + 15) / 16 * 16;
  s.sort = reinterpret_cast<RadixSort::TempStorage*>(p);
  if (k > kSmallK) p += (sizeof(RadixSort::TempStorage) + 15) / 16 * 16;
  return p;
}

/// Appends the segment starting at perm position i (cluster c) when `starts`; one ballot per
/// warp, then warp offsets: segments come out in perm order. Ends with a barrier.
__device__ inline void list_segments(const TileScratch& sm, bool starts, int i, int c, int rows) {
  const int lane = threadIdx.x & 31, warp = threadIdx.x >> 5;
  __shared__ int wtot[kWarps];
  const unsigned b = __ballot_sync(0xffffffffu, starts);
  if (lane == 0) wtot[warp] = __popc(b);
  __syncthreads();
  int base = 0, total = 0;
  for (int w = 0; w < kWarps; ++w) {
    base += w < warp ? wtot[w] : 0;
    total += wtot[w];
  }
  if (starts) {
    const int s = base + __popc(b & ((1u << lane) - 1u));
    sm.seg_start[s] = i;
    sm.seg_cluster[s] = c;
  }
  if (threadIdx.x == 0) {
    *sm.nseg = total;
    sm.seg_start[total] = rows;
  }
  __syncthreads();
}

/// Small k: stable grouping by a warp match per warp and one warp's scan over (cluster, warp).
/// labs must be visible (after a barrier). rows: valid rows (a prefix of the tile).
__device__ inline void group_small(const TileScratch& sm, int k, int rows) {
  const int tid = threadIdx.x, lane = tid & 31, warp = tid >> 5;
  const int lab = sm.labs[tid];
  for (int i = tid; i < kWarps * k; i += kBlock) sm.wcount[i] = 0;
  __syncthreads();
  const unsigned mask = __match_any_sync(0xffffffffu, lab);
  const int rank = __popc(mask & ((1u << lane) - 1u));
  if (lab >= 0 && rank == 0) sm.wcount[warp * k + lab] = __popc(mask);
  __syncthreads();
  if (warp == 0) {  // clusters lane and lane + 32: offsets in (cluster, warp) order
    int run = 0;
    for (int c0 = 0; c0 < k; c0 += 32) {
      const int c = c0 + lane;
      int tot = 0;
      if (c < k)
        for (int w = 0; w < kWarps; ++w) tot += sm.wcount[w * k + c];
      int incl = tot;  // inclusive warp scan of the cluster totals
      for (int off = 1; off < 32; off <<= 1) {
        const int v = __shfl_up_sync(0xffffffffu, incl, off);
        if (lane >= off) incl += v;
      }
      int at = run + incl - tot;
      if (c < k)
        for (int w = 0; w < kWarps; ++w) {
          const int n = sm.wcount[w * k + c];
          sm.wcount[w * k + c] = at;
          at += n;
        }
      run += __shfl_sync(0xffffffffu, incl, 31);
    }
  }
  __syncthreads();
  if (lab >= 0) sm.perm[sm.wcount[warp * k + lab] + rank] = tid;
  __syncthreads();
  const int c = tid < rows ? sm.labs[sm.perm[tid]] : -1;
  const bool starts = tid < rows && (tid == 0 || sm.labs[sm.perm[tid - 1]] != c);
  list_segments(sm, starts, tid, c, rows);
}

/// Large k: a stable radix sort of (label, row) over the label's bits.
__device__ inline void group_large(const TileScratch& sm, int k, int rows) {
  const int tid = threadIdx.x;
  int key[1] = {sm.labs[tid] >= 0 ? sm.labs[tid] : k};
  int row[1] = {tid};
  RadixSort(*sm.sort).Sort(key, row, 0, 32 - __clz(k));
  sm.perm[tid] = row[0];
  sm.seg_cluster[tid] = key[0];  // sorted keys, read by the neighbour below
  __syncthreads();
  const bool starts = tid < rows && (tid == 0 || sm.seg_cluster[tid - 1] != key[0]);
  list_segments(sm, starts, tid, key[0], rows);
}

/// Adds the tile's rows into the chunk partial `acc` (k*d sums | k weights; only entries of
/// touched clusters are read, untouched ones start from 0): columns [j0, j1) of every segment,
/// and the weights when `weights`. labs and wd must be visible; rows = valid rows of the tile.
/// x_at(r, j) reads feature j of tile row r. Ends with a barrier, then marks the tile's
/// clusters touched: read `touched` only after another barrier.
/// Large: k > kSmallK (the radix sort), a compile-time choice so small-k kernels keep few registers.
template <bool Large, class XAt>
__device__ void tile_accumulate(const TileScratch& sm, int k, int d, int j0, int j1, bool weights,
                                int rows, double* acc, XAt x_at) {
  if constexpr (Large)
    group_large(sm, k, rows);
  else
    group_small(sm, k, rows);
  const int nseg = *sm.nseg, cols = j1 - j0;
  const int items = nseg * cols + (weights ? nseg : 0);
  for (int it = threadIdx.x; it < items; it += kBlock) {
    const bool witem = it >= nseg * cols;
    const int s = witem ? it - nseg * cols : it / cols;
    const int j = witem ? 0 : j0 + (it - s * cols);
    const int c = sm.seg_cluster[s], p0 = sm.seg_start[s], p1 = sm.seg_start[s + 1];
    double* slot = witem ? acc + static_cast<std::size_t>(k) * d + c
                         : acc + static_cast<std::size_t>(c) * d + j;
    double a = sm.touched[c] ? *slot : 0.0;
    if (witem) {
      for (int p = p0; p < p1; ++p) a += sm.wd[sm.perm[p]];
    } else {
#pragma unroll 4
      for (int p = p0; p < p1; ++p) {
        const int r = sm.perm[p];
        // w * x is exact in double: the fma rounds once, as the CPU's s += w * x.
        a = fma(sm.wd[r], static_cast<double>(x_at(r, j)), a);
      }
    }
    *slot = a;
  }
  __syncthreads();
  for (int s = threadIdx.x; s < nseg; s += kBlock) sm.touched[sm.seg_cluster[s]] = 1;
}

/// Adds this thread's count to *total with one integer atomic per warp (order-free, exact).
__device__ inline void add_changed(unsigned long long* total, unsigned my) {
  unsigned sum = __reduce_add_sync(0xffffffffu, my);
  if ((threadIdx.x & 31) == 0 && sum) atomicAdd(total, static_cast<unsigned long long>(sum));
}

}  // namespace segmint::cuda::dev
