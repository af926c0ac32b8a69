// The events of one pass on the device, column by column in arrival order (user = the pass's
// local index), and the per-user counters the uploads fold them into. Grows by doubling while
// events stream in; owns no stream (the Resources' compute stream orders its copies).
#pragma once
#include <cstddef>
#include <cstdint>

#include "aggregate/aggregate_kernels.hpp"
#include "core/resources.hpp"
#include "segmint/events.hpp"

namespace segmint::cuda {

class EventStore {
 public:
  explicit EventStore(Resources& res) : res_(res) {}

  /// Empties the store and gives it `users` users with empty counters (queued on compute).
  void reset(std::size_t users);
  /// Room for `events` events and counters of `users` users, contents kept, new users' counters
  /// empty. Growing waits for the device: call it before queuing the copies of new rows. With a
  /// `limit`, the columns grow by doubling (cuda_plan::grown_capacity) up to it; without, to
  /// exactly `events`.
  void reserve(std::size_t events, std::size_t users, std::size_t limit = 0);
  /// Marks `rows` more rows as stored (their copies are queued by the caller).
  void append(std::size_t rows) { size_ += rows; }

  std::size_t size() const { return size_; }
  std::size_t capacity() const { return capacity_; }
  std::size_t users() const { return users_; }
  StoreColumns columns() const;
  detail::EventCounters* counters() const { return counters_.get(); }
  /// Device bytes the store holds now.
  std::size_t bytes() const;

  /// Copies rows [0, size()) back into `out` (appended): the spill to a multi-pass plan. Waits.
  void download(EventBatch& out);
  /// Frees the device memory.
  void release();

 private:
  void grow_columns(std::size_t capacity);
  void grow_counters(std::size_t users);

  Resources& res_;
  std::size_t size_ = 0, capacity_ = 0, users_ = 0, counter_capacity_ = 0;
  DeviceBuffer<std::int64_t> time_;
  DeviceBuffer<double> amount_;
  DeviceBuffer<std::uint64_t> item_, category_, session_, order_;
  DeviceBuffer<std::uint32_t> user_;
  DeviceBuffer<std::uint8_t> type_;
  DeviceBuffer<detail::EventCounters> counters_;
};

}  // namespace segmint::cuda
