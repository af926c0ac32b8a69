// User partition planner: every user in exactly one pass, passes within budget, deterministic.
#include <gtest/gtest.h>

#include <set>

#include "cuda_plan/partition.hpp"
#include "segmint/error.hpp"

namespace segmint::cuda_plan {
namespace {

// Budget arithmetic kept readable: 10 bytes per event, nothing per user, 100 fixed.
DeviceCosts tiny_costs() {
  DeviceCosts c;
  c.bytes_per_event = 10;
  c.bytes_per_user = 0;
  c.fixed_bytes = 100;
  return c;
}

TEST(CudaPlanPartition, PassOfIsInRangeDeterministicAndSpreads) {
  EXPECT_EQ(pass_of(12345, 1), 0u);
  EXPECT_EQ(pass_of(12345, 0), 0u);
  std::vector<int> per(4, 0);
  for (std::uint32_t u = 0; u < 10000; ++u) {
    const std::uint32_t p = pass_of(u, 4);
    ASSERT_LT(p, 4u);
    ASSERT_EQ(p, pass_of(u, 4));
    per[p] += 1;
  }
  for (int n : per) {  // a fair hash puts 2500 +- a few sigma (sigma = 43) in each
    EXPECT_GT(n, 2300);
    EXPECT_LT(n, 2700);
  }
}

TEST(CudaPlanPartition, LargeBudgetIsOnePassWithIdentityLocalIndex) {
  std::vector<std::uint32_t> epu = {3, 0, 5, 1};
  const PartitionPlan plan = plan_partition(epu, 1 << 20, tiny_costs());
  EXPECT_EQ(plan.passes, 1u);
  EXPECT_EQ(plan.events, std::vector<std::uint64_t>{9});
  EXPECT_EQ(plan.users, std::vector<std::uint64_t>{4});
  EXPECT_EQ(plan.local, (std::vector<std::uint32_t>{0, 1, 2, 3}));
  EXPECT_EQ(plan.peak_bytes, 100u + 9 * 10);
}

TEST(CudaPlanPartition, TightBudgetSplitsIntoFittingPassesCoveringEveryUserOnce) {
  std::vector<std::uint32_t> epu(100, 10);  // 1000 events: 10100 bytes in one pass
  const DeviceCosts costs = tiny_costs();
  const std::size_t budget = 3000;          // at most 290 events a pass: 4 passes at least
  const PartitionPlan plan = plan_partition(epu, budget, costs);
  ASSERT_GE(plan.passes, 4u);
  std::uint64_t events = 0, users = 0;
  for (std::uint32_t p = 0; p < plan.passes; ++p) {
    EXPECT_LE(pass_bytes(plan.events[p], plan.users[p], costs), budget) << "pass " << p;
    events += plan.events[p];
    users += plan.users[p];
  }
  EXPECT_EQ(events, 1000u);
  EXPECT_EQ(users, 100u);
  // users_of_pass partitions [0, 100) and positions are the local indices.
  std::set<std::uint32_t> seen;
  for (std::uint32_t p = 0; p < plan.passes; ++p) {
    const auto us = users_of_pass(plan, p);
    EXPECT_EQ(us.size(), plan.users[p]);
    for (std::size_t i = 0; i < us.size(); ++i) {
      EXPECT_EQ(plan.local[us[i]], i);
      EXPECT_EQ(pass_of(us[i], plan.passes), p);
      EXPECT_TRUE(seen.insert(us[i]).second) << "user " << us[i] << " in two passes";
    }
  }
  EXPECT_EQ(seen.size(), 100u);
  // Minimal among the counts tried: one pass fewer does not fit.
  std::vector<std::uint64_t> fewer(plan.passes - 1, 0);
  for (std::uint32_t u = 0; u < 100; ++u) fewer[pass_of(u, plan.passes - 1)] += 10;
  bool all_fit = true;
  for (auto e : fewer) all_fit = all_fit && pass_bytes(e, 0, costs) <= budget;
  EXPECT_FALSE(all_fit);
}

TEST(CudaPlanPartition, SamePlanEveryTime) {
  std::vector<std::uint32_t> epu;
  for (std::uint32_t u = 0; u < 500; ++u) epu.push_back(u % 17);
  const PartitionPlan a = plan_partition(epu, 2000, tiny_costs());
  const PartitionPlan b = plan_partition(epu, 2000, tiny_costs());
  EXPECT_EQ(a.passes, b.passes);
  EXPECT_EQ(a.local, b.local);
  EXPECT_EQ(a.events, b.events);
}

TEST(CudaPlanPartition, EventCapBoundsAPass) {
  DeviceCosts costs = tiny_costs();
  costs.max_events_per_pass = 25;
  const PartitionPlan plan = plan_partition(std::vector<std::uint32_t>(10, 5), 1 << 20, costs);
  EXPECT_GE(plan.passes, 2u);
  for (auto e : plan.events) EXPECT_LE(e, 25u);
}

TEST(CudaPlanPartition, OneUserTooLargeOrBudgetBelowReserveThrows) {
  EXPECT_THROW(plan_partition({1, 50, 1}, 400, tiny_costs()), RuntimeError);  // 600 > 400
  EXPECT_THROW(plan_partition({1}, 100, tiny_costs()), RuntimeError);        // reserve is 100
}

}  // namespace
}  // namespace segmint::cuda_plan
