// The streamed feature stage's host side: device costs and pass limits, store growth, and the
// read-ahead thread (order, end of input, errors rethrown on the consumer, early stop).
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <stdexcept>
#include <thread>

#include "cuda_plan/pass_events.hpp"
#include "cuda_plan/read_ahead.hpp"
#include "cuda_plan/stream_plan.hpp"
#include "segmint/error.hpp"

namespace segmint::cuda_plan {
namespace {

TEST(CudaPlanStream, PassEventLimitIsTheLargestPassThatFits) {
  const DeviceCosts c = feature_stage_costs();
  EXPECT_GT(c.bytes_per_event, kPackedBytesPerEvent);
  EXPECT_GT(feature_stage_costs(true).bytes_per_user, feature_stage_costs(false).bytes_per_user);
  const std::size_t budget = pass_bytes(1000, 50, c) + c.bytes_per_event - 1;
  EXPECT_EQ(pass_event_limit(50, budget, c), 1000u);
  EXPECT_LE(pass_bytes(pass_event_limit(50, budget, c), 50, c), budget);
  EXPECT_EQ(pass_event_limit(50, pass_bytes(0, 50, c), c), 0u);  // not even one event
  DeviceCosts capped = c;
  capped.max_events_per_pass = 10;
  EXPECT_EQ(pass_event_limit(50, budget, capped), 10u);
}

TEST(CudaPlanStream, StoreGrowsByDoublingUpToTheLimit) {
  EXPECT_EQ(grown_capacity(0, 10, 64, 1000), 64u);
  EXPECT_EQ(grown_capacity(64, 65, 64, 1000), 128u);
  EXPECT_EQ(grown_capacity(64, 300, 64, 1000), 512u);
  EXPECT_EQ(grown_capacity(512, 900, 64, 1000), 1000u);  // capped
  EXPECT_EQ(grown_capacity(128, 100, 64, 1000), 128u);   // already holds it
}

/// Batches of 1, 2, 3, ... rows (user = batch number); throws at batch `fail_at` when set.
class CountingSource : public EventSource {
 public:
  CountingSource(int batches, int fail_at = -1) : batches_(batches), fail_at_(fail_at) {}
  bool next(EventBatch& b) override {
    b.clear();
    if (served_ == fail_at_) throw InputError("events.csv:7: bad time");
    if (served_ == batches_) return false;
    ++served_;
    for (int i = 0; i < served_; ++i) b.push_back(served_, i, EventType::view, 0, 0, 0, 0, 0);
    return true;
  }
  const IngestCounts& counts() const override { return counts_; }
  std::vector<std::string> schemas() const override { return {}; }
  std::atomic<int> served_{0};

 private:
  int batches_, fail_at_;
  IngestCounts counts_;
};

TEST(CudaPlanStream, ReadAheadHandsOutEveryBatchInOrder) {
  CountingSource src(20);
  ReadAhead ahead(src, 2);
  int seen = 0;
  while (const EventBatch* b = ahead.next()) {
    ++seen;
    ASSERT_EQ(b->size(), static_cast<std::size_t>(seen));
    EXPECT_EQ(b->user[0], static_cast<std::uint32_t>(seen));
  }
  EXPECT_EQ(seen, 20);
  EXPECT_EQ(ahead.next(), nullptr);
  EXPECT_GE(ahead.read_ms(), 0.0);
}

TEST(CudaPlanStream, ReadAheadRethrowsTheSourcesErrorAfterTheBatchesBeforeIt) {
  CountingSource src(20, 5);
  ReadAhead ahead(src, 3);
  for (int i = 1; i <= 5; ++i) ASSERT_EQ(ahead.next()->size(), static_cast<std::size_t>(i));
  EXPECT_THROW(ahead.next(), InputError);
}

TEST(CudaPlanStream, ReadAheadStaysAFewBatchesAheadAndStopsEarly) {
  CountingSource src(1000);
  {
    ReadAhead ahead(src, 2);
    ASSERT_NE(ahead.next(), nullptr);
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    EXPECT_LE(src.served_.load(), 4);  // the held batch, two read ahead, one being read
  }                                    // destroyed mid-stream: joins without reading the rest
  EXPECT_LT(src.served_.load(), 10);
}

}  // namespace
}  // namespace segmint::cuda_plan
