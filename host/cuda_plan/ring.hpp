// Pinned-buffer ring planner: how a pass's events travel to the device through a few reused,
// page-locked host slots on two or more streams, so that packing chunk c+1 on the host overlaps
// the copy and device work of chunk c. CUDA-free: the schedule is plain arithmetic.
#pragma once
#include <cstddef>
#include <cstdint>
#include <vector>

namespace segmint::cuda_plan {

/// Sizes of the ring.
struct RingPlan {
  std::size_t slots = 2;          ///< pinned host buffers, reused round-robin (>= streams)
  std::size_t streams = 2;        ///< copy streams; chunk c goes on stream c % streams
  std::size_t rows_per_slot = 0;  ///< events one slot holds
  std::size_t bytes_per_slot = 0; ///< rows_per_slot * bytes_per_row
  std::size_t chunks = 0;         ///< chunks needed for the rows planned for
};

/// Plans a ring for `total_rows` rows of `bytes_per_row` bytes within `pinned_budget` bytes of
/// page-locked memory, with `streams` (>= 2) streams. `max_rows_per_slot` caps a chunk (0 = no
/// cap; tests use small caps to force many chunks). Throws UsageError for streams < 2, a zero row
/// size, or a budget too small for one row per slot.
RingPlan plan_ring(std::size_t total_rows, std::size_t bytes_per_row, std::size_t pinned_budget,
                   std::size_t streams = 2, std::size_t max_rows_per_slot = 0);

/// One chunk of the schedule.
struct RingStep {
  std::size_t chunk = 0;
  std::size_t first_row = 0, rows = 0;
  std::size_t slot = 0, stream = 0;
  /// The chunk that last used this slot, whose copy must have completed before the host packs
  /// into the slot again; -1 when the slot is fresh.
  std::int64_t wait_for = -1;
};

/// The whole schedule for `total_rows` rows under `plan`: chunk c takes rows
/// [c * rows_per_slot, ...), slot c % slots, stream c % streams.
std::vector<RingStep> ring_schedule(const RingPlan& plan, std::size_t total_rows);

/// The ring over a stream of batches whose sizes are known one at a time (events streamed from
/// a source): chunk numbers continue across batches, so chunk c of the whole stream uses slot
/// c % slots and stream c % streams and waits for chunk c - slots, as in ring_schedule.
class RingCursor {
 public:
  explicit RingCursor(const RingPlan& plan) : plan_(plan) {}
  /// The chunks that carry a batch of `rows` rows; RingStep::first_row counts from the batch's
  /// first row.
  std::vector<RingStep> next(std::size_t rows);
  /// Chunks handed out so far.
  std::size_t chunks() const { return chunks_; }
  const RingPlan& plan() const { return plan_; }

 private:
  RingPlan plan_;
  std::size_t chunks_ = 0;
};

}  // namespace segmint::cuda_plan
