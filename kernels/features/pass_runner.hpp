// One pass on the device: upload a pass's events through the pinned ring, aggregate, compute the
// feature rows, copy them back. Owns its streams and grows its buffers across passes.
#pragma once
#include <cstdint>
#include <vector>

#include "features/feat_cuda.hpp"
#include "features/feat_kernels.hpp"
#include "backends/cuda_entry.hpp"
#include "segmint/events.hpp"

namespace segmint::gpufeat {

struct PassParams {
  std::int64_t session_gap = 0, tz_seconds = 0, as_of = 0, data_first_event = 0;
};

class PassRunner {
 public:
  explicit PassRunner(const GpuFeatureOptions& options);
  /// events: the pass's rows with local user indices < users. out: users x kFeatureCount floats.
  void run(const EventBatch& events, std::size_t users, const PassParams& params, float* out,
           GpuFeatureTimes& times);

 private:
  void upload(const EventBatch& events, GpuFeatureTimes& times);
  void aggregate(std::size_t n, std::size_t users, const PassParams& params);

  GpuFeatureOptions options_;
  Stream compute_;
  std::vector<Stream> copy_;
  std::vector<Event> slot_done_, copies_done_;
  Event t0_, t1_, t2_;
  std::vector<PinnedBuf<std::uint64_t>> slots_;
  DeviceBuf<std::int64_t> time_;
  DeviceBuf<double> amount_;
  DeviceBuf<std::uint64_t> item_, category_, session_, order_, keys_a_, keys_b_;
  DeviceBuf<std::uint32_t> user_, vals_a_, vals_b_, perm_;
  DeviceBuf<std::uint8_t> type_;
  DeviceBuf<int> offsets_;
  DeviceBuf<detail::UserSummary> summary_;
  DeviceBuf<float> features_;
  DeviceBuf<unsigned char> scratch_;
};

}  // namespace segmint::gpufeat
