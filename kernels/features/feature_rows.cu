// Device feature rows: the shared compute_feature_row formula, one thread per user.
#include "core/cuda_check.hpp"
#include "core/launch.hpp"
#include "features/feature_rows.hpp"

namespace segmint::cuda {
namespace {

__global__ void __launch_bounds__(kBlock)
    feature_rows_kernel(const detail::UserSummary* s, std::size_t users, const std::uint32_t* rows,
                        std::int64_t as_of, std::int64_t first, float* out) {
  for (std::size_t u = global_thread(); u < users; u += grid_threads()) {
    const std::size_t r = rows ? rows[u] : u;
    detail::compute_feature_row(s[u], as_of, first, out + r * detail::kFeatureCount);
  }
}

}  // namespace

void launch_feature_rows(const detail::UserSummary* summary, std::size_t users,
                         const std::uint32_t* rows, std::int64_t as_of,
                         std::int64_t data_first_event, float* out, cudaStream_t stream) {
  if (users == 0) return;
  feature_rows_kernel<<<grid_for(users), kBlock, 0, stream>>>(summary, users, rows, as_of,
                                                              data_first_event, out);
  SEGMINT_CUDA_CHECK_LAUNCH();
}

}  // namespace segmint::cuda
