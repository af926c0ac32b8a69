// The one seam between host code and kernels/: the CUDA backend's entry points, declared without
// any CUDA header. Defined in kernels/ (only when built with CUDA).
#pragma once
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "segmint/aggregate.hpp"
#include "segmint/backend.hpp"
#include "segmint/features.hpp"
#include "segmint/ingest.hpp"

namespace segmint {

/// True when a CUDA device can be used; otherwise false with *reason set.
bool cuda_device_usable(std::string* reason);

/// Creates the CUDA backend on the current device (make_backend() calls it); uses
/// options.cpu_threads, gpu_memory_budget and cuda. Throws DeviceError when unusable.
std::unique_ptr<Backend> make_cuda_backend(const BackendOptions& options);

/// Per-call options of the device feature path: the transfer tunables plus the budget and the
/// minimum row count.
struct GpuFeatureOptions : CudaFeatureTunables {
  std::size_t device_budget = 0;  ///< bytes of device memory a pass may use; 0 = 80 % of free
  std::size_t min_users = 0;      ///< rows of the result at least (dictionary size)
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
/// in one go, so the result depends neither on batch sizes nor on the pass count. The CUDA
/// backend's feature stage runs it. Throws DeviceError when no device is usable.
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
