// Device feature rows: the shared compute_feature_row formula, one thread per user.
#include "features/feat_cuda.hpp"
#include "features/feat_kernels.hpp"

namespace segmint::gpufeat {
namespace {

constexpr int kBlock = 256;

__global__ void __launch_bounds__(kBlock) feature_rows_kernel(const detail::UserSummary* s,
                                                              std::size_t users, std::int64_t as_of,
                                                              std::int64_t first, float* out) {
  for (std::size_t u = blockIdx.x * static_cast<std::size_t>(blockDim.x) + threadIdx.x; u < users;
       u += static_cast<std::size_t>(gridDim.x) * blockDim.x) {
    detail::compute_feature_row(s[u], as_of, first, out + u * detail::kFeatureCount);
  }
}

}  // namespace

void launch_feature_rows(const detail::UserSummary* summary, std::size_t users,
                         std::int64_t as_of, std::int64_t data_first_event, float* out,
                         cudaStream_t stream) {
  if (users == 0) return;
  const std::size_t blocks = (users + kBlock - 1) / kBlock;
  feature_rows_kernel<<<static_cast<int>(blocks < 262144 ? blocks : 262144), kBlock, 0, stream>>>(
      summary, users, as_of, data_first_event, out);
  SEGMINT_FEAT_CHECK(cudaGetLastError());
}

}  // namespace segmint::gpufeat
