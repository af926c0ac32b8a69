// Device features with one user of 10^5 events among users of 3 (issue 12): one segment that
// spans hundreds of blocks and CUB's large-segment path of the segmented sorts, next to thousands
// of tiny ones; against the CPU backend in one pass, in several passes and through a tiny ring.
#include "features_gpu_support.hpp"

namespace segmint::test {
namespace {

void append_row(EventBatch& dst, const EventBatch& src, std::size_t r, std::uint32_t user) {
  dst.push_back(user, src.time[r], src.type[r], src.amount[r], src.item[r], src.category[r],
                src.session[r], src.order[r]);
}

/// Users 0..light with 3 events each, except user `heavy` with `heavy_events`, interleaved.
EventBatch heavy_and_light(std::uint32_t light, std::uint32_t heavy, std::size_t heavy_events) {
  const EventBatch many = random_events(1, heavy_events, 41);
  EventBatch b;
  std::size_t h = 0;
  for (std::uint32_t u = 0; u <= light; ++u) {
    if (u == heavy) continue;
    const EventBatch three = random_events(1, 3, 1000 + u);
    for (std::size_t r = 0; r < 3; ++r) append_row(b, three, r, u);
    for (const std::size_t stop = heavy_events * (u + 1) / (light + 1); h < stop; ++h)
      append_row(b, many, h, heavy);
  }
  for (; h < heavy_events; ++h) append_row(b, many, h, heavy);
  return b;
}

TEST(GpuFeaturesHeavyUser, OneUserWithAHundredThousandEventsMatchesTheCpuBackend) {
  SEGMINT_SKIP_WITHOUT_GPU();
  const std::uint32_t light = 20000, heavy = 7777;
  const EventBatch b = heavy_and_light(light, heavy, 100000);
  std::size_t heavy_rows = 0;
  for (std::uint32_t u : b.user) heavy_rows += u == heavy;
  ASSERT_EQ(heavy_rows, 100000u);
  const FeatureMatrix cpu = cpu_features(b, AggregateOptions{}, FeatureOptions{});
  GpuFeatureTimes one_t, many_t;
  const FeatureMatrix one =
      compute_features_gpu(b, AggregateOptions{}, FeatureOptions{}, {}, &one_t);
  expect_features_near(one, cpu);
  EXPECT_EQ(one_t.passes, 1u);
  GpuFeatureOptions tight;
  tight.device_budget = (64u << 20) + 14'000'000;  // several passes; the heavy user fits in one
  tight.max_rows_per_chunk = 1000;                 // and a ring of many small chunks
  const FeatureMatrix many =
      compute_features_gpu(b, AggregateOptions{}, FeatureOptions{}, tight, &many_t);
  EXPECT_GE(many_t.passes, 2u);
  EXPECT_EQ(many.values, one.values);
}

}  // namespace
}  // namespace segmint::test
