// Device aggregation kernels: sort keys, user segment offsets, and one thread per user running
// the shared walks of include/segmint/detail/user_walk.hpp (see aggregate_kernels.hpp).
#include "aggregate/aggregate_kernels.hpp"
#include "core/cuda_check.hpp"
#include "core/launch.hpp"

namespace segmint::cuda {
namespace {

using detail::UserSummary;

__global__ void __launch_bounds__(kBlock) user_keys_kernel(PassColumns c, std::size_t n,
                                                           std::uint64_t* keys,
                                                           std::uint32_t* vals) {
  for (std::size_t r = global_thread(); r < n; r += grid_threads()) {
    keys[r] = c.user[r];
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

__global__ void __launch_bounds__(kBlock) scalar_kernel(PassColumns c, const std::uint32_t* perm,
                                                        const int* off, std::size_t users,
                                                        std::int64_t gap, std::int64_t tz,
                                                        UserSummary* out) {
  for (std::size_t u = global_thread(); u < users; u += grid_threads()) {
    UserSummary s;
    detail::walk_scalar(c, perm, off[u], off[u + 1], gap, tz, s);
    out[u] = s;
  }
}

__global__ void __launch_bounds__(kBlock) set_keys_kernel(SetKind k, PassColumns c,
                                                          const std::uint32_t* perm, std::size_t n,
                                                          std::int64_t tz, std::uint64_t* keys,
                                                          std::uint32_t* vals) {
  for (std::size_t p = global_thread(); p < n; p += grid_threads()) {
    keys[p] = detail::set_key(k, c, perm[p], tz);
    vals[p] = perm[p];
  }
}

__global__ void __launch_bounds__(kBlock) set_reduce_kernel(SetKind k, PassColumns c,
                                                            const std::uint64_t* keys,
                                                            const std::uint32_t* rows,
                                                            const int* off, std::size_t users,
                                                            UserSummary* out) {
  for (std::size_t u = global_thread(); u < users; u += grid_threads()) {
    UserSummary s = out[u];
    detail::walk_set(k, c, keys, rows, off[u], off[u + 1], s);
    out[u] = s;
  }
}

}  // namespace

void launch_user_keys(PassColumns c, std::size_t n, std::uint64_t* keys, std::uint32_t* vals,
                      cudaStream_t stream) {
  if (n == 0) return;
  user_keys_kernel<<<grid_for(n), kBlock, 0, stream>>>(c, n, keys, vals);
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

void launch_scalar(PassColumns c, const std::uint32_t* perm, const int* offsets, std::size_t users,
                   std::int64_t session_gap, std::int64_t tz_seconds, detail::UserSummary* out,
                   cudaStream_t stream) {
  if (users == 0) return;
  scalar_kernel<<<grid_for(users), kBlock, 0, stream>>>(c, perm, offsets, users, session_gap,
                                                         tz_seconds, out);
  SEGMINT_CUDA_CHECK_LAUNCH();
}

void launch_set_keys(SetKind kind, PassColumns c, const std::uint32_t* perm, std::size_t n,
                     std::int64_t tz_seconds, std::uint64_t* keys, std::uint32_t* vals,
                     cudaStream_t stream) {
  if (n == 0) return;
  set_keys_kernel<<<grid_for(n), kBlock, 0, stream>>>(kind, c, perm, n, tz_seconds, keys, vals);
  SEGMINT_CUDA_CHECK_LAUNCH();
}

void launch_set_reduce(SetKind kind, PassColumns c, const std::uint64_t* keys,
                       const std::uint32_t* rows, const int* offsets, std::size_t users,
                       detail::UserSummary* out, cudaStream_t stream) {
  if (users == 0) return;
  set_reduce_kernel<<<grid_for(users), kBlock, 0, stream>>>(kind, c, keys, rows, offsets, users,
                                                             out);
  SEGMINT_CUDA_CHECK_LAUNCH();
}

}  // namespace segmint::cuda
