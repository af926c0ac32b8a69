// One pass on the device: pinned-ring upload over the copy streams, sorts, per-user aggregation,
// feature rows, copy back.
#include "features/pass_runner.hpp"

#include <chrono>

#include "aggregate/aggregate_kernels.hpp"
#include "core/transfer.hpp"
#include "cuda_plan/pass_events.hpp"
#include "cuda_plan/ring.hpp"
#include "features/feature_rows.hpp"

namespace segmint::cuda {
namespace {

/// Queues one column of a packed slot (at byte `offset`) to dst[first, first + rows).
template <typename T>
void copy_column(T* dst, std::size_t first, const std::uint64_t* slot, std::size_t offset,
                 std::size_t rows, cudaStream_t s) {
  upload_async(dst + first, reinterpret_cast<const T*>(reinterpret_cast<const char*>(slot) + offset),
               rows, s);
}

int bits_for(std::size_t users) {
  int b = 1;
  while (b < 64 && (std::uint64_t{1} << b) < users) ++b;
  return b;
}

}  // namespace

PassRunner::PassRunner(Resources& res, const GpuFeatureOptions& options)
    : res_(res), options_(options) {
  if (options_.streams < 2) options_.streams = 2;
  res_.reserve_copy_streams(options_.streams);
  slot_done_ = std::vector<Event>(options_.streams);
  copies_done_ = std::vector<Event>(options_.streams);
  slots_ = std::vector<PinnedBuffer<std::uint64_t>>(options_.streams);
}

void PassRunner::reserve(std::size_t n, std::size_t users) {
  const std::size_t cap = n ? n : 1;
  for (auto* b : {&item_, &category_, &session_, &order_, &keys_a_, &keys_b_}) b->resize(cap);
  for (auto* b : {&user_, &vals_a_, &vals_b_, &perm_}) b->resize(cap);
  time_.resize(cap);
  amount_.resize(cap);
  type_.resize(cap);
  offsets_.resize(users + 1);
  summary_.resize(users ? users : 1);
  features_.resize((users ? users : 1) * detail::kFeatureCount);
  scratch_.resize(sort_scratch_bytes(n, users));
}

void PassRunner::upload(const EventBatch& ev, GpuFeatureTimes& times) {
  const auto start = std::chrono::steady_clock::now();
  const std::size_t n = ev.size();
  const cuda_plan::RingPlan plan =
      cuda_plan::plan_ring(n, cuda_plan::kPackedBytesPerEvent, options_.pinned_budget,
                           options_.streams, options_.max_rows_per_chunk);
  const std::size_t slot_words = cuda_plan::packed_layout(plan.rows_per_slot).bytes / 8;
  for (auto& s : slots_) s.resize(slot_words);
  for (const cuda_plan::RingStep& st : cuda_plan::ring_schedule(plan, n)) {
    // The slot's previous copy must be done before the host packs new rows into it.
    if (st.wait_for >= 0) slot_done_[st.slot].sync();
    std::uint64_t* slot = slots_[st.slot].get();
    cuda_plan::pack_rows(ev, st.first_row, st.rows, slot);
    const cuda_plan::PackedLayout l = cuda_plan::packed_layout(st.rows);
    const cudaStream_t s = res_.copy(st.stream);
    copy_column(time_.get(), st.first_row, slot, l.time, st.rows, s);
    copy_column(amount_.get(), st.first_row, slot, l.amount, st.rows, s);
    copy_column(item_.get(), st.first_row, slot, l.item, st.rows, s);
    copy_column(category_.get(), st.first_row, slot, l.category, st.rows, s);
    copy_column(session_.get(), st.first_row, slot, l.session, st.rows, s);
    copy_column(order_.get(), st.first_row, slot, l.order, st.rows, s);
    copy_column(user_.get(), st.first_row, slot, l.user, st.rows, s);
    copy_column(type_.get(), st.first_row, slot, l.type, st.rows, s);
    slot_done_[st.slot].record(s);
    times.bytes_uploaded += l.bytes;
  }
  // The compute stream starts once every copy stream has drained (no host wait).
  for (std::size_t i = 0; i < options_.streams; ++i) {
    copies_done_[i].record(res_.copy(i));
    copies_done_[i].wait_on(res_.compute());
  }
  SEGMINT_CUDA_CHECK(cudaStreamSynchronize(res_.compute()));
  times.upload_ms +=
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
}

void PassRunner::aggregate(std::size_t n, std::size_t users, const PassParams& p) {
  const cudaStream_t s = res_.compute();
  const PassColumns c{time_.get(), amount_.get(), item_.get(), category_.get(),
                      session_.get(), order_.get(), user_.get(), type_.get()};
  const std::size_t scratch = scratch_.size();
  launch_user_keys(c, n, keys_a_.get(), vals_a_.get(), s);
  sort_pairs(keys_a_.get(), keys_b_.get(), vals_a_.get(), vals_b_.get(), n, bits_for(users),
             scratch_.get(), scratch, s);
  launch_offsets(keys_b_.get(), n, users, offsets_.get(), s);
  launch_time_keys(c, vals_b_.get(), n, keys_a_.get(), vals_a_.get(), s);
  sort_pairs_segmented(keys_a_.get(), keys_b_.get(), vals_a_.get(), perm_.get(), n, users,
                       offsets_.get(), scratch_.get(), scratch, s);
  launch_scalar(c, perm_.get(), offsets_.get(), users, p.session_gap, p.tz_seconds,
                summary_.get(), s);
  for (SetKind k : detail::kSetKinds) {
    launch_set_keys(k, c, perm_.get(), n, p.tz_seconds, keys_a_.get(), vals_a_.get(), s);
    sort_pairs_segmented(keys_a_.get(), keys_b_.get(), vals_a_.get(), vals_b_.get(), n, users,
                         offsets_.get(), scratch_.get(), scratch, s);
    launch_set_reduce(k, c, keys_b_.get(), vals_b_.get(), offsets_.get(), users, summary_.get(), s);
  }
}

void PassRunner::run(const EventBatch& ev, std::size_t users, const PassParams& params, float* out,
                     GpuFeatureTimes& times) {
  reserve(ev.size(), users);
  upload(ev, times);
  const cudaStream_t s = res_.compute();
  t0_.record(s);
  aggregate(ev.size(), users, params);
  t1_.record(s);
  launch_feature_rows(summary_.get(), users, params.as_of, params.data_first_event,
                      features_.get(), s);
  download_async(out, features_.get(), users * detail::kFeatureCount, s);
  t2_.record(s);
  times.aggregate_ms += elapsed_ms(t0_, t1_);
  times.features_ms += elapsed_ms(t1_, t2_);  // waits for t2: `out` is filled
}

}  // namespace segmint::cuda
