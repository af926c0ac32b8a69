// CUB primitives of the device aggregation: the radix sort by user and the segmented sorts
// (double-buffered: no second copy of the keys in the scratch), and the heavy-user selection.
#include <cub/device/device_radix_sort.cuh>
#include <cub/device/device_segmented_sort.cuh>
#include <cub/device/device_select.cuh>
#include <thrust/iterator/counting_iterator.h>

#include <algorithm>

#include "aggregate/aggregate_kernels.hpp"
#include "core/cuda_check.hpp"

namespace segmint::cuda {
namespace {

/// Whether user u's segment holds at least kHeavyEvents events.
struct IsHeavy {
  const int* offsets;
  __host__ __device__ bool operator()(std::uint32_t u) const {
    return offsets[u + 1] - offsets[u] >= kHeavyEvents;
  }
};

cub::DoubleBuffer<std::uint64_t> key_buffer(SortBuffers& b) {
  cub::DoubleBuffer<std::uint64_t> d(b.keys[0], b.keys[1]);
  d.selector = b.current;
  return d;
}
cub::DoubleBuffer<std::uint32_t> val_buffer(SortBuffers& b) {
  cub::DoubleBuffer<std::uint32_t> d(b.vals[0], b.vals[1]);
  d.selector = b.current;
  return d;
}

}  // namespace

std::size_t aggregate_scratch_bytes(std::size_t n, std::size_t segments) {
  SortBuffers none{{nullptr, nullptr}, {nullptr, nullptr}, 0};
  auto keys = key_buffer(none);
  auto vals = val_buffer(none);
  std::size_t radix = 0, seg = 0, select = 0;
  SEGMINT_CUDA_CHECK(cub::DeviceRadixSort::SortPairs(nullptr, radix, keys, vals,
                                                     static_cast<int>(n), 0, 64));
  SEGMINT_CUDA_CHECK(cub::DeviceSegmentedSort::SortPairs(
      nullptr, seg, keys, vals, static_cast<std::int64_t>(n), static_cast<std::int64_t>(segments),
      static_cast<const int*>(nullptr), static_cast<const int*>(nullptr)));
  SEGMINT_CUDA_CHECK(cub::DeviceSelect::If(
      nullptr, select, thrust::counting_iterator<std::uint32_t>(0),
      static_cast<std::uint32_t*>(nullptr), static_cast<int*>(nullptr),
      static_cast<std::int64_t>(segments), IsHeavy{nullptr}));
  return std::max<std::size_t>({radix, seg, select, 256});
}

void sort_pairs(SortBuffers& b, std::size_t n, int key_bits, void* scratch,
                std::size_t scratch_bytes, cudaStream_t stream) {
  if (n == 0) return;
  auto keys = key_buffer(b);
  auto vals = val_buffer(b);
  SEGMINT_CUDA_CHECK(cub::DeviceRadixSort::SortPairs(scratch, scratch_bytes, keys, vals,
                                                     static_cast<int>(n), 0,
                                                     std::max(1, key_bits), stream));
  b.current = keys.selector;  // set on the host by the call (the pass count is known there)
}

void sort_segments(SortBuffers& b, std::size_t n, std::size_t segments, const int* offsets,
                   void* scratch, std::size_t scratch_bytes, cudaStream_t stream) {
  if (n == 0 || segments == 0) return;
  auto keys = key_buffer(b);
  auto vals = val_buffer(b);
  SEGMINT_CUDA_CHECK(cub::DeviceSegmentedSort::SortPairs(
      scratch, scratch_bytes, keys, vals, static_cast<std::int64_t>(n),
      static_cast<std::int64_t>(segments), offsets, offsets + 1, stream));
  b.current = keys.selector;
}

void select_heavy(const int* offsets, std::size_t users, std::uint32_t* heavy, int* count,
                  void* scratch, std::size_t scratch_bytes, cudaStream_t stream) {
  SEGMINT_CUDA_CHECK(cub::DeviceSelect::If(scratch, scratch_bytes,
                                           thrust::counting_iterator<std::uint32_t>(0), heavy,
                                           count, static_cast<std::int64_t>(users),
                                           IsHeavy{offsets}, stream));
}

}  // namespace segmint::cuda
