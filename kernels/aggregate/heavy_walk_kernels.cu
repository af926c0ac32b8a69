// Heavy users (>= kHeavyEvents events: bots, crawlers, shared accounts) get a block each: every
// thread walks a contiguous chunk of the user's events and the block combines the chunk partials
// in a fixed-order tree (detail/tree_combine.hpp; exact: integers only, the entropy summed by one
// thread in key order). The same partial, combine and tree functions run on the CPU in
// tests/unit/device_aggregation_test.cpp.
#include <cub/block/block_scan.cuh>

#include "aggregate/aggregate_kernels.hpp"
#include "core/cuda_check.hpp"
#include "core/launch.hpp"
#include "segmint/detail/tree_combine.hpp"
#include "segmint/detail/user_walk.hpp"

namespace segmint::cuda {
namespace {

using detail::UserSummary;

/// This thread's chunk of [b, e) (contiguous, in thread order).
struct Chunk {
  std::int64_t lo, hi;
};
__device__ __forceinline__ Chunk chunk_of(std::int64_t b, std::int64_t e) {
  const std::int64_t len = e - b;
  return {b + len * threadIdx.x / kHeavyBlock, b + len * (threadIdx.x + 1) / kHeavyBlock};
}

struct CombineTime {
  std::int64_t gap;
  SEGMINT_HD detail::TimePartial operator()(const detail::TimePartial& a,
                                            const detail::TimePartial& b) const {
    return detail::combine_time(a, b, gap);
  }
};

struct CombineSet {
  SetKind kind;
  SEGMINT_HD detail::SetPartial operator()(const detail::SetPartial& a,
                                           const detail::SetPartial& b) const {
    return detail::combine_set(kind, a, b);
  }
};

/// parts[0] = the in-order combination of parts[0, kHeavyBlock): log2(kHeavyBlock) levels of
/// the shared tree, a barrier after each. Ends synchronized.
template <class T, class Combine>
__device__ __forceinline__ void block_tree(T* parts, const Combine& combine) {
  __syncthreads();  // every chunk partial written
  for (int stride = 1; stride < kHeavyBlock; stride *= 2) {
    detail::tree_step(parts, kHeavyBlock, stride, static_cast<int>(threadIdx.x), combine);
    __syncthreads();
  }
}

__global__ void __launch_bounds__(kHeavyBlock)
    heavy_time_kernel(PassColumns c, const detail::EventCounters* counters, const int* off,
                      const std::uint32_t* heavy, const int* count, std::int64_t gap,
                      std::int64_t tz, UserSummary* out) {
  __shared__ detail::TimePartial parts[kHeavyBlock];
  for (int h = blockIdx.x; h < *count; h += gridDim.x) {
    const std::uint32_t u = heavy[h];
    const Chunk ch = chunk_of(off[u], off[u + 1]);
    parts[threadIdx.x] = detail::time_partial(c, detail::DirectRows{}, ch.lo, ch.hi, gap, tz,
                                              counters[u].last_purchase);
    block_tree(parts, CombineTime{gap});
    if (threadIdx.x == 0) {
      const detail::TimePartial p = parts[0];
      UserSummary s = detail::summary_from_counters(counters[u]);
      detail::finish_time(p, s);
      detail::finish_days(p, s);
      out[u] = s;
    }
    __syncthreads();  // parts is reused for the next user
  }
}

__global__ void __launch_bounds__(kHeavyBlock)
    heavy_set_kernel(SetKind k, PassColumns c, const std::uint64_t* keys,
                     const std::uint32_t* rows, const int* off, const std::uint32_t* heavy,
                     const int* count, UserSummary* out) {
  __shared__ detail::SetPartial parts[kHeavyBlock];
  for (int h = blockIdx.x; h < *count; h += gridDim.x) {
    const std::uint32_t u = heavy[h];
    const Chunk ch = chunk_of(off[u], off[u + 1]);
    parts[threadIdx.x] = detail::set_partial(k, c, keys, rows, ch.lo, ch.hi);
    block_tree(parts, CombineSet{k});
    if (threadIdx.x == 0) {
      UserSummary s = out[u];
      detail::apply_sums(k, detail::finish_set(k, parts[0]), s);
      out[u] = s;
    }
    __syncthreads();
  }
}

__global__ void __launch_bounds__(kHeavyBlock)
    heavy_categories_kernel(PassColumns c, const std::uint64_t* keys, const std::uint32_t* rows,
                            const int* off, const std::uint32_t* heavy, const int* count,
                            std::uint32_t* starts, UserSummary* out) {
  using Scan = cub::BlockScan<unsigned, kHeavyBlock>;
  __shared__ typename Scan::TempStorage scan;
  __shared__ unsigned long long last_in_set;
  for (int h = blockIdx.x; h < *count; h += gridDim.x) {
    const std::uint32_t u = heavy[h];
    const std::int64_t b = off[u], e = off[u + 1];
    const Chunk ch = chunk_of(b, e);
    unsigned groups = 0;
    unsigned long long mine = 0;
    for (std::int64_t i = ch.lo; i < ch.hi; ++i) {
      groups += detail::key_group_starts(keys, b, i);
      mine += keys[i] == ~std::uint64_t{0} && detail::in_set(SetKind::categories, c, rows[i]);
    }
    if (threadIdx.x == 0) last_in_set = 0;
    __syncthreads();
    unsigned before = 0, all = 0;
    Scan(scan).ExclusiveSum(groups, before, all);
    for (std::int64_t i = ch.lo; i < ch.hi; ++i) {
      if (detail::key_group_starts(keys, b, i)) starts[b + before++] = static_cast<std::uint32_t>(i);
    }
    atomicAdd(&last_in_set, mine);  // integers: the total does not depend on the order
    __syncthreads();                // starts and last_in_set complete
    if (threadIdx.x == 0) {
      UserSummary s = out[u];
      detail::category_runs_apply(keys, starts + b, all, e, last_in_set, s);
      out[u] = s;
    }
    __syncthreads();
  }
}

int heavy_grid(std::size_t max_heavy) {
  return static_cast<int>(max_heavy < 1024 ? max_heavy : 1024);
}

}  // namespace

void launch_heavy_time(PassColumns c, const detail::EventCounters* counters, const int* offsets,
                       const std::uint32_t* heavy, const int* count, std::size_t max_heavy,
                       std::int64_t gap, std::int64_t tz, UserSummary* out, cudaStream_t stream) {
  if (max_heavy == 0) return;
  heavy_time_kernel<<<heavy_grid(max_heavy), kHeavyBlock, 0, stream>>>(c, counters, offsets, heavy,
                                                                      count, gap, tz, out);
  SEGMINT_CUDA_CHECK_LAUNCH();
}

void launch_heavy_set(SetKind kind, PassColumns c, const std::uint64_t* keys,
                      const std::uint32_t* rows, const int* offsets, const std::uint32_t* heavy,
                      const int* count, std::size_t max_heavy, UserSummary* out,
                      cudaStream_t stream) {
  if (max_heavy == 0) return;
  heavy_set_kernel<<<heavy_grid(max_heavy), kHeavyBlock, 0, stream>>>(kind, c, keys, rows, offsets,
                                                                     heavy, count, out);
  SEGMINT_CUDA_CHECK_LAUNCH();
}

void launch_heavy_categories(PassColumns c, const std::uint64_t* keys, const std::uint32_t* rows,
                             const int* offsets, const std::uint32_t* heavy, const int* count,
                             std::size_t max_heavy, std::uint32_t* starts, UserSummary* out,
                             cudaStream_t stream) {
  if (max_heavy == 0) return;
  heavy_categories_kernel<<<heavy_grid(max_heavy), kHeavyBlock, 0, stream>>>(
      c, keys, rows, offsets, heavy, count, starts, out);
  SEGMINT_CUDA_CHECK_LAUNCH();
}

}  // namespace segmint::cuda
