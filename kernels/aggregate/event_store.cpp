// EventStore: growth by doubling with device-to-device copies, counters, and the spill download.
#include "aggregate/event_store.hpp"

#include <algorithm>
#include <utility>

#include "core/transfer.hpp"
#include "cuda_plan/pass_events.hpp"
#include "cuda_plan/stream_plan.hpp"

namespace segmint::cuda {
namespace {

/// b := a buffer of `count` elements whose first `keep` are b's (queued on `stream`, then waited:
/// the old buffer is freed on return).
template <typename T>
void grow_keeping(DeviceBuffer<T>& b, std::size_t count, std::size_t keep, cudaStream_t stream) {
  DeviceBuffer<T> bigger(count);
  copy_device_async(bigger.get(), b.get(), std::min(keep, b.size()), stream);
  SEGMINT_CUDA_CHECK(cudaStreamSynchronize(stream));
  b = std::move(bigger);
}

}  // namespace

void EventStore::reset(std::size_t users) {
  size_ = 0;
  users_ = 0;
  reserve(0, users);  // every counter of [0, users) empty again
}

void EventStore::reserve(std::size_t events, std::size_t users, std::size_t limit) {
  if (events > capacity_) {
    grow_columns(limit ? cuda_plan::grown_capacity(capacity_, events, std::size_t{1} << 16, limit)
                       : events);
  }
  if (users > users_) grow_counters(users);
}

void EventStore::grow_columns(std::size_t capacity) {
  // Uploads land on copy streams; everything queued so far must be in place before moving it.
  for (std::size_t i = 0; i < res_.copy_streams(); ++i) {
    SEGMINT_CUDA_CHECK(cudaStreamSynchronize(res_.copy(i)));
  }
  const cudaStream_t s = res_.compute();
  grow_keeping(time_, capacity, size_, s);
  grow_keeping(amount_, capacity, size_, s);
  grow_keeping(item_, capacity, size_, s);
  grow_keeping(category_, capacity, size_, s);
  grow_keeping(session_, capacity, size_, s);
  grow_keeping(order_, capacity, size_, s);
  grow_keeping(user_, capacity, size_, s);
  grow_keeping(type_, capacity, size_, s);
  capacity_ = capacity;
}

void EventStore::grow_counters(std::size_t users) {
  if (users > counter_capacity_) {
    const std::size_t cap = std::max(users, counter_capacity_ * 2);
    grow_keeping(counters_, cap, users_, res_.compute());
    counter_capacity_ = cap;
  }
  launch_init_counters(counters_.get(), users_, users, res_.compute());
  users_ = users;
}

StoreColumns EventStore::columns() const {
  return {time_.get(),    amount_.get(), item_.get(), category_.get(),
          session_.get(), order_.get(),  user_.get(), type_.get()};
}

std::size_t EventStore::bytes() const {
  return capacity_ * cuda_plan::kPackedBytesPerEvent +
         counter_capacity_ * sizeof(detail::EventCounters);
}

void EventStore::download(EventBatch& out) {
  const std::size_t at = out.size(), n = size_;
  out.user.resize(at + n);
  out.time.resize(at + n);
  out.type.resize(at + n);
  out.amount.resize(at + n);
  out.item.resize(at + n);
  out.category.resize(at + n);
  out.session.resize(at + n);
  out.order.resize(at + n);
  const cudaStream_t s = res_.compute();
  for (std::size_t i = 0; i < res_.copy_streams(); ++i) {
    SEGMINT_CUDA_CHECK(cudaStreamSynchronize(res_.copy(i)));
  }
  download_async(out.user.data() + at, user_.get(), n, s);
  download_async(out.time.data() + at, time_.get(), n, s);
  download_async(reinterpret_cast<std::uint8_t*>(out.type.data()) + at, type_.get(), n, s);
  download_async(out.amount.data() + at, amount_.get(), n, s);
  download_async(out.item.data() + at, item_.get(), n, s);
  download_async(out.category.data() + at, category_.get(), n, s);
  download_async(out.session.data() + at, session_.get(), n, s);
  download_async(out.order.data() + at, order_.get(), n, s);
  SEGMINT_CUDA_CHECK(cudaStreamSynchronize(s));
}

void EventStore::release() {
  time_ = {};
  amount_ = {};
  item_ = {};
  category_ = {};
  session_ = {};
  order_ = {};
  user_ = {};
  type_ = {};
  counters_ = {};
  size_ = capacity_ = users_ = counter_capacity_ = 0;
}

}  // namespace segmint::cuda
