// No exception escapes an OpenMP region (issue 13, defect 2): OmpGuard keeps the first one and
// rethrows it after the region; the aggregation refuses a --memory-budget it would exceed.
#include <gtest/gtest.h>

#include <atomic>
#include <new>
#include <stdexcept>

#include "common/omp_guard.hpp"
#include "features_fixture.hpp"

namespace segmint::test {
namespace {

TEST(OmpGuard, FirstExceptionIsRethrownAfterTheRegion) {
  OmpGuard guard;
  std::atomic<int> ran{0};
#pragma omp parallel for schedule(static, 1) num_threads(4)
  for (int i = 0; i < 1000; ++i) {
    guard.run([&] {
      ++ran;
      if (i == 3) throw std::bad_alloc();
      if (i == 500) throw std::runtime_error("later");
    });
  }
  EXPECT_TRUE(guard.failed());
  EXPECT_LT(ran.load(), 1000 + 1);
  // Either throw may come first in time; whichever it was is the one rethrown, exactly once.
  bool caught = false;
  try {
    guard.rethrow();
  } catch (const std::bad_alloc&) {
    caught = true;
  } catch (const std::runtime_error&) {
    caught = true;
  }
  EXPECT_TRUE(caught);
}

TEST(OmpGuard, NothingThrownNothingRethrown) {
  OmpGuard guard;
  std::atomic<int> ran{0};
#pragma omp parallel for num_threads(3)
  for (int i = 0; i < 100; ++i) guard.run([&] { ++ran; });
  EXPECT_FALSE(guard.failed());
  EXPECT_NO_THROW(guard.rethrow());
  EXPECT_EQ(ran.load(), 100);
}

TEST(MemoryBudget, AggregationRefusesBeforeExceedingIt) {
  AggregateOptions o;
  o.threads = 2;
  const EventBatch b = random_events(20000, 3000, 5);
  UserTable unlimited(o);
  unlimited.add(b);
  const std::size_t need = unlimited.memory_bytes();
  EXPECT_GT(need, 3000 * sizeof(void*));

  o.memory_budget = need / 4;
  UserTable limited(o);
  try {
    limited.add(b);
    FAIL() << "the budget was not enforced";
  } catch (const RuntimeError& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("memory budget of"), std::string::npos) << what;
    EXPECT_NE(what.find("--memory-budget"), std::string::npos) << what;
  }

  o.memory_budget = 64 * need;  // generous: same result as no budget
  UserTable roomy(o);
  roomy.add(b);
  EXPECT_EQ(compute_features(roomy, {}).values, compute_features(unlimited, {}).values);
}

TEST(MemoryBudget, FeatureMatrixIsCheckedBeforeAllocating) {
  AggregateOptions o;
  const EventBatch b = random_events(2000, 500, 6);
  UserTable t(o);
  t.add(b);
  t.set_memory_budget(t.memory_bytes() + 10);  // the table fits, its feature matrix does not
  EXPECT_THROW(compute_features(t, {}), RuntimeError);
}

}  // namespace
}  // namespace segmint::test
