// EventUploader: the pinned ring, the column copies and the folds behind them.
#include "features/event_upload.hpp"

#include <chrono>

#include "core/transfer.hpp"
#include "cuda_plan/pass_events.hpp"

namespace segmint::cuda {
namespace {

/// Queues one column of a packed slot (at byte `offset`) to dst[at, at + rows).
template <typename T>
void copy_column(T* dst, std::size_t at, const std::uint64_t* slot, std::size_t offset,
                 std::size_t rows, cudaStream_t s) {
  upload_async(dst + at, reinterpret_cast<const T*>(reinterpret_cast<const char*>(slot) + offset),
               rows, s);
}

cuda_plan::RingPlan ring_plan(const CudaFeatureTunables& t) {
  // Slots as large as the budget allows (or the cap); a slot is allocated only as large as the
  // largest chunk it carries, so small inputs pin little.
  return cuda_plan::plan_ring(std::size_t{1} << 40, cuda_plan::kPackedBytesPerEvent,
                              t.pinned_budget, t.streams < 2 ? 2 : t.streams,
                              t.max_rows_per_chunk);
}

}  // namespace

EventUploader::EventUploader(Resources& res, const CudaFeatureTunables& tunables,
                             std::int64_t tz_seconds)
    : res_(res), tz_(tz_seconds), ring_(ring_plan(tunables)) {
  res_.reserve_copy_streams(ring_.plan().streams);
  slot_done_ = std::vector<Event>(ring_.plan().slots);
  slots_ = std::vector<PinnedBuffer<std::uint64_t>>(ring_.plan().slots);
}

void EventUploader::add(EventStore& store, std::size_t rows, const Packer& pack) {
  if (rows == 0) return;
  store.reserve(store.size() + rows, store.users());
  const StoreColumns dst = store.columns();
  const cudaStream_t compute = res_.compute();
  for (const cuda_plan::RingStep& st : ring_.next(rows)) {
    const auto start = std::chrono::steady_clock::now();
    // The slot's previous copy must be done before the host packs new rows into it.
    if (st.wait_for >= 0) slot_done_[st.slot].sync();
    const cuda_plan::PackedLayout l = cuda_plan::packed_layout(st.rows);
    slots_[st.slot].resize(l.bytes / 8);
    std::uint64_t* slot = slots_[st.slot].get();
    pack(slot, st.first_row, st.rows);
    pack_ms_ += std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
                    .count();
    const std::size_t at = store.size() + st.first_row;
    const cudaStream_t s = res_.copy(st.stream);
    copy_column(dst.time, at, slot, l.time, st.rows, s);
    copy_column(dst.amount, at, slot, l.amount, st.rows, s);
    copy_column(dst.item, at, slot, l.item, st.rows, s);
    copy_column(dst.category, at, slot, l.category, st.rows, s);
    copy_column(dst.session, at, slot, l.session, st.rows, s);
    copy_column(dst.order, at, slot, l.order, st.rows, s);
    copy_column(dst.user, at, slot, l.user, st.rows, s);
    copy_column(dst.type, at, slot, l.type, st.rows, s);
    slot_done_[st.slot].record(s);
    slot_done_[st.slot].wait_on(compute);  // the fold reads the copied rows
    launch_fold(dst.view(), at, st.rows, tz_, store.counters(), compute);
    bytes_ += l.bytes;
  }
  store.append(rows);
}

}  // namespace segmint::cuda
