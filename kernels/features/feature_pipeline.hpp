// The device feature stage, end to end: events streamed through the ring into one device pass
// (parsing ahead on a reader thread, packing, copies and counter folds overlapped), or, when they
// outgrow the device budget, back to host memory and through a multi-pass plan (users hashed into
// passes once, each pass uploaded, aggregated and written to its users' rows). Then the feature
// rows of every user into one device matrix, which is downloaded and attached as its DeviceCopy.
#pragma once
#include <chrono>
#include <cstdint>
#include <memory>

#include "aggregate/event_store.hpp"
#include "aggregate/pass_aggregator.hpp"
#include "backends/cuda_entry.hpp"
#include "core/resources.hpp"
#include "cuda_plan/partition.hpp"
#include "core/device_matrix.hpp"
#include "features/event_upload.hpp"

namespace segmint::cuda {

/// A users x kFeatureCount matrix of zeros with the catalog's column names.
FeatureMatrix empty_features(std::size_t users);
/// Milliseconds since t.
double ms_since(std::chrono::steady_clock::time_point t);

class FeaturePipeline {
 public:
  FeaturePipeline(Resources& res, const AggregateOptions& aggregate,
                  const FeatureOptions& features, const GpuFeatureOptions& options);
  /// Reads `source` to the end; fills times and *as_of_used.
  FeatureMatrix run(EventSource& source, GpuFeatureTimes& times, std::int64_t* as_of_used);

 private:
  /// Streams one batch into the device pass; false when it would not fit the budget.
  bool stream(const EventBatch& batch);
  /// The events so far back to host memory: the multi-pass plan takes over.
  void spill();
  FeatureMatrix finish_one_pass(std::size_t users);
  FeatureMatrix finish_passes(std::size_t users);
  /// as_of and the data's first event time from [first, last] (kNoTime/kNoLastTime: none).
  void set_times(std::int64_t first, std::int64_t last);
  /// Queues the aggregation of the store and times it.
  void aggregate();
  FeatureMatrix download_raw(std::shared_ptr<DeviceMatrix> raw);

  Resources& res_;
  AggregateOptions aggregate_;
  FeatureOptions features_;
  GpuFeatureOptions options_;
  std::size_t budget_ = 0;
  cuda_plan::DeviceCosts costs_;
  EventStore store_;
  PassAggregator aggregator_;
  EventUploader uploader_;
  DeviceBuffer<detail::UserSummary> summary_;
  DeviceBuffer<std::int64_t> range_;
  std::size_t users_ = 0;
  bool spilled_ = false;
  EventBatch host_;  ///< all events once spilled
  std::int64_t as_of_ = 0, first_ = 0;
  GpuFeatureTimes times_;
  Event t0_{true}, t1_{true};
};

}  // namespace segmint::cuda
