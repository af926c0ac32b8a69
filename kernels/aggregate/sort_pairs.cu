// CUB sorts of the device aggregation: one radix sort and one segmented sort of (u64, u32) pairs.
#include <cub/device/device_radix_sort.cuh>
#include <cub/device/device_segmented_sort.cuh>

#include <algorithm>

#include "aggregate/aggregate_kernels.hpp"
#include "core/cuda_check.hpp"

namespace segmint::cuda {

std::size_t sort_scratch_bytes(std::size_t n, std::size_t segments) {
  std::size_t radix = 0, seg = 0;
  SEGMINT_CUDA_CHECK(cub::DeviceRadixSort::SortPairs(
      nullptr, radix, static_cast<const std::uint64_t*>(nullptr), static_cast<std::uint64_t*>(nullptr),
      static_cast<const std::uint32_t*>(nullptr), static_cast<std::uint32_t*>(nullptr),
      static_cast<int>(n), 0, 64));
  SEGMINT_CUDA_CHECK(cub::DeviceSegmentedSort::SortPairs(
      nullptr, seg, static_cast<const std::uint64_t*>(nullptr), static_cast<std::uint64_t*>(nullptr),
      static_cast<const std::uint32_t*>(nullptr), static_cast<std::uint32_t*>(nullptr),
      static_cast<std::int64_t>(n), static_cast<std::int64_t>(segments),
      static_cast<const int*>(nullptr), static_cast<const int*>(nullptr)));
  return std::max<std::size_t>({radix, seg, 256});
}

void sort_pairs(const std::uint64_t* keys_in, std::uint64_t* keys_out, const std::uint32_t* vals_in,
                std::uint32_t* vals_out, std::size_t n, int key_bits, void* scratch,
                std::size_t scratch_bytes, cudaStream_t stream) {
  if (n == 0) return;
  SEGMINT_CUDA_CHECK(cub::DeviceRadixSort::SortPairs(scratch, scratch_bytes, keys_in, keys_out,
                                                     vals_in, vals_out, static_cast<int>(n), 0,
                                                     std::max(1, key_bits), stream));
}

void sort_pairs_segmented(const std::uint64_t* keys_in, std::uint64_t* keys_out,
                          const std::uint32_t* vals_in, std::uint32_t* vals_out, std::size_t n,
                          std::size_t segments, const int* offsets, void* scratch,
                          std::size_t scratch_bytes, cudaStream_t stream) {
  if (n == 0 || segments == 0) return;
  SEGMINT_CUDA_CHECK(cub::DeviceSegmentedSort::SortPairs(
      scratch, scratch_bytes, keys_in, keys_out, vals_in, vals_out, static_cast<std::int64_t>(n),
      static_cast<std::int64_t>(segments), offsets, offsets + 1, stream));
}

}  // namespace segmint::cuda
