// Pinned-buffer ring planner and its round-robin schedule.
#include "cuda_plan/ring.hpp"

#include <algorithm>
#include <string>

#include "segmint/error.hpp"

namespace segmint::cuda_plan {

RingPlan plan_ring(std::size_t total_rows, std::size_t bytes_per_row, std::size_t pinned_budget,
                   std::size_t streams, std::size_t max_rows_per_slot) {
  if (streams < 2) throw UsageError("the transfer ring needs at least 2 streams to overlap");
  if (bytes_per_row == 0) throw UsageError("the transfer ring needs a positive row size");
  RingPlan plan;
  plan.streams = streams;
  plan.slots = streams;  // one slot in flight per stream: double buffering with two
  const std::size_t per_slot = pinned_budget / plan.slots;
  if (per_slot < bytes_per_row) {
    throw UsageError("pinned buffer budget of " + std::to_string(pinned_budget) +
                     " bytes cannot hold one event per slot (" + std::to_string(plan.slots) +
                     " slots of " + std::to_string(bytes_per_row) + " bytes)");
  }
  plan.rows_per_slot = per_slot / bytes_per_row;
  if (max_rows_per_slot > 0) plan.rows_per_slot = std::min(plan.rows_per_slot, max_rows_per_slot);
  // No slot larger than the data: small passes do not pin memory they never use.
  plan.rows_per_slot = std::max<std::size_t>(1, std::min(plan.rows_per_slot, total_rows));
  plan.bytes_per_slot = plan.rows_per_slot * bytes_per_row;
  plan.chunks = (total_rows + plan.rows_per_slot - 1) / plan.rows_per_slot;
  return plan;
}

std::vector<RingStep> ring_schedule(const RingPlan& plan, std::size_t total_rows) {
  return RingCursor(plan).next(total_rows);
}

std::vector<RingStep> RingCursor::next(std::size_t rows) {
  std::vector<RingStep> steps;
  if (plan_.rows_per_slot == 0) return steps;
  for (std::size_t first = 0; first < rows; first += plan_.rows_per_slot, ++chunks_) {
    RingStep s;
    s.chunk = chunks_;
    s.first_row = first;
    s.rows = std::min(plan_.rows_per_slot, rows - first);
    s.slot = chunks_ % plan_.slots;
    s.stream = chunks_ % plan_.streams;
    s.wait_for = chunks_ >= plan_.slots ? static_cast<std::int64_t>(chunks_ - plan_.slots) : -1;
    steps.push_back(s);
  }
  return steps;
}

}  // namespace segmint::cuda_plan
