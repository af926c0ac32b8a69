// FeaturePipeline: the streamed single pass, the spill to a multi-pass plan, the feature rows.
#include "features/feature_pipeline.hpp"

#include <omp.h>

#include <algorithm>
#include <chrono>

#include "core/transfer.hpp"
#include "cuda_plan/pass_events.hpp"
#include "cuda_plan/read_ahead.hpp"
#include "cuda_plan/stream_plan.hpp"
#include "features/feature_rows.hpp"

namespace segmint::cuda {
namespace {

std::size_t resolve_budget(const Resources& res, std::size_t given) {
  if (given > 0) return given;
  std::size_t free_b = 0, total_b = 0;
  res.mem_info(&free_b, &total_b);
  return free_b / 10 * 8;
}

std::uint32_t max_user(const EventBatch& b) {
  std::uint32_t m = 0;
  const std::int64_t n = static_cast<std::int64_t>(b.size());
  // omp: cannot throw (a max over an array): no OmpGuard needed.
#pragma omp parallel for reduction(max : m) schedule(static)
  for (std::int64_t r = 0; r < n; ++r) m = std::max(m, b.user[static_cast<std::size_t>(r)]);
  return m;
}

}  // namespace

double ms_since(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t).count();
}

FeatureMatrix empty_features(std::size_t users) {
  FeatureMatrix m;
  m.rows = users;
  m.cols = detail::kFeatureCount;
  for (const auto& f : feature_catalog()) m.names.push_back(f.name);
  m.values.assign(m.rows * m.cols, 0.f);
  return m;
}

FeaturePipeline::FeaturePipeline(Resources& res, const AggregateOptions& aggregate,
                                 const FeatureOptions& features, const GpuFeatureOptions& options)
    : res_(res),
      aggregate_(aggregate),
      features_(features),
      options_(options),
      budget_(resolve_budget(res, options.device_budget)),
      costs_(cuda_plan::feature_stage_costs(true)),
      store_(res),
      aggregator_(res),
      uploader_(res, options, static_cast<std::int64_t>(aggregate.tz_offset_minutes) * 60) {
  if (aggregate.session_gap_seconds < 0) throw UsageError("session gap must not be negative");
  range_.resize(2);
}

FeatureMatrix FeaturePipeline::run(EventSource& source, GpuFeatureTimes& times,
                                   std::int64_t* as_of_used) {
  times_ = times;
  const auto start = std::chrono::steady_clock::now();
  {
    cuda_plan::ReadAhead ahead(source, 2);  // parses batch i+1 while batch i is packed
    while (const EventBatch* b = ahead.next()) {
      times_.events += b->size();
      if (!spilled_ && stream(*b)) continue;
      if (!spilled_) spill();
      host_.append(*b);
    }
    times_.read_ms += ahead.read_ms();
  }
  SEGMINT_CUDA_CHECK(cudaStreamSynchronize(res_.compute()));  // the last folds
  times_.stream_ms += ms_since(start);
  std::size_t users = std::max(users_, options_.min_users);
  if (options_.dictionary) users = std::max(users, options_.dictionary->size());
  FeatureMatrix m = spilled_ ? finish_passes(users) : finish_one_pass(users);
  times_.upload_ms += uploader_.pack_ms();
  times_.bytes_uploaded += uploader_.bytes();
  times_.users += users;
  times = times_;
  if (as_of_used) *as_of_used = as_of_;
  return m;
}

bool FeaturePipeline::stream(const EventBatch& b) {
  if (b.empty()) return true;
  const std::size_t users = std::max<std::size_t>(users_, std::size_t{max_user(b)} + 1);
  const std::uint64_t limit = cuda_plan::pass_event_limit(users, budget_, costs_);
  if (store_.size() + b.size() > limit) return false;
  store_.reserve(store_.size() + b.size(), users, limit);
  users_ = users;
  const int threads = std::max(1, omp_get_max_threads());
  uploader_.add(store_, b.size(), [&b, threads](void* slot, std::size_t first, std::size_t count) {
    cuda_plan::pack_rows(b, first, count, slot, threads);
  });
  return true;
}

void FeaturePipeline::spill() {
  const auto start = std::chrono::steady_clock::now();
  spilled_ = times_.spilled = true;
  store_.download(host_);
  times_.bytes_downloaded += store_.size() * cuda_plan::kPackedBytesPerEvent;
  store_.release();
  times_.plan_ms += ms_since(start);
}

void FeaturePipeline::set_times(std::int64_t first, std::int64_t last) {
  as_of_ = features_.as_of ? *features_.as_of : (last == detail::kNoLastTime ? 0 : last);
  first_ = first == detail::kNoTime ? as_of_ : first;
}

void FeaturePipeline::aggregate() {
  summary_.resize(std::max<std::size_t>(store_.users(), 1));
  t0_.record(res_.compute());
  aggregator_.run(store_, aggregate_.session_gap_seconds,
                  static_cast<std::int64_t>(aggregate_.tz_offset_minutes) * 60, summary_.get());
  t1_.record(res_.compute());
}

FeatureMatrix FeaturePipeline::finish_one_pass(std::size_t users) {
  store_.reserve(store_.size(), users);  // dictionary users without events get empty counters
  aggregate();
  launch_time_range(store_.counters(), users, range_.get(), res_.compute());
  std::int64_t range[2];
  cuda::download(range, range_.get(), 2, res_.compute());
  times_.aggregate_ms += elapsed_ms(t0_, t1_);
  set_times(range[0], range[1]);
  auto raw = std::make_shared<DeviceMatrix>(res_.device(), users, detail::kFeatureCount);
  t0_.record(res_.compute());
  launch_feature_rows(summary_.get(), users, nullptr, as_of_, first_, raw->get(), res_.compute());
  t1_.record(res_.compute());
  times_.features_ms += elapsed_ms(t0_, t1_);
  times_.passes = 1;
  store_.release();
  aggregator_.release();
  summary_ = {};
  return download_raw(std::move(raw));
}

FeatureMatrix FeaturePipeline::download_raw(std::shared_ptr<DeviceMatrix> raw) {
  const auto start = std::chrono::steady_clock::now();
  FeatureMatrix m = empty_features(raw->rows());
  cuda::download(m.values.data(), raw->get(), m.values.size(), res_.compute());
  times_.download_ms += ms_since(start);
  times_.bytes_downloaded += m.values.size() * sizeof(float);
  m.device = std::move(raw);
  return m;
}

}  // namespace segmint::cuda
