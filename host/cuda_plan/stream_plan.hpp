// Device memory of the feature stage: what one event and one user cost on the device, how many
// events a pass may hold, and how the device event store grows while events stream in.
// CUDA-free: the device feature path plans with it, the unit tests check it on the CPU.
#pragma once
#include <cstddef>
#include <cstdint>

#include "cuda_plan/partition.hpp"

namespace segmint::cuda_plan {

/// Rows per chunk of the device scaler fit: each chunk's column sums run in row order, the chunk
/// sums are added in chunk order (deterministic; within rounding of the host's row-order sums).
inline constexpr std::size_t kScaleChunkRows = 4096;

/// Device bytes of the feature stage as DeviceCosts (plan_partition reads them): per event the
/// stored columns (kPackedBytesPerEvent), the double-buffered sort keys and values and a margin
/// for the sorts' scratch; per user the counters, the summary, the segment offset, the
/// heavy-user list and the sorts' per-segment scratch, plus the feature row when
/// `feature_row_per_user` (a single pass; the passes of a multi-pass plan share one matrix).
DeviceCosts feature_stage_costs(bool feature_row_per_user = true);

/// Most events a pass of `users` users may hold within `budget` bytes under `costs` (0 when not
/// even an empty pass fits), at most costs.max_events_per_pass.
std::uint64_t pass_event_limit(std::uint64_t users, std::size_t budget, const DeviceCosts& costs);

/// Capacity of the streamed device event store after growing it to hold `need` events: `have`
/// (or `minimum` when empty) doubled until it holds `need`, then capped at `limit` (need <= limit
/// is the caller's check). Doubling keeps the device-to-device copies linear in the events.
std::uint64_t grown_capacity(std::uint64_t have, std::uint64_t need, std::uint64_t minimum,
                             std::uint64_t limit);

}  // namespace segmint::cuda_plan
