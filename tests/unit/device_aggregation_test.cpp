// The streamed, multi-batch, multi-pass device aggregation emulated on the CPU with the kernels'
// own __host__ __device__ functions (device_pass_emulation.hpp): per-user summaries and feature
// rows equal the CPU UserTable's bit for bit, for any batch and ring-chunk split, for heavy users
// walked in chunks, and for a multi-pass plan whose rows travel through packed slots.
#include <gtest/gtest.h>

#include <cstring>
#include <random>

#include "cuda_plan/pass_events.hpp"
#include "cuda_plan/ring.hpp"
#include "device_pass_emulation.hpp"
#include "segmint/features.hpp"
#include "summary_expect.hpp"

namespace segmint::test {
namespace {

using cuda_plan::PartitionPlan;

/// Random events of `users` users plus a few heavy ones (thousands of events, long sessions and
/// orders), keys drawn from small pools, some category keys ~0 (in the set, sorted with the rows
/// outside it), and unknown type codes past the known ones.
EventBatch events_with_heavy_users(std::uint32_t users, std::size_t events, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  auto pick = [&rng](std::uint64_t n) { return static_cast<std::uint64_t>(rng() % n); };
  EventBatch b;
  for (std::size_t i = 0; i < events; ++i) {
    const bool heavy = pick(4) == 0;
    const auto u = static_cast<std::uint32_t>(heavy ? pick(3) * 7 : pick(users));
    const std::int64_t t = 1569888000 + static_cast<std::int64_t>(pick(40)) * 43200 +
                           static_cast<std::int64_t>(pick(heavy ? 400 : 4000)) - 7200;
    const double amount = pick(4) == 0 ? 0.0 : (static_cast<double>(pick(200000)) - 20000) / 100.0;
    auto key = [&](std::uint64_t pool) { return pick(5) == 0 ? kNoKey : 1 + pick(pool); };
    std::uint64_t category = pick(50) == 0 ? ~std::uint64_t{0} : key(12);
    const auto type = static_cast<EventType>(pick(kEventTypeCount + 2));
    b.push_back(u, t, type, amount, key(50), category, heavy ? key(3) : key(30), key(25));
  }
  return b;
}

/// Events through random batches and ring chunks of one streamed pass.
std::vector<detail::UserSummary> streamed(const EventBatch& all, std::size_t users,
                                          const AggregateOptions& a, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  EmulatedPass pass;
  pass.users = users;
  pass.gap = a.session_gap_seconds;
  pass.tz = static_cast<std::int64_t>(a.tz_offset_minutes) * 60;
  cuda_plan::RingCursor ring(cuda_plan::plan_ring(1 << 20, 53, 53 * 2 * (50 + rng() % 900), 2));
  for (std::size_t first = 0; first < all.size();) {
    const std::size_t rows = std::min<std::size_t>(all.size() - first, 1 + rng() % 5000);
    for (const cuda_plan::RingStep& st : ring.next(rows)) {
      pass.fold_chunk(all, first + st.first_row, st.rows, {}, rng);
    }
    first += rows;
  }
  return pass.finish(rng);
}

TEST(DeviceAggregation, StreamedBatchesAndHeavyUsersEqualTheUserTableBitForBit) {
  for (std::uint64_t seed : {1, 2, 3, 4}) {
    const EventBatch b = events_with_heavy_users(400, 40000, seed);
    const AggregateOptions a = seeded_options(seed);
    UserTable t(a);
    t.add(b);
    t.ensure_users(t.users() + 5);  // dictionary users without events
    const auto got = streamed(b, t.users(), a, seed);
    ASSERT_EQ(got.size(), t.users());
    for (std::size_t u = 0; u < got.size(); ++u) expect_same_summary(got[u], t.summary(u), u);
  }
}

template <class T>
const T* column_at(const std::vector<std::uint64_t>& slot, std::size_t offset) {
  return reinterpret_cast<const T*>(reinterpret_cast<const char*>(slot.data()) + offset);
}

/// Appends the `rows` rows of a packed slot (packed_layout) to `out`, as the column copies of
/// the ring land them in the device columns.
void land_packed(const std::vector<std::uint64_t>& slot, std::size_t rows, EventBatch& out) {
  const cuda_plan::PackedLayout l = cuda_plan::packed_layout(rows);
  for (std::size_t i = 0; i < rows; ++i) {
    out.push_back(
        column_at<std::uint32_t>(slot, l.user)[i], column_at<std::int64_t>(slot, l.time)[i],
        static_cast<EventType>(column_at<std::uint8_t>(slot, l.type)[i]),
        column_at<double>(slot, l.amount)[i], column_at<std::uint64_t>(slot, l.item)[i],
        column_at<std::uint64_t>(slot, l.category)[i], column_at<std::uint64_t>(slot, l.session)[i],
        column_at<std::uint64_t>(slot, l.order)[i]);
  }
}

TEST(DeviceAggregation, MultiPassPlanThroughPackedSlotsEqualsOnePassAndTheCpu) {
  const EventBatch b = events_with_heavy_users(900, 30000, 5);
  UserTable t{AggregateOptions{}};
  t.add(b);
  std::int64_t as_of = 0;
  const FeatureMatrix cpu = compute_features(t, FeatureOptions{}, &as_of);
  const std::int64_t first = t.event_time_range().first;

  std::vector<std::uint32_t> per_user(t.users(), 0);
  for (std::uint32_t u : b.user) per_user[u] += 1;
  cuda_plan::DeviceCosts costs;
  costs.fixed_bytes = 1000;
  const PartitionPlan plan =
      cuda_plan::plan_partition(per_user, 1000 + 112 * 12000 + 384 * 300, costs);
  ASSERT_GE(plan.passes, 3u);
  const cuda_plan::PassRows index = cuda_plan::rows_by_pass(b, plan);  // partition once
  const cuda_plan::PassUsers users = cuda_plan::users_by_pass(plan);
  std::mt19937_64 rng(9);
  std::vector<float> values(cpu.values.size(), -1.f);
  for (std::uint32_t p = 0; p < plan.passes; ++p) {
    EmulatedPass pass;
    pass.users = users.count(p);
    cuda_plan::RingCursor ring(cuda_plan::plan_ring(1 << 20, 53, 53 * 2 * 700, 2));
    EventBatch landed;  // this pass's rows as they arrive on the device, local user indices
    for (const cuda_plan::RingStep& st : ring.next(index.count(p))) {
      std::vector<std::uint64_t> slot(cuda_plan::packed_layout(st.rows).bytes / 8);
      cuda_plan::pack_rows_at(b, index.of(p) + st.first_row, st.rows, plan.local, slot.data());
      const std::size_t at = landed.size();
      land_packed(slot, st.rows, landed);
      pass.fold_chunk(landed, at, st.rows, {}, rng);
    }
    const auto sums = pass.finish(rng);
    for (std::size_t i = 0; i < sums.size(); ++i) {
      detail::compute_feature_row(sums[i], as_of, first,
                                  values.data() + std::size_t{users.of(p)[i]} * cpu.cols);
    }
  }
  EXPECT_EQ(values, cpu.values);
  const auto one = streamed(b, t.users(), AggregateOptions{}, 17);
  for (std::size_t u = 0; u < one.size(); ++u) expect_same_summary(one[u], t.summary(u), u);
}

}  // namespace
}  // namespace segmint::test
