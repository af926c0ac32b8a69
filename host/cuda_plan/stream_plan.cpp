// Feature stage device costs, pass limits and store growth.
#include "cuda_plan/stream_plan.hpp"

#include <algorithm>

#include "cuda_plan/pass_events.hpp"
#include "segmint/detail/event_counters.hpp"
#include "segmint/detail/feature_math.hpp"

namespace segmint::cuda_plan {

DeviceCosts feature_stage_costs(bool feature_row_per_user) {
  DeviceCosts c;
  // Columns, keys (2 x 8) and values (2 x 4) of the double-buffered sorts, 8 of scratch.
  c.bytes_per_event = kPackedBytesPerEvent + 16 + 8 + 8;
  c.bytes_per_user = sizeof(detail::EventCounters) + sizeof(detail::UserSummary) + sizeof(int) +
                     sizeof(std::uint32_t) + 16;
  if (feature_row_per_user) c.bytes_per_user += detail::kFeatureCount * sizeof(float);
  return c;
}

std::uint64_t pass_event_limit(std::uint64_t users, std::size_t budget, const DeviceCosts& costs) {
  const std::size_t empty = pass_bytes(0, users, costs);
  if (budget <= empty || costs.bytes_per_event == 0) return 0;
  return std::min<std::uint64_t>((budget - empty) / costs.bytes_per_event,
                                 costs.max_events_per_pass);
}

std::uint64_t grown_capacity(std::uint64_t have, std::uint64_t need, std::uint64_t minimum,
                             std::uint64_t limit) {
  std::uint64_t cap = std::max<std::uint64_t>(have, std::max<std::uint64_t>(minimum, 1));
  while (cap < need && cap < limit) cap = cap > limit / 2 ? limit : cap * 2;
  return std::min(std::max(cap, need), std::max(limit, need));
}

}  // namespace segmint::cuda_plan
