// Device aggregation kernels: sort keys, user segment offsets, the one reorder of the columns
// into (user, time) order, and one thread per light user running the shared walks of
// include/segmint/detail/ (see aggregate_kernels.hpp).
#include "aggregate/aggregate_kernels.hpp"
#include "core/cuda_check.hpp"
#include "core/launch.hpp"
#include "core/transfer.hpp"
#include "segmint/detail/user_walk.hpp"

namespace segmint::cuda {
namespace {

using detail::UserSummary;

__device__ __forceinline__ bool light(const int* off, std::size_t u) {
  return off[u + 1] - off[u] < kHeavyEvents;
}

__global__ void __launch_bounds__(kBlock) user_keys_kernel(const std::uint32_t* user,
                                                           std::size_t n, std::uint64_t* keys,
                                                           std::uint32_t* vals) {
  for (std::size_t r = global_thread(); r < n; r += grid_threads()) {
    keys[r] = user[r];
    vals[r] = static_cast<std::uint32_t>(r);
  }
}

__global__ void __launch_bounds__(kBlock) offsets_kernel(const std::uint64_t* sorted, std::size_t n,
                                                         std::size_t users, int* offsets) {
  for (std::size_t u = global_thread(); u <= users; u += grid_threads())
    offsets[u] = static_cast<int>(detail::segment_start(sorted, n, u));
}

__global__ void __launch_bounds__(kBlock) time_keys_kernel(PassColumns c, const std::uint32_t* rows,
                                                           std::size_t n, std::uint64_t* keys,
                                                           std::uint32_t* vals) {
  for (std::size_t p = global_thread(); p < n; p += grid_threads()) {
    keys[p] = detail::ordered_key(c.time[rows[p]]);
    vals[p] = rows[p];
  }
}

template <typename T>
__global__ void __launch_bounds__(kBlock) gather_kernel(const T* src, const std::uint32_t* perm,
                                                        std::size_t n, T* dst) {
  for (std::size_t p = global_thread(); p < n; p += grid_threads()) dst[p] = src[perm[p]];
}

__global__ void __launch_bounds__(kBlock)
    light_time_kernel(PassColumns c, const detail::EventCounters* counters, const int* off,
                      std::size_t users, std::int64_t gap, std::int64_t tz, UserSummary* out) {
  for (std::size_t u = global_thread(); u < users; u += grid_threads()) {
    if (!light(off, u)) continue;
    UserSummary s = detail::summary_from_counters(counters[u]);
    const detail::TimePartial p = detail::time_partial(c, detail::DirectRows{}, off[u], off[u + 1],
                                                       gap, tz, counters[u].last_purchase);
    detail::finish_time(p, s);
    detail::finish_days(p, s);
    out[u] = s;
  }
}

__global__ void __launch_bounds__(kBlock) set_keys_kernel(SetKind k, PassColumns c, std::size_t n,
                                                          std::int64_t tz, std::uint64_t* keys,
                                                          std::uint32_t* vals) {
  for (std::size_t p = global_thread(); p < n; p += grid_threads()) {
    keys[p] = detail::set_key(k, c, static_cast<std::uint32_t>(p), tz);
    vals[p] = static_cast<std::uint32_t>(p);
  }
}

__global__ void __launch_bounds__(kBlock)
    light_set_kernel(SetKind k, PassColumns c, const std::uint64_t* keys,
                     const std::uint32_t* rows, const int* off, std::size_t users,
                     UserSummary* out) {
  for (std::size_t u = global_thread(); u < users; u += grid_threads()) {
    if (!light(off, u)) continue;
    UserSummary s = out[u];
    detail::walk_set(k, c, keys, rows, off[u], off[u + 1], s);
    out[u] = s;
  }
}

/// column := column gathered through perm, by way of `spare`.
template <typename T>
void reorder_column(T* column, const std::uint32_t* perm, std::size_t n, void* spare,
                    cudaStream_t stream) {
  T* tmp = static_cast<T*>(spare);
  gather_kernel<T><<<grid_for(n), kBlock, 0, stream>>>(column, perm, n, tmp);
  SEGMINT_CUDA_CHECK_LAUNCH();
  copy_device_async(column, tmp, n, stream);
}

}  // namespace

void launch_user_keys(const std::uint32_t* user, std::size_t n, std::uint64_t* keys,
                      std::uint32_t* vals, cudaStream_t stream) {
  if (n == 0) return;
  user_keys_kernel<<<grid_for(n), kBlock, 0, stream>>>(user, n, keys, vals);
  SEGMINT_CUDA_CHECK_LAUNCH();
}

void launch_offsets(const std::uint64_t* sorted_users, std::size_t n, std::size_t users,
                    int* offsets, cudaStream_t stream) {
  offsets_kernel<<<grid_for(users + 1), kBlock, 0, stream>>>(sorted_users, n, users, offsets);
  SEGMINT_CUDA_CHECK_LAUNCH();
}

void launch_time_keys(PassColumns c, const std::uint32_t* rows, std::size_t n,
                      std::uint64_t* keys, std::uint32_t* vals, cudaStream_t stream) {
  if (n == 0) return;
  time_keys_kernel<<<grid_for(n), kBlock, 0, stream>>>(c, rows, n, keys, vals);
  SEGMINT_CUDA_CHECK_LAUNCH();
}

void launch_reorder(StoreColumns c, const std::uint32_t* perm, std::size_t n, void* spare,
                    cudaStream_t stream) {
  if (n == 0) return;
  reorder_column(c.time, perm, n, spare, stream);
  reorder_column(c.amount, perm, n, spare, stream);
  reorder_column(c.item, perm, n, spare, stream);
  reorder_column(c.category, perm, n, spare, stream);
  reorder_column(c.session, perm, n, spare, stream);
  reorder_column(c.order, perm, n, spare, stream);
  reorder_column(c.type, perm, n, spare, stream);
}

void launch_light_time(PassColumns c, const detail::EventCounters* counters, const int* offsets,
                       std::size_t users, std::int64_t gap, std::int64_t tz, UserSummary* out,
                       cudaStream_t stream) {
  if (users == 0) return;
  light_time_kernel<<<grid_for(users), kBlock, 0, stream>>>(c, counters, offsets, users, gap, tz,
                                                            out);
  SEGMINT_CUDA_CHECK_LAUNCH();
}

void launch_set_keys(SetKind kind, PassColumns c, std::size_t n, std::int64_t tz_seconds,
                     std::uint64_t* keys, std::uint32_t* vals, cudaStream_t stream) {
  if (n == 0) return;
  set_keys_kernel<<<grid_for(n), kBlock, 0, stream>>>(kind, c, n, tz_seconds, keys, vals);
  SEGMINT_CUDA_CHECK_LAUNCH();
}

void launch_light_set(SetKind kind, PassColumns c, const std::uint64_t* keys,
                      const std::uint32_t* rows, const int* offsets, std::size_t users,
                      UserSummary* out, cudaStream_t stream) {
  if (users == 0) return;
  light_set_kernel<<<grid_for(users), kBlock, 0, stream>>>(kind, c, keys, rows, offsets, users,
                                                           out);
  SEGMINT_CUDA_CHECK_LAUNCH();
}

}  // namespace segmint::cuda
