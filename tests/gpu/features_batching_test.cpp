// Device features do not depend on transfer chunking, row order, stream count or the number of
// passes the users are split into; two runs are bit-identical.
#include <algorithm>
#include <numeric>
#include <random>

#include "features_gpu_support.hpp"

namespace segmint::test {
namespace {

EventBatch shuffled(const EventBatch& b, std::uint64_t seed) {
  std::vector<std::size_t> order(b.size());
  std::iota(order.begin(), order.end(), 0);
  std::shuffle(order.begin(), order.end(), std::mt19937_64(seed));
  EventBatch out;
  for (std::size_t r : order) {
    out.push_back(b.user[r], b.time[r], b.type[r], b.amount[r], b.item[r], b.category[r],
                  b.session[r], b.order[r]);
  }
  return out;
}

TEST(GpuFeaturesBatching, ChunkSizeStreamsAndRowOrderDoNotChangeAnyBit) {
  SEGMINT_SKIP_WITHOUT_GPU();
  const EventBatch b = random_events(700, 30000, 11);
  const FeatureMatrix base = compute_features_gpu(b, AggregateOptions{}, FeatureOptions{});
  GpuFeatureOptions small;
  small.max_rows_per_chunk = 777;  // 39 chunks through 2 slots
  GpuFeatureOptions three;
  three.streams = 3;
  three.max_rows_per_chunk = 4096;
  EXPECT_EQ(compute_features_gpu(b, AggregateOptions{}, FeatureOptions{}, small).values,
            base.values);
  EXPECT_EQ(compute_features_gpu(b, AggregateOptions{}, FeatureOptions{}, three).values,
            base.values);
  EXPECT_EQ(compute_features_gpu(shuffled(b, 5), AggregateOptions{}, FeatureOptions{}).values,
            base.values);
  EXPECT_EQ(compute_features_gpu(b, AggregateOptions{}, FeatureOptions{}).values, base.values);
}

TEST(GpuFeaturesBatching, MultiPassEqualsSinglePass) {
  SEGMINT_SKIP_WITHOUT_GPU();
  const EventBatch b = random_events(2000, 60000, 12);
  GpuFeatureTimes one_t, many_t;
  const FeatureMatrix one =
      compute_features_gpu(b, AggregateOptions{}, FeatureOptions{}, {}, &one_t);
  GpuFeatureOptions tight;
  // The fixed reserve (64 MiB) plus room for about a third of these events: several passes.
  tight.device_budget = (64u << 20) + 2'500'000;
  const FeatureMatrix many =
      compute_features_gpu(b, AggregateOptions{}, FeatureOptions{}, tight, &many_t);
  EXPECT_EQ(one_t.passes, 1u);
  EXPECT_GE(many_t.passes, 2u);
  EXPECT_FALSE(one_t.spilled);
  EXPECT_TRUE(many_t.spilled);  // streamed until the budget ran out, then the multi-pass plan
  EXPECT_EQ(many.values, one.values);
  expect_features_near(many, cpu_features(b, AggregateOptions{}, FeatureOptions{}));
}

}  // namespace
}  // namespace segmint::test
