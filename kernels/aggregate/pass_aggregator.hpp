// The end of a pass on the device: the stored events sorted by (user, time) and reordered once,
// then the per-user walks (aggregate_kernels.hpp, steps 2-4) over the counters the uploads
// folded -> one exact UserSummary per local user. Owns the sort buffers; no stream.
#pragma once
#include <cstdint>

#include "aggregate/aggregate_kernels.hpp"
#include "aggregate/event_store.hpp"
#include "core/resources.hpp"

namespace segmint::cuda {

class PassAggregator {
 public:
  explicit PassAggregator(Resources& res) : res_(res) {}
  /// Queues the aggregation of every stored event on the compute stream; out (device,
  /// store.users() entries) gets the summaries. The store's columns are left in (user, time)
  /// order.
  void run(EventStore& store, std::int64_t session_gap, std::int64_t tz_seconds,
           detail::UserSummary* out);
  /// Frees the sort buffers.
  void release();

 private:
  void reserve(std::size_t events, std::size_t users);

  Resources& res_;
  DeviceBuffer<std::uint64_t> keys_[2];
  DeviceBuffer<std::uint32_t> vals_[2];
  DeviceBuffer<int> offsets_;
  DeviceBuffer<std::uint32_t> heavy_;
  DeviceBuffer<int> heavy_count_;
  DeviceBuffer<unsigned char> scratch_;
};

}  // namespace segmint::cuda
