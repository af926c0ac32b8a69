// Per-pass event filter and pinned-slot packing.
#include <gtest/gtest.h>

#include <cstring>
#include <cstdint>
#include <vector>

#include "cuda_plan/pass_events.hpp"
#include "segmint/error.hpp"

namespace segmint::cuda_plan {
namespace {

EventBatch two_rows_per_user(std::uint32_t users) {
  EventBatch b;
  for (std::uint32_t k = 0; k < 2; ++k) {
    for (std::uint32_t u = 0; u < users; ++u) {
      b.push_back(u, 1000 + 10 * u + k, k ? EventType::purchase : EventType::view, 1.5 * u,
                  100 + u, 200 + u, k ? 0 : 300 + u, 400 + u);
    }
  }
  return b;
}

TEST(CudaPlanPassEvents, EveryRowLandsInItsUsersPassWithLocalIndex) {
  const EventBatch in = two_rows_per_user(40);
  DeviceCosts costs;
  costs.bytes_per_event = 10;
  costs.bytes_per_user = 0;
  costs.fixed_bytes = 10;
  const PartitionPlan plan = plan_partition(std::vector<std::uint32_t>(40, 2), 300, costs);
  ASSERT_GE(plan.passes, 3u);
  std::vector<EventBatch> parts;
  split_by_pass(in, plan, parts);
  ASSERT_EQ(parts.size(), plan.passes);
  std::size_t rows = 0;
  for (std::uint32_t p = 0; p < plan.passes; ++p) {
    const auto users = users_of_pass(plan, p);
    EXPECT_EQ(parts[p].size(), 2 * users.size());
    rows += parts[p].size();
    for (std::size_t r = 0; r < parts[p].size(); ++r) {
      const std::uint32_t global = users[parts[p].user[r]];
      // Columns travel unchanged; the time encodes the global user and the row's order.
      EXPECT_EQ(parts[p].item[r], 100u + global);
      EXPECT_EQ(parts[p].time[r] / 10 - 100, static_cast<std::int64_t>(global));
      EXPECT_EQ(parts[p].amount[r], 1.5 * global);
      // Input order kept: all k = 0 rows come before all k = 1 rows.
      EXPECT_EQ(parts[p].time[r] % 10, r < users.size() ? 0 : 1);
    }
  }
  EXPECT_EQ(rows, in.size());
}

TEST(CudaPlanPassEvents, UserOutsideThePlanThrows) {
  const PartitionPlan plan = plan_partition({1, 1}, 1u << 30);
  EventBatch in = two_rows_per_user(3);
  EventBatch out;
  EXPECT_THROW(append_pass_rows(in, plan, 0, out), RuntimeError);
}

TEST(CudaPlanPassEvents, PackedLayoutIsAlignedColumnByColumn) {
  const PackedLayout l = packed_layout(3);
  EXPECT_EQ(l.time, 0u);
  EXPECT_EQ(l.amount, 24u);
  EXPECT_EQ(l.item, 48u);
  EXPECT_EQ(l.category, 72u);
  EXPECT_EQ(l.session, 96u);
  EXPECT_EQ(l.order, 120u);
  EXPECT_EQ(l.user, 144u);
  EXPECT_EQ(l.type, 160u);  // 12 user bytes rounded up to 16
  EXPECT_EQ(l.bytes, 168u); // 3 type bytes rounded up to 8
}

TEST(CudaPlanPassEvents, PackRowsCopiesTheRequestedWindow) {
  const EventBatch b = two_rows_per_user(5);  // 10 rows
  const PackedLayout l = packed_layout(3);
  std::vector<std::uint64_t> slot(l.bytes / 8, 0);
  pack_rows(b, 4, 3, slot.data());
  const char* base = reinterpret_cast<const char*>(slot.data());
  std::int64_t t[3];
  std::uint32_t u[3];
  std::uint64_t s[3];
  std::memcpy(t, base + l.time, sizeof t);
  std::memcpy(u, base + l.user, sizeof u);
  std::memcpy(s, base + l.session, sizeof s);
  EXPECT_EQ(t[0], 1040);  // row 4: user 4, k = 0
  EXPECT_EQ(t[1], 1001);  // row 5: user 0, k = 1
  EXPECT_EQ(u[2], 1u);
  EXPECT_EQ(s[0], 304u);
  EXPECT_EQ(s[1], 0u);
  EXPECT_EQ(static_cast<EventType>(base[l.type + 1]), EventType::purchase);
  EXPECT_THROW(pack_rows(b, 8, 3, slot.data()), RuntimeError);
}

TEST(CudaPlanPassEvents, RowsByPassIsOneStableCountingSortOverTheRows) {
  const EventBatch in = two_rows_per_user(40);
  const PartitionPlan plan = plan_partition(std::vector<std::uint32_t>(40, 2), 300,
                                            DeviceCosts{10, 0, 10, 1u << 30});
  ASSERT_GE(plan.passes, 3u);
  const PassRows index = rows_by_pass(in, plan);
  ASSERT_EQ(index.begin.size(), plan.passes + 1u);
  EXPECT_EQ(index.rows.size(), in.size());
  std::vector<EventBatch> parts;
  split_by_pass(in, plan, parts);
  const PassUsers users = users_by_pass(plan);
  for (std::uint32_t p = 0; p < plan.passes; ++p) {
    EXPECT_EQ(index.count(p), plan.events[p]);
    EXPECT_EQ(users.count(p), plan.users[p]);
    EXPECT_EQ(std::vector<std::uint32_t>(users.of(p), users.of(p) + users.count(p)),
              users_of_pass(plan, p));
    for (std::size_t i = 0; i < index.count(p); ++i) {
      const std::uint32_t r = index.of(p)[i];
      EXPECT_EQ(pass_of(in.user[r], plan.passes), p);
      if (i) {
        EXPECT_LT(index.of(p)[i - 1], r);  // input order within the pass
      }
      EXPECT_EQ(parts[p].time[i], in.time[r]);   // split_by_pass lists the same rows
      EXPECT_EQ(parts[p].user[i], plan.local[in.user[r]]);
    }
  }
  EventBatch bad = in;
  bad.user[3] = 40;
  EXPECT_THROW(rows_by_pass(bad, plan), RuntimeError);
}

TEST(CudaPlanPassEvents, PackRowsOnSeveralThreadsGivesTheSameBytes) {
  EventBatch b;
  for (std::uint32_t i = 0; i < 300000; ++i) {
    b.push_back(i % 977, 1000 + i, static_cast<EventType>(i % 9), 0.25 * i, i, 2 * i, 3 * i, 4 * i);
  }
  const std::size_t first = 12345, rows = 200001;
  std::vector<std::uint64_t> one(packed_layout(rows).bytes / 8, 0), four(one.size(), 0);
  pack_rows(b, first, rows, one.data());
  pack_rows(b, first, rows, four.data(), 4);
  EXPECT_EQ(one, four);
}

TEST(CudaPlanPassEvents, PackRowsAtGathersRowsAndRewritesUsers) {
  const EventBatch b = two_rows_per_user(5);  // 10 rows
  const std::vector<std::uint32_t> at = {7, 2, 9};
  const std::vector<std::uint32_t> local = {10, 11, 12, 13, 14};
  const PackedLayout l = packed_layout(at.size());
  std::vector<std::uint64_t> slot(l.bytes / 8, 0);
  pack_rows_at(b, at.data(), at.size(), local, slot.data());
  const char* base = reinterpret_cast<const char*>(slot.data());
  for (std::size_t i = 0; i < at.size(); ++i) {
    std::int64_t t;
    std::uint32_t u;
    std::uint64_t item;
    double amount;
    std::memcpy(&t, base + l.time + 8 * i, 8);
    std::memcpy(&u, base + l.user + 4 * i, 4);
    std::memcpy(&item, base + l.item + 8 * i, 8);
    std::memcpy(&amount, base + l.amount + 8 * i, 8);
    EXPECT_EQ(t, b.time[at[i]]);
    EXPECT_EQ(u, local[b.user[at[i]]]);
    EXPECT_EQ(item, b.item[at[i]]);
    EXPECT_EQ(amount, b.amount[at[i]]);
    EXPECT_EQ(static_cast<EventType>(base[l.type + i]), b.type[at[i]]);
  }
}

}  // namespace
}  // namespace segmint::cuda_plan
