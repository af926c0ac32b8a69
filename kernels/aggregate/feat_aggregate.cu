// Device aggregation kernels: sort keys, user segment offsets, and one thread per user running
// the shared walks of gpu_batching/user_walk.hpp (see feat_kernels.hpp for the plan).
#include "features/feat_cuda.hpp"
#include "features/feat_kernels.hpp"

namespace segmint::gpufeat {
namespace {

using detail::UserSummary;
using gpu_batching::ordered_key;

constexpr int kBlock = 256;

int grid_for(std::size_t n) {
  const std::size_t g = (n + kBlock - 1) / kBlock;
  return static_cast<int>(g == 0 ? 1 : (g < 262144 ? g : 262144));
}
#define SEGMINT_GRID_STRIDE(i, n)                                                       \
  for (std::size_t i = blockIdx.x * static_cast<std::size_t>(blockDim.x) + threadIdx.x; \
       i < (n); i += static_cast<std::size_t>(gridDim.x) * blockDim.x)

__global__ void __launch_bounds__(kBlock) user_keys_kernel(PassColumns c, std::size_t n,
                                                           std::uint64_t* keys,
                                                           std::uint32_t* vals) {
  SEGMINT_GRID_STRIDE(r, n) {
    keys[r] = c.user[r];
    vals[r] = static_cast<std::uint32_t>(r);
  }
}

__global__ void __launch_bounds__(kBlock) offsets_kernel(const std::uint64_t* sorted, std::size_t n,
                                                         std::size_t users, int* offsets) {
  SEGMINT_GRID_STRIDE(u, users + 1) {
    std::size_t lo = 0, hi = n;  // first position with key >= u
    while (lo < hi) {
      const std::size_t mid = (lo + hi) / 2;
      if (sorted[mid] < u) lo = mid + 1; else hi = mid;
    }
    offsets[u] = static_cast<int>(lo);
  }
}

__global__ void __launch_bounds__(kBlock) time_keys_kernel(PassColumns c, const std::uint32_t* rows,
                                                           std::size_t n, std::uint64_t* keys,
                                                           std::uint32_t* vals) {
  SEGMINT_GRID_STRIDE(p, n) {
    keys[p] = ordered_key(c.time[rows[p]]);
    vals[p] = rows[p];
  }
}

__global__ void __launch_bounds__(kBlock) scalar_kernel(PassColumns c, const std::uint32_t* perm,
                                                        const int* off, std::size_t users,
                                                        std::int64_t gap, std::int64_t tz,
                                                        UserSummary* out) {
  SEGMINT_GRID_STRIDE(u, users) {
    UserSummary s;
    gpu_batching::walk_scalar(c, perm, off[u], off[u + 1], gap, tz, s);
    out[u] = s;
  }
}

__global__ void __launch_bounds__(kBlock) set_keys_kernel(SetKind k, PassColumns c,
                                                          const std::uint32_t* perm, std::size_t n,
                                                          std::int64_t tz, std::uint64_t* keys,
                                                          std::uint32_t* vals) {
  SEGMINT_GRID_STRIDE(p, n) {
    keys[p] = gpu_batching::set_key(k, c, perm[p], tz);
    vals[p] = perm[p];
  }
}

__global__ void __launch_bounds__(kBlock) set_reduce_kernel(SetKind k, PassColumns c,
                                                            const std::uint64_t* keys,
                                                            const std::uint32_t* rows,
                                                            const int* off, std::size_t users,
                                                            UserSummary* out) {
  SEGMINT_GRID_STRIDE(u, users) {
    UserSummary s = out[u];
    gpu_batching::walk_set(k, c, keys, rows, off[u], off[u + 1], s);
    out[u] = s;
  }
}

}  // namespace

void launch_user_keys(PassColumns c, std::size_t n, std::uint64_t* keys, std::uint32_t* vals,
                      cudaStream_t stream) {
  if (n == 0) return;
  user_keys_kernel<<<grid_for(n), kBlock, 0, stream>>>(c, n, keys, vals);
  SEGMINT_FEAT_CHECK(cudaGetLastError());
}

void launch_offsets(const std::uint64_t* sorted_users, std::size_t n, std::size_t users,
                    int* offsets, cudaStream_t stream) {
  offsets_kernel<<<grid_for(users + 1), kBlock, 0, stream>>>(sorted_users, n, users, offsets);
  SEGMINT_FEAT_CHECK(cudaGetLastError());
}

void launch_time_keys(PassColumns c, const std::uint32_t* rows, std::size_t n,
                      std::uint64_t* keys, std::uint32_t* vals, cudaStream_t stream) {
  if (n == 0) return;
  time_keys_kernel<<<grid_for(n), kBlock, 0, stream>>>(c, rows, n, keys, vals);
  SEGMINT_FEAT_CHECK(cudaGetLastError());
}

void launch_scalar(PassColumns c, const std::uint32_t* perm, const int* offsets, std::size_t users,
                   std::int64_t session_gap, std::int64_t tz_seconds, detail::UserSummary* out,
                   cudaStream_t stream) {
  if (users == 0) return;
  scalar_kernel<<<grid_for(users), kBlock, 0, stream>>>(c, perm, offsets, users, session_gap,
                                                         tz_seconds, out);
  SEGMINT_FEAT_CHECK(cudaGetLastError());
}

void launch_set_keys(SetKind kind, PassColumns c, const std::uint32_t* perm, std::size_t n,
                     std::int64_t tz_seconds, std::uint64_t* keys, std::uint32_t* vals,
                     cudaStream_t stream) {
  if (n == 0) return;
  set_keys_kernel<<<grid_for(n), kBlock, 0, stream>>>(kind, c, perm, n, tz_seconds, keys, vals);
  SEGMINT_FEAT_CHECK(cudaGetLastError());
}

void launch_set_reduce(SetKind kind, PassColumns c, const std::uint64_t* keys,
                       const std::uint32_t* rows, const int* offsets, std::size_t users,
                       detail::UserSummary* out, cudaStream_t stream) {
  if (users == 0) return;
  set_reduce_kernel<<<grid_for(users), kBlock, 0, stream>>>(kind, c, keys, rows, offsets, users,
                                                             out);
  SEGMINT_FEAT_CHECK(cudaGetLastError());
}

}  // namespace segmint::gpufeat
