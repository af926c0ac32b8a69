// The device feature path's entry, declared without CUDA types: events in, the raw feature matrix
// out, computed on the GPU pass by pass. Defined in kernels/features/ (only in CUDA builds).
#pragma once
#include <cstddef>
#include <cstdint>

#include "segmint/aggregate.hpp"
#include "segmint/features.hpp"
#include "segmint/ingest.hpp"

namespace segmint {

/// Tunables of the device feature path.
struct GpuFeatureOptions {
  std::size_t device_budget = 0;       ///< bytes of device memory a pass may use; 0 = 80 % of free
  std::size_t pinned_budget = 256u << 20;  ///< page-locked host bytes of the transfer ring
  std::size_t streams = 2;             ///< copy streams of the ring (>= 2)
  std::size_t max_rows_per_chunk = 0;  ///< caps a transfer chunk (0 = as the budget allows)
  std::size_t min_users = 0;           ///< rows of the result at least (dictionary size)
};

/// Wall-clock milliseconds per stage and what the run did.
struct GpuFeatureTimes {
  double read_ms = 0;       ///< pulling batches from the EventSource (parse or store read)
  double plan_ms = 0;       ///< partition planning and per-pass filtering on the host
  double upload_ms = 0;     ///< packing into pinned slots and host-to-device copies
  double aggregate_ms = 0;  ///< device sorts and per-user aggregation (CUDA events)
  double features_ms = 0;   ///< device feature rows and their copy back
  std::uint32_t passes = 0;
  std::uint64_t events = 0, users = 0, bytes_uploaded = 0;
};

/// Raw features of every user on the device, equal to compute_features(aggregate_events(...))
/// within float rounding of the shared formulas (the per-user integers are identical). All events
/// are read into host memory first, then users are hashed into as many passes as
/// options.device_budget requires; each pass uploads all events of its users and aggregates them
/// in one go, so the result depends neither on batch sizes nor on the pass count.
/// Throws DeviceError when no device is usable.
FeatureMatrix compute_features_gpu(EventSource& source, const AggregateOptions& aggregate,
                                   const FeatureOptions& features,
                                   const GpuFeatureOptions& options = {},
                                   GpuFeatureTimes* times = nullptr,
                                   std::int64_t* as_of_used = nullptr);

/// Same from events already in memory.
FeatureMatrix compute_features_gpu(const EventBatch& events, const AggregateOptions& aggregate,
                                   const FeatureOptions& features,
                                   const GpuFeatureOptions& options = {},
                                   GpuFeatureTimes* times = nullptr,
                                   std::int64_t* as_of_used = nullptr);

}  // namespace segmint
