// compute_features_gpu (backends/cuda_entry.hpp): the device feature stage on a Resources of its
// own, from a source or from events in memory (handed out in batches, as a reader would).
#include <algorithm>
#include <string>

#include "backends/cuda_entry.hpp"
#include "features/device_features.hpp"
#include "features/feature_pipeline.hpp"

namespace segmint {
namespace cuda {
namespace {

/// Events in memory as a source of batches of `rows` rows.
class BatchSource final : public EventSource {
 public:
  BatchSource(const EventBatch& events, std::size_t rows)
      : events_(events), rows_(rows ? rows : 1) {}
  bool next(EventBatch& b) override {
    b.clear();
    const std::size_t n = std::min(rows_, events_.size() - at_);
    if (n == 0) return false;
    b.reserve(n);
    for (std::size_t r = at_; r < at_ + n; ++r) {
      b.push_back(events_.user[r], events_.time[r], events_.type[r], events_.amount[r],
                  events_.item[r], events_.category[r], events_.session[r], events_.order[r]);
    }
    at_ += n;
    return true;
  }
  const IngestCounts& counts() const override { return counts_; }
  std::vector<std::string> schemas() const override { return {}; }

 private:
  const EventBatch& events_;
  std::size_t rows_, at_ = 0;
  IngestCounts counts_;
};

}  // namespace

FeatureMatrix compute_features(Resources& res, EventSource& source,
                               const AggregateOptions& aggregate, const FeatureOptions& features,
                               const GpuFeatureOptions& options, GpuFeatureTimes* times_out,
                               std::int64_t* as_of_used) {
  GpuFeatureTimes times = times_out ? *times_out : GpuFeatureTimes{};
  FeaturePipeline pipeline(res, aggregate, features, options);
  FeatureMatrix m = pipeline.run(source, times, as_of_used);
  if (times_out) *times_out = times;
  return m;
}

}  // namespace cuda

FeatureMatrix compute_features_gpu(EventSource& source, const AggregateOptions& aggregate,
                                   const FeatureOptions& features, const GpuFeatureOptions& options,
                                   GpuFeatureTimes* times_out, std::int64_t* as_of_used) {
  std::string why;
  if (!cuda_device_usable(&why)) throw DeviceError("GPU features: " + why);
  cuda::Resources res(-1, options.streams < 2 ? 2 : options.streams);
  return cuda::compute_features(res, source, aggregate, features, options, times_out, as_of_used);
}

FeatureMatrix compute_features_gpu(const EventBatch& events, const AggregateOptions& aggregate,
                                   const FeatureOptions& features, const GpuFeatureOptions& options,
                                   GpuFeatureTimes* times_out, std::int64_t* as_of_used) {
  cuda::BatchSource source(events, options.batch_rows ? options.batch_rows : IngestOptions{}.batch_rows);
  return compute_features_gpu(source, aggregate, features, options, times_out, as_of_used);
}

}  // namespace segmint
