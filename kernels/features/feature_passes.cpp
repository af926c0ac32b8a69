// FeaturePipeline::finish_passes: the multi-pass plan over the events in host memory. Users are
// hashed into passes that fit the budget and the rows are grouped by pass once; each pass is
// uploaded through the ring (local user indices), aggregated and written to its users' rows of
// one device matrix (or, when even that matrix does not fit beside a pass, copied back per pass).
#include <algorithm>
#include <chrono>
#include <vector>

#include "core/transfer.hpp"
#include "cuda_plan/pass_events.hpp"
#include "cuda_plan/stream_plan.hpp"
#include "features/feature_pipeline.hpp"
#include "features/feature_rows.hpp"

namespace segmint::cuda {

FeatureMatrix FeaturePipeline::finish_passes(std::size_t users) {
  const auto start = std::chrono::steady_clock::now();
  std::vector<std::uint32_t> per_user(users, 0);
  std::int64_t first = detail::kNoTime, last = detail::kNoLastTime;
  for (std::size_t r = 0; r < host_.size(); ++r) {
    per_user[host_.user[r]] += 1;
    first = std::min(first, host_.time[r]);
    last = std::max(last, host_.time[r]);
  }
  set_times(first, last);
  // The feature matrix stays on the device beside the passes when it takes a quarter of the
  // budget at most; otherwise each pass's rows come back.
  const std::size_t raw_bytes = users * detail::kFeatureCount * sizeof(float);
  const bool keep = raw_bytes <= budget_ / 4;
  const cuda_plan::PartitionPlan plan = cuda_plan::plan_partition(
      per_user, keep ? budget_ - raw_bytes : budget_, cuda_plan::feature_stage_costs(!keep));
  const cuda_plan::PassRows index = cuda_plan::rows_by_pass(host_, plan);  // partition once
  const cuda_plan::PassUsers pass_users = cuda_plan::users_by_pass(plan);
  times_.plan_ms += ms_since(start);
  times_.passes = plan.passes;

  FeatureMatrix m = empty_features(users);
  std::shared_ptr<DeviceMatrix> raw;
  if (keep) raw = std::make_shared<DeviceMatrix>(res_.device(), users, detail::kFeatureCount);
  DeviceBuffer<std::uint32_t> globals;
  DeviceBuffer<float> rows;
  std::vector<float> back;
  const cudaStream_t s = res_.compute();
  for (std::uint32_t p = 0; p < plan.passes; ++p) {
    const std::size_t n = pass_users.count(p);
    store_.reset(n);
    store_.reserve(index.count(p), n);
    uploader_.add(store_, index.count(p), [&](void* slot, std::size_t at, std::size_t count) {
      cuda_plan::pack_rows_at(host_, index.of(p) + at, count, plan.local, slot);
    });
    aggregate();
    if (keep) {
      globals.resize(std::max<std::size_t>(n, 1));
      upload(globals.get(), pass_users.of(p), n, s);  // waits: the pass is aggregated
      launch_feature_rows(summary_.get(), n, globals.get(), as_of_, first_, raw->get(), s);
      SEGMINT_CUDA_CHECK(cudaStreamSynchronize(s));  // the store is reset for the next pass
    } else {
      rows.resize(std::max<std::size_t>(n, 1) * detail::kFeatureCount);
      launch_feature_rows(summary_.get(), n, nullptr, as_of_, first_, rows.get(), s);
      back.resize(n * detail::kFeatureCount);
      cuda::download(back.data(), rows.get(), back.size(), s);
      times_.bytes_downloaded += back.size() * sizeof(float);
      for (std::size_t i = 0; i < n; ++i) {
        std::copy_n(back.data() + i * detail::kFeatureCount, detail::kFeatureCount,
                    m.values.data() + std::size_t{pass_users.of(p)[i]} * detail::kFeatureCount);
      }
    }
    times_.aggregate_ms += elapsed_ms(t0_, t1_);
  }
  store_.release();
  aggregator_.release();
  summary_ = {};
  host_ = EventBatch();
  return keep ? download_raw(std::move(raw)) : m;
}

}  // namespace segmint::cuda
