// Pinned-buffer ring planner: slot sizes, round-robin reuse with waits, rows covered once.
#include <gtest/gtest.h>

#include "cuda_plan/ring.hpp"
#include "segmint/error.hpp"

namespace segmint::cuda_plan {
namespace {

TEST(CudaPlanRing, SizesFromBudgetAndRowSize) {
  const RingPlan p = plan_ring(1000, 53, 53 * 100 * 2);  // two slots of 100 rows
  EXPECT_EQ(p.slots, 2u);
  EXPECT_EQ(p.streams, 2u);
  EXPECT_EQ(p.rows_per_slot, 100u);
  EXPECT_EQ(p.bytes_per_slot, 5300u);
  EXPECT_EQ(p.chunks, 10u);
}

TEST(CudaPlanRing, DoubleBufferingReusesASlotOnlyAfterItsPreviousChunk) {
  const RingPlan p = plan_ring(950, 53, 53 * 100 * 2);
  const auto steps = ring_schedule(p, 950);
  ASSERT_EQ(steps.size(), 10u);
  EXPECT_EQ(steps[0].slot, 0u);
  EXPECT_EQ(steps[0].wait_for, -1);
  EXPECT_EQ(steps[1].slot, 1u);
  EXPECT_EQ(steps[1].stream, 1u);
  EXPECT_EQ(steps[1].wait_for, -1);
  EXPECT_EQ(steps[2].slot, 0u);
  EXPECT_EQ(steps[2].stream, 0u);
  EXPECT_EQ(steps[2].wait_for, 0);
  EXPECT_EQ(steps[9].wait_for, 7);
  EXPECT_EQ(steps[9].first_row, 900u);
  EXPECT_EQ(steps[9].rows, 50u);
  std::size_t next = 0;
  for (const auto& s : steps) {  // contiguous, each row exactly once
    EXPECT_EQ(s.first_row, next);
    next += s.rows;
  }
  EXPECT_EQ(next, 950u);
}

TEST(CudaPlanRing, ThreeStreamsUseThreeSlots) {
  const RingPlan p = plan_ring(10, 8, 1 << 20, 3, 2);
  EXPECT_EQ(p.slots, 3u);
  EXPECT_EQ(p.rows_per_slot, 2u);
  const auto steps = ring_schedule(p, 10);
  ASSERT_EQ(steps.size(), 5u);
  EXPECT_EQ(steps[3].slot, 0u);
  EXPECT_EQ(steps[3].wait_for, 0);
  EXPECT_EQ(steps[4].stream, 1u);
}

TEST(CudaPlanRing, SmallDataDoesNotPinMoreThanItNeeds) {
  const RingPlan p = plan_ring(7, 53, 1 << 30);
  EXPECT_EQ(p.rows_per_slot, 7u);
  EXPECT_EQ(p.chunks, 1u);
  EXPECT_TRUE(ring_schedule(plan_ring(0, 53, 1 << 20), 0).empty());
}

TEST(CudaPlanRing, CursorContinuesChunksSlotsAndWaitsAcrossBatches) {
  const RingPlan p = plan_ring(1000, 8, 8 * 100 * 2);  // two slots of 100 rows
  RingCursor ring(p);
  const auto a = ring.next(250);  // chunks 0, 1, 2
  const auto b = ring.next(30);   // chunk 3
  const auto c = ring.next(0);
  const auto d = ring.next(100);  // chunk 4
  ASSERT_EQ(a.size(), 3u);
  ASSERT_EQ(b.size(), 1u);
  EXPECT_TRUE(c.empty());
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(a[2].first_row, 200u);
  EXPECT_EQ(a[2].rows, 50u);
  EXPECT_EQ(b[0].chunk, 3u);
  EXPECT_EQ(b[0].first_row, 0u);  // rows count from the batch's first row
  EXPECT_EQ(b[0].rows, 30u);
  EXPECT_EQ(b[0].slot, 1u);
  EXPECT_EQ(b[0].wait_for, 1);
  EXPECT_EQ(d[0].slot, 0u);
  EXPECT_EQ(d[0].stream, 0u);
  EXPECT_EQ(d[0].wait_for, 2);
  EXPECT_EQ(ring.chunks(), 5u);
  // One batch of everything is exactly ring_schedule.
  const auto whole = RingCursor(p).next(950);
  const auto sched = ring_schedule(p, 950);
  ASSERT_EQ(whole.size(), sched.size());
  for (std::size_t i = 0; i < whole.size(); ++i) {
    EXPECT_EQ(whole[i].first_row, sched[i].first_row);
    EXPECT_EQ(whole[i].wait_for, sched[i].wait_for);
  }
}

TEST(CudaPlanRing, BadArgumentsThrow) {
  EXPECT_THROW(plan_ring(10, 53, 1 << 20, 1), UsageError);
  EXPECT_THROW(plan_ring(10, 0, 1 << 20), UsageError);
  EXPECT_THROW(plan_ring(10, 53, 100), UsageError);  // 50 bytes a slot < 53
}

}  // namespace
}  // namespace segmint::cuda_plan
