// Launcher of the device feature rows (defined in feature_rows.cu): the shared formula
// detail::compute_feature_row over every user's exact summary, asynchronous on the stream last.
#pragma once
#include <cuda_runtime_api.h>

#include <cstddef>
#include <cstdint>

#include "segmint/detail/feature_math.hpp"

namespace segmint::cuda {

/// Row r = (rows ? rows[u] : u) of out (kFeatureCount floats a row) = compute_feature_row(
/// summary[u], as_of, data_first_event), for u < users: a pass's users land at their global rows.
void launch_feature_rows(const detail::UserSummary* summary, std::size_t users,
                         const std::uint32_t* rows, std::int64_t as_of,
                         std::int64_t data_first_event, float* out, cudaStream_t stream);

}  // namespace segmint::cuda
