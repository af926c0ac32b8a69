// compute_features_gpu: read events, plan passes over users within the device budget, run each
// pass on the device and place its feature rows at the users' global rows.
#include "backends/cuda_entry.hpp"

#include <algorithm>
#include <chrono>
#include <cstring>
#include <string>

#include "cuda_plan/partition.hpp"
#include "cuda_plan/pass_events.hpp"
#include "features/device_features.hpp"
#include "features/pass_runner.hpp"

namespace segmint {
namespace cuda {
namespace {

double ms_since(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t).count();
}

cuda_plan::DeviceCosts device_costs() {
  cuda_plan::DeviceCosts c;
  // Columns (53) + sort keys 2 x 8 + values 2 x 4 + perm 4 + CUB's alternate buffers (~24).
  c.bytes_per_event = cuda_plan::kPackedBytesPerEvent + 16 + 8 + 4 + 24;
  c.bytes_per_user = sizeof(int) + sizeof(detail::UserSummary) +
                     detail::kFeatureCount * sizeof(float) + 32;
  return c;
}

std::size_t resolve_budget(const Resources& res, const GpuFeatureOptions& o) {
  if (o.device_budget > 0) return o.device_budget;
  std::size_t free_b = 0, total_b = 0;
  res.mem_info(&free_b, &total_b);
  return free_b / 10 * 8;
}

/// Users (at least min_users), events per user, and the data's time range (the CPU takes the
/// same min/max over users); params gets as_of and the first event time.
std::vector<std::uint32_t> scan_events(const EventBatch& events, const AggregateOptions& aggregate,
                                       const FeatureOptions& features, std::size_t min_users,
                                       PassParams& params) {
  std::size_t users = min_users;
  std::int64_t first = detail::kNoTime, last = detail::kNoLastTime;
  for (std::size_t r = 0; r < events.size(); ++r) {
    users = std::max<std::size_t>(users, static_cast<std::size_t>(events.user[r]) + 1);
    first = std::min(first, events.time[r]);
    last = std::max(last, events.time[r]);
  }
  std::vector<std::uint32_t> per_user(users, 0);
  for (std::uint32_t u : events.user) per_user[u] += 1;
  params.session_gap = aggregate.session_gap_seconds;
  params.tz_seconds = static_cast<std::int64_t>(aggregate.tz_offset_minutes) * 60;
  params.as_of = features.as_of ? *features.as_of : (last == detail::kNoLastTime ? 0 : last);
  params.data_first_event = first == detail::kNoTime ? params.as_of : first;
  return per_user;
}

}  // namespace

FeatureMatrix compute_features(Resources& res, const EventBatch& events,
                               const AggregateOptions& aggregate, const FeatureOptions& features,
                               const GpuFeatureOptions& options, GpuFeatureTimes* times_out,
                               std::int64_t* as_of_used) {
  if (aggregate.session_gap_seconds < 0) throw UsageError("session gap must not be negative");
  GpuFeatureTimes times = times_out ? *times_out : GpuFeatureTimes{};
  const auto plan_start = std::chrono::steady_clock::now();
  PassParams params;
  const std::vector<std::uint32_t> per_user =
      scan_events(events, aggregate, features, options.min_users, params);
  if (as_of_used) *as_of_used = params.as_of;
  const cuda_plan::PartitionPlan plan =
      cuda_plan::plan_partition(per_user, resolve_budget(res, options), device_costs());
  times.plan_ms += ms_since(plan_start);
  times.passes = plan.passes;
  times.events += events.size();
  times.users += per_user.size();

  FeatureMatrix m;
  m.rows = per_user.size();
  m.cols = detail::kFeatureCount;
  m.values.assign(m.rows * m.cols, 0.f);
  for (const auto& f : feature_catalog()) m.names.push_back(f.name);
  PassRunner runner(res, options);
  std::vector<float> rows;
  EventBatch pass_events;
  for (std::uint32_t p = 0; p < plan.passes; ++p) {
    const auto filter_start = std::chrono::steady_clock::now();
    pass_events.clear();
    cuda_plan::append_pass_rows(events, plan, p, pass_events);
    const std::vector<std::uint32_t> globals = cuda_plan::users_of_pass(plan, p);
    times.plan_ms += ms_since(filter_start);
    rows.assign(globals.size() * m.cols, 0.f);
    runner.run(pass_events, globals.size(), params, rows.data(), times);
    for (std::size_t i = 0; i < globals.size(); ++i) {
      std::memcpy(&m.values[static_cast<std::size_t>(globals[i]) * m.cols], &rows[i * m.cols],
                  m.cols * sizeof(float));
    }
  }
  if (times_out) *times_out = times;
  return m;
}

}  // namespace cuda

FeatureMatrix compute_features_gpu(const EventBatch& events, const AggregateOptions& aggregate,
                                   const FeatureOptions& features, const GpuFeatureOptions& options,
                                   GpuFeatureTimes* times_out, std::int64_t* as_of_used) {
  std::string why;
  if (!cuda_device_usable(&why)) throw DeviceError("GPU features: " + why);
  cuda::Resources res(-1, options.streams < 2 ? 2 : options.streams);
  return cuda::compute_features(res, events, aggregate, features, options, times_out, as_of_used);
}

FeatureMatrix compute_features_gpu(EventSource& source, const AggregateOptions& aggregate,
                                   const FeatureOptions& features, const GpuFeatureOptions& options,
                                   GpuFeatureTimes* times_out, std::int64_t* as_of_used) {
  GpuFeatureTimes times = times_out ? *times_out : GpuFeatureTimes{};
  const auto read_start = std::chrono::steady_clock::now();
  EventBatch all, batch;
  while (source.next(batch)) all.append(batch);
  times.read_ms += cuda::ms_since(read_start);
  FeatureMatrix m = compute_features_gpu(all, aggregate, features, options, &times, as_of_used);
  if (times_out) *times_out = times;
  return m;
}

}  // namespace segmint
