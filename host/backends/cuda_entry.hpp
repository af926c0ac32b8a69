// The one seam between host code and kernels/: the CUDA backend's entry points, declared without
// any CUDA header. Defined in kernels/ (only when built with CUDA).
#pragma once
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "segmint/aggregate.hpp"
#include "segmint/dictionary.hpp"
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
  std::size_t device_budget = 0;  ///< bytes of device memory the stage may use; 0 = 80 % of free
  std::size_t min_users = 0;      ///< rows of the result at least
  /// When given, every user of this dictionary gets a row (its size is read after the source
  /// is drained: sources intern into it while reading).
  const UserDictionary* dictionary = nullptr;
  /// compute_features_gpu(events, ...) hands the events out in batches of this many rows
  /// (0 = IngestOptions::batch_rows), as a reader would.
  std::size_t batch_rows = 0;
};

/// Milliseconds per stage and what the run did. Reading, packing, copies and folds overlap, so
/// read_ms + upload_ms can exceed stream_ms.
struct GpuFeatureTimes {
  double read_ms = 0;       ///< the reader thread inside EventSource::next (parse or store read)
  double stream_ms = 0;     ///< wall time of the streaming loop (read, pack, copy, fold overlapped)
  double upload_ms = 0;     ///< host time packing chunks into pinned slots (and waiting for one)
  double plan_ms = 0;       ///< multi-pass only: spill download, partition and per-pass index
  double aggregate_ms = 0;  ///< device time of the end-of-pass sorts and walks (CUDA events)
  double features_ms = 0;   ///< device time of the feature rows
  double download_ms = 0;   ///< copying the raw feature matrix back to the host
  std::uint32_t passes = 0;
  bool spilled = false;     ///< the events outgrew the device budget: multi-pass from host memory
  std::uint64_t events = 0, users = 0, bytes_uploaded = 0, bytes_downloaded = 0;
};

/// Raw features of every user on the device, equal to compute_features(aggregate_events(...))
/// bit for bit in the per-user integers (the shared formulas give the same floats up to the
/// device's log in the entropy). Batches are parsed on a reader thread while earlier ones are
/// packed into pinned slots, uploaded on >= 2 copy streams and folded into per-user counters on
/// the device; at the end the one pass is sorted and walked there. When the events outgrow
/// options.device_budget, the events so far come back and the users are hashed into as many
/// passes as the budget requires (partitioned once), each pass holding all events of its users:
/// results depend neither on batch sizes nor on the pass count. The result carries its device
/// copy (FeatureMatrix::device). Throws DeviceError when no device is usable.
FeatureMatrix compute_features_gpu(EventSource& source, const AggregateOptions& aggregate,
                                   const FeatureOptions& features,
                                   const GpuFeatureOptions& options = {},
                                   GpuFeatureTimes* times = nullptr,
                                   std::int64_t* as_of_used = nullptr);

/// Same from events already in memory (streamed through the ring in batches of
/// IngestOptions::batch_rows rows).
FeatureMatrix compute_features_gpu(const EventBatch& events, const AggregateOptions& aggregate,
                                   const FeatureOptions& features,
                                   const GpuFeatureOptions& options = {},
                                   GpuFeatureTimes* times = nullptr,
                                   std::int64_t* as_of_used = nullptr);

}  // namespace segmint
