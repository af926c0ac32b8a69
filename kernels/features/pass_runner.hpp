// One pass on the device: upload a pass's events through the pinned ring on the Resources' copy
// streams, aggregate on its compute stream, compute the feature rows, copy them back. Grows its
// buffers across passes; owns no stream (Resources does).
#pragma once
#include <cstdint>
#include <vector>

#include "backends/cuda_entry.hpp"
#include "core/resources.hpp"
#include "segmint/detail/feature_math.hpp"
#include "segmint/events.hpp"

namespace segmint::cuda {

struct PassParams {
  std::int64_t session_gap = 0, tz_seconds = 0, as_of = 0, data_first_event = 0;
};

class PassRunner {
 public:
  /// Uses options.streams (>= 2) of res's copy streams (creating them when res has fewer).
  PassRunner(Resources& res, const GpuFeatureOptions& options);
  /// events: the pass's rows with local user indices < users. out: users x kFeatureCount floats
  /// (host). Returns when `out` is filled.
  void run(const EventBatch& events, std::size_t users, const PassParams& params, float* out,
           GpuFeatureTimes& times);

 private:
  void reserve(std::size_t events, std::size_t users);
  void upload(const EventBatch& events, GpuFeatureTimes& times);
  void aggregate(std::size_t n, std::size_t users, const PassParams& params);

  Resources& res_;
  GpuFeatureOptions options_;
  std::vector<Event> slot_done_, copies_done_;
  Event t0_{true}, t1_{true}, t2_{true};
  std::vector<PinnedBuffer<std::uint64_t>> slots_;
  DeviceBuffer<std::int64_t> time_;
  DeviceBuffer<double> amount_;
  DeviceBuffer<std::uint64_t> item_, category_, session_, order_, keys_a_, keys_b_;
  DeviceBuffer<std::uint32_t> user_, vals_a_, vals_b_, perm_;
  DeviceBuffer<std::uint8_t> type_;
  DeviceBuffer<int> offsets_;
  DeviceBuffer<detail::UserSummary> summary_;
  DeviceBuffer<float> features_;
  DeviceBuffer<unsigned char> scratch_;
};

}  // namespace segmint::cuda
