// One pass on the device: pinned-ring upload over several streams, sorts, per-user aggregation,
// feature rows, copy back.
#include "features/pass_runner.hpp"

#include <chrono>

#include "cuda_plan/pass_events.hpp"
#include "cuda_plan/ring.hpp"

namespace segmint::gpufeat {
namespace {

template <typename T>
void copy_column(T* dst, std::size_t first, const std::uint64_t* slot, std::size_t offset,
                 std::size_t rows, cudaStream_t s) {
  SEGMINT_FEAT_CHECK(cudaMemcpyAsync(dst + first, reinterpret_cast<const char*>(slot) + offset,
                                     rows * sizeof(T), cudaMemcpyHostToDevice, s));
}

int bits_for(std::size_t users) {
  int b = 1;
  while (b < 64 && (std::uint64_t{1} << b) < users) ++b;
  return b;
}

}  // namespace

PassRunner::PassRunner(const GpuFeatureOptions& options) : options_(options) {
  if (options_.streams < 2) options_.streams = 2;
  copy_ = std::vector<Stream>(options_.streams);
  slot_done_ = std::vector<Event>(options_.streams);
  copies_done_ = std::vector<Event>(options_.streams);
  slots_ = std::vector<PinnedBuf<std::uint64_t>>(options_.streams);
}

void PassRunner::upload(const EventBatch& ev, GpuFeatureTimes& times) {
  const auto start = std::chrono::steady_clock::now();
  const std::size_t n = ev.size();
  const gpu_batching::RingPlan plan =
      gpu_batching::plan_ring(n, gpu_batching::kPackedBytesPerEvent, options_.pinned_budget,
                              options_.streams, options_.max_rows_per_chunk);
  const std::size_t slot_words = gpu_batching::packed_layout(plan.rows_per_slot).bytes / 8;
  for (auto& s : slots_) s.reserve(slot_words);
  for (const gpu_batching::RingStep& st : gpu_batching::ring_schedule(plan, n)) {
    // The slot's previous copy must be done before the host packs new rows into it.
    if (st.wait_for >= 0) SEGMINT_FEAT_CHECK(cudaEventSynchronize(slot_done_[st.slot].get()));
    std::uint64_t* slot = slots_[st.slot].get();
    gpu_batching::pack_rows(ev, st.first_row, st.rows, slot);
    const gpu_batching::PackedLayout l = gpu_batching::packed_layout(st.rows);
    const cudaStream_t s = copy_[st.stream].get();
    copy_column(time_.get(), st.first_row, slot, l.time, st.rows, s);
    copy_column(amount_.get(), st.first_row, slot, l.amount, st.rows, s);
    copy_column(item_.get(), st.first_row, slot, l.item, st.rows, s);
    copy_column(category_.get(), st.first_row, slot, l.category, st.rows, s);
    copy_column(session_.get(), st.first_row, slot, l.session, st.rows, s);
    copy_column(order_.get(), st.first_row, slot, l.order, st.rows, s);
    copy_column(user_.get(), st.first_row, slot, l.user, st.rows, s);
    copy_column(type_.get(), st.first_row, slot, l.type, st.rows, s);
    SEGMINT_FEAT_CHECK(cudaEventRecord(slot_done_[st.slot].get(), s));
    times.bytes_uploaded += l.bytes;
  }
  // The compute stream starts once every copy stream has drained (no host wait).
  for (std::size_t i = 0; i < copy_.size(); ++i) {
    SEGMINT_FEAT_CHECK(cudaEventRecord(copies_done_[i].get(), copy_[i].get()));
    SEGMINT_FEAT_CHECK(cudaStreamWaitEvent(compute_.get(), copies_done_[i].get(), 0));
  }
  SEGMINT_FEAT_CHECK(cudaStreamSynchronize(compute_.get()));
  times.upload_ms +=
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
}

void PassRunner::aggregate(std::size_t n, std::size_t users, const PassParams& p) {
  const cudaStream_t s = compute_.get();
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
  for (SetKind k : gpu_batching::kSetKinds) {
    launch_set_keys(k, c, perm_.get(), n, p.tz_seconds, keys_a_.get(), vals_a_.get(), s);
    sort_pairs_segmented(keys_a_.get(), keys_b_.get(), vals_a_.get(), vals_b_.get(), n, users,
                         offsets_.get(), scratch_.get(), scratch, s);
    launch_set_reduce(k, c, keys_b_.get(), vals_b_.get(), offsets_.get(), users, summary_.get(), s);
  }
}

void PassRunner::run(const EventBatch& ev, std::size_t users, const PassParams& params, float* out,
                     GpuFeatureTimes& times) {
  const std::size_t n = ev.size();
  const std::size_t cap = n ? n : 1;
  for (auto* b : {&item_, &category_, &session_, &order_, &keys_a_, &keys_b_}) b->reserve(cap);
  time_.reserve(cap);
  amount_.reserve(cap);
  for (auto* b : {&user_, &vals_a_, &vals_b_, &perm_}) b->reserve(cap);
  type_.reserve(cap);
  offsets_.reserve(users + 1);
  summary_.reserve(users ? users : 1);
  features_.reserve((users ? users : 1) * detail::kFeatureCount);
  scratch_.reserve(sort_scratch_bytes(n, users));
  upload(ev, times);

  const cudaStream_t s = compute_.get();
  SEGMINT_FEAT_CHECK(cudaEventRecord(t0_.get(), s));
  aggregate(n, users, params);
  SEGMINT_FEAT_CHECK(cudaEventRecord(t1_.get(), s));
  launch_feature_rows(summary_.get(), users, params.as_of, params.data_first_event,
                      features_.get(), s);
  SEGMINT_FEAT_CHECK(cudaMemcpyAsync(out, features_.get(),
                                     users * detail::kFeatureCount * sizeof(float),
                                     cudaMemcpyDeviceToHost, s));
  SEGMINT_FEAT_CHECK(cudaEventRecord(t2_.get(), s));
  times.aggregate_ms += elapsed_ms(t0_, t1_);
  times.features_ms += elapsed_ms(t1_, t2_);
}

}  // namespace segmint::gpufeat
