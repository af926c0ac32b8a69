// Host -> device transfer of events through a ring of pinned slots on >= 2 copy streams
// (cuda_plan::RingCursor, continued across batches): the host packs a chunk into its slot, the
// chunk's columns are copied into the event store on its copy stream, and the compute stream folds
// the chunk into the per-user counters once its copy is done. So packing chunk c+1 overlaps the
// copy of chunk c and the fold of chunk c-1; a slot is packed again only after its copy finished.
#pragma once
#include <cstdint>
#include <functional>
#include <vector>

#include "aggregate/event_store.hpp"
#include "core/resources.hpp"
#include "cuda_plan/ring.hpp"
#include "segmint/backend_options.hpp"

namespace segmint::cuda {

class EventUploader {
 public:
  /// Uses tunables.streams (>= 2) of res's copy streams (creating them when res has fewer).
  EventUploader(Resources& res, const CudaFeatureTunables& tunables, std::int64_t tz_seconds);

  /// Packs `rows` rows chunk by chunk with pack(slot, first, count) (packed_layout(count) at
  /// slot, rows [first, first + count) of the caller's), uploads them behind the rows the store
  /// holds and folds them; their users must be < store.users(). Grows the store when needed.
  using Packer = std::function<void(void* slot, std::size_t first, std::size_t count)>;
  void add(EventStore& store, std::size_t rows, const Packer& pack);

  /// Host milliseconds spent packing and waiting for free slots, and bytes copied so far.
  double pack_ms() const { return pack_ms_; }
  std::uint64_t bytes() const { return bytes_; }

 private:
  Resources& res_;
  std::int64_t tz_;
  cuda_plan::RingCursor ring_;
  std::vector<Event> slot_done_;
  std::vector<PinnedBuffer<std::uint64_t>> slots_;
  double pack_ms_ = 0;
  std::uint64_t bytes_ = 0;
};

}  // namespace segmint::cuda
