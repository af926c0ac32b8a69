// The device aggregation's per-user walks, run on the CPU with std::sort standing in for the CUB
// sorts: per-user summaries and feature rows must equal the CPU UserTable's bit for bit, for one
// pass and for a multi-pass plan.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <numeric>
#include <random>

#include "cuda_plan/pass_events.hpp"
#include "segmint/detail/user_walk.hpp"
#include "summary_expect.hpp"
#include "segmint/features.hpp"

namespace segmint::cuda_plan {
namespace {

using namespace segmint::detail;  // the walks under test

EventBatch random_events(std::uint32_t users, std::size_t events, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  auto pick = [&rng](std::uint64_t n) { return static_cast<std::uint64_t>(rng() % n); };
  EventBatch b;
  for (std::size_t i = 0; i < events; ++i) {
    const std::int64_t t = 1569888000 + static_cast<std::int64_t>(pick(40)) * 43200 +
                           static_cast<std::int64_t>(pick(4000)) - 7200;
    const double amount = pick(4) == 0 ? 0.0 : (static_cast<double>(pick(200000)) - 20000) / 100.0;
    auto key = [&](std::uint64_t pool) { return pick(5) == 0 ? kNoKey : 1 + pick(pool); };
    b.push_back(static_cast<std::uint32_t>(pick(users)), t,
                static_cast<EventType>(pick(kEventTypeCount)), amount, key(50), key(12), key(30),
                key(25));
  }
  return b;
}

EventColumns columns(const EventBatch& b) {
  return {b.time.data(), b.amount.data(), b.item.data(), b.category.data(), b.session.data(),
          b.order.data(), b.user.data(), reinterpret_cast<const std::uint8_t*>(b.type.data())};
}

// The device pass on the CPU: sort by (user, time), walk each user, then sort each user's rows by
// each set key and walk the runs.
std::vector<detail::UserSummary> emulate_pass(const EventBatch& b, std::size_t users,
                                              std::int64_t gap, std::int64_t tz) {
  const EventColumns c = columns(b);
  std::vector<std::uint32_t> perm(b.size());
  std::iota(perm.begin(), perm.end(), 0u);
  std::stable_sort(perm.begin(), perm.end(), [&b](std::uint32_t x, std::uint32_t y) {
    return b.user[x] != b.user[y] ? b.user[x] < b.user[y] : b.time[x] < b.time[y];
  });
  std::vector<std::int64_t> off(users + 1, 0);
  for (std::uint32_t u : b.user) off[u + 1] += 1;
  for (std::size_t u = 0; u < users; ++u) off[u + 1] += off[u];
  std::vector<detail::UserSummary> out(users);
  for (std::size_t u = 0; u < users; ++u) {
    walk_scalar(c, perm.data(), off[u], off[u + 1], gap, tz, out[u]);
  }
  std::vector<std::uint64_t> keys(b.size());
  std::vector<std::uint32_t> rows(b.size());
  for (SetKind k : kSetKinds) {
    std::vector<std::pair<std::uint64_t, std::uint32_t>> kv(b.size());
    for (std::size_t p = 0; p < b.size(); ++p) kv[p] = {set_key(k, c, perm[p], tz), perm[p]};
    for (std::size_t u = 0; u < users; ++u) {
      std::sort(kv.begin() + off[u], kv.begin() + off[u + 1]);
    }
    for (std::size_t p = 0; p < b.size(); ++p) std::tie(keys[p], rows[p]) = kv[p];
    for (std::size_t u = 0; u < users; ++u) {
      walk_set(k, c, keys.data(), rows.data(), off[u], off[u + 1], out[u]);
    }
  }
  return out;
}

TEST(UserWalk, OnePassEqualsTheUserTableExactly) {
  for (std::uint64_t seed : {1, 2, 3}) {
    const EventBatch b = random_events(300, 12000, seed);
    const AggregateOptions a = test::seeded_options(seed);
    UserTable t(a);
    t.add(b);
    const auto got = emulate_pass(b, t.users(), a.session_gap_seconds,
                                  static_cast<std::int64_t>(a.tz_offset_minutes) * 60);
    ASSERT_EQ(got.size(), t.users());
    for (std::size_t u = 0; u < got.size(); ++u) {
      test::expect_same_summary(got[u], t.summary(u), u);
    }
  }
}

TEST(UserWalk, SegmentStartIsTheLowerBoundOfEachUser) {
  std::mt19937_64 rng(3);
  for (std::size_t n : {0, 1, 2, 255, 256, 257, 5000}) {
    std::vector<std::uint64_t> keys(n);
    for (auto& k : keys) k = rng() % 40;  // users 0..39, some without rows
    std::sort(keys.begin(), keys.end());
    for (std::uint64_t u = 0; u <= 41; ++u) {
      const auto want = std::lower_bound(keys.begin(), keys.end(), u) - keys.begin();
      ASSERT_EQ(segment_start(keys.data(), n, u), static_cast<std::uint64_t>(want)) << n << " " << u;
    }
  }
}

TEST(UserWalk, MultiPassPlanGivesTheSameFeatureMatrixAsTheCpu) {
  const EventBatch b = random_events(900, 20000, 4);
  UserTable t{AggregateOptions{}};
  t.add(b);
  std::int64_t as_of = 0;
  const FeatureMatrix cpu = compute_features(t, FeatureOptions{}, &as_of);
  const std::int64_t first = *std::min_element(b.time.begin(), b.time.end());

  std::vector<std::uint32_t> per_user(t.users(), 0);
  for (std::uint32_t u : b.user) per_user[u] += 1;
  DeviceCosts costs;
  costs.fixed_bytes = 1000;
  const PartitionPlan plan = plan_partition(per_user, 1000 + 112 * 6000 + 384 * 300, costs);
  ASSERT_GE(plan.passes, 3u);
  std::vector<float> values(cpu.values.size(), -1.f);
  for (std::uint32_t p = 0; p < plan.passes; ++p) {
    EventBatch pass;
    append_pass_rows(b, plan, p, pass);
    const auto globals = users_of_pass(plan, p);
    const auto sums = emulate_pass(pass, globals.size(), 1800, 0);
    for (std::size_t i = 0; i < globals.size(); ++i) {
      detail::compute_feature_row(sums[i], as_of, first,
                                  values.data() + std::size_t{globals[i]} * cpu.cols);
    }
  }
  EXPECT_EQ(values, cpu.values);
}

}  // namespace
}  // namespace segmint::cuda_plan
