// The one splitmix64 (segmint/detail/rng.hpp): the reference sequence, the k-means stream and the
// generator seeding built on it, uniformity of the draws, and the restart seed rule.
#include <gtest/gtest.h>

#include "backends/kmeans_driver.hpp"
#include "segmint/detail/rng.hpp"

namespace segmint::detail {
namespace {

TEST(Rng, Splitmix64MatchesTheReferenceSequence) {
  // Vigna's splitmix64.c from state 0.
  std::uint64_t s = 0;
  EXPECT_EQ(splitmix64(s), 0xE220A8397B1DCDAFull);
  EXPECT_EQ(splitmix64(s), 0x6E789E6AA1B965F4ull);
  EXPECT_EQ(splitmix64(s), 0x06C45D188009454Full);
}

TEST(Rng, Mix64IsOneStepAndTheStreamFollowsIt) {
  for (std::uint64_t z : {0ull, 1ull, 42ull, ~0ull}) {
    EXPECT_EQ(mix64(z), splitmix64_finalize(z + kGolden64));
    Rng r(z);
    EXPECT_EQ(r.next(), mix64(z + kGolden64));
    EXPECT_EQ(r.next(), mix64(z + 2 * kGolden64));
  }
}

TEST(Rng, ReproducibleAndUniformEnough) {
  Rng a(42), b(42);
  for (int i = 0; i < 5; ++i) EXPECT_EQ(a.next(), b.next());
  Rng s(7);
  int counts[4] = {0, 0, 0, 0};
  for (int i = 0; i < 4000; ++i) ++counts[s.below(4)];
  for (int c : counts) EXPECT_NEAR(c, 1000, 150);
  for (int i = 0; i < 1000; ++i) {
    const double u = s.uniform();
    ASSERT_GE(u, 0.0);
    ASSERT_LT(u, 1.0);
  }
}

TEST(Rng, HashUniformDependsOnEveryCoordinate) {
  const double u = hash_uniform(1, 2, 3);
  EXPECT_GE(u, 0.0);
  EXPECT_LT(u, 1.0);
  EXPECT_EQ(u, hash_uniform(1, 2, 3));
  EXPECT_NE(u, hash_uniform(0, 2, 3));
  EXPECT_NE(u, hash_uniform(1, 0, 3));
  EXPECT_NE(u, hash_uniform(1, 2, 0));
}

TEST(Rng, RestartSeedRule) {
  EXPECT_EQ(restart_seed(5, 0), mix64(5));
  EXPECT_EQ(restart_seed(5, 3), mix64(5 + 3 * kGolden64));
  EXPECT_NE(restart_seed(1, 0), restart_seed(1, 1));
}

}  // namespace
}  // namespace segmint::detail
