// The restart driver written once: a fake engine records what the driver asked for (seeds,
// init methods, starts, tolerance), so the seed rule, n_init keep-best (first on ties), given
// centroids forcing one run, and the input check before any engine work are checked directly.
#include "backends/kmeans_driver.hpp"

#include <gtest/gtest.h>

#include <limits>
#include <string>
#include <vector>

#include "kmeans_test_data.hpp"
#include "segmint/error.hpp"

namespace segmint::test {
namespace {

struct Call {
  std::string what;
  std::uint64_t seed = 0;
};

class FakeEngine final : public KMeansEngine {
 public:
  explicit FakeEngine(std::vector<double> inertias) : inertias_(std::move(inertias)) {}

  void prepare(MatrixView x, const float*, const KMeansParams& p) override {
    ++prepared;
    k_ = p.k;
    d_ = x.cols;
  }
  double variance_sum() override {
    ++variance_calls;
    return 6.0;
  }
  std::vector<float> init_plus_plus(std::uint64_t seed) override { return start("++", seed); }
  std::vector<float> init_parallel(std::uint64_t seed, double oversampling, int rounds) override {
    last_oversampling = oversampling;
    last_rounds = rounds;
    return start("||", seed);
  }
  std::vector<float> init_random(std::uint64_t seed) override { return start("random", seed); }
  KMeansResult lloyd(std::vector<float> s, double tol_abs) override {
    starts.push_back(s);
    tols.push_back(tol_abs);
    KMeansResult r;
    r.centroids = std::move(s);
    r.inertia = inertias_.at(starts.size() - 1);
    r.iterations = static_cast<int>(starts.size());  // tells the runs apart
    return r;
  }

  bool tests_matrix_in_lloyd(const KMeansParams&) const override { return tests_matrix; }

  bool tests_matrix = false;
  int prepared = 0, variance_calls = 0, last_rounds = 0;
  double last_oversampling = 0;
  std::vector<Call> inits;
  std::vector<std::vector<float>> starts;
  std::vector<double> tols;

 private:
  std::vector<float> start(const char* what, std::uint64_t seed) {
    inits.push_back({what, seed});
    return std::vector<float>(static_cast<std::size_t>(k_) * d_, static_cast<float>(inits.size()));
  }
  std::vector<double> inertias_;
  int k_ = 0;
  std::size_t d_ = 0;
};

KMeansParams params(int k, int n_init, InitMethod init, std::uint64_t seed) {
  KMeansParams p;
  p.k = k;
  p.n_init = n_init;
  p.init = init;
  p.seed = seed;
  return p;
}

TEST(KMeansDriver, EachRestartGetsTheSeedRuleAndTheInitMethod) {
  auto m = column({0, 1, 2, 3, 4, 5});
  for (InitMethod init :
       {InitMethod::kmeans_plus_plus, InitMethod::kmeans_parallel, InitMethod::random}) {
    FakeEngine e({9, 8, 7});
    run_kmeans(e, m.view(), nullptr, params(2, 3, init, 77));
    EXPECT_EQ(e.prepared, 1);
    ASSERT_EQ(e.inits.size(), 3u);
    const char* name = init == InitMethod::random            ? "random"
                       : init == InitMethod::kmeans_parallel ? "||"
                                                             : "++";
    for (int r = 0; r < 3; ++r) {
      EXPECT_EQ(e.inits[r].what, name);
      EXPECT_EQ(e.inits[r].seed, restart_seed(77, r));
    }
  }
}

TEST(KMeansDriver, RestartRIsTheSameRunWhateverNInit) {
  auto m = column({0, 1, 2, 3});
  FakeEngine one({1}), four({4, 3, 2, 1});
  run_kmeans(one, m.view(), nullptr, params(2, 1, InitMethod::kmeans_plus_plus, 5));
  run_kmeans(four, m.view(), nullptr, params(2, 4, InitMethod::kmeans_plus_plus, 5));
  EXPECT_EQ(one.inits[0].seed, four.inits[0].seed);
}

TEST(KMeansDriver, KeepsTheLowestInertiaAndTheFirstOnTies) {
  auto m = column({0, 1, 2, 3});
  FakeEngine e({5, 3, 4, 3});
  const KMeansResult r = run_kmeans(e, m.view(), nullptr, params(2, 4, InitMethod::random, 1));
  EXPECT_EQ(r.best_init, 1);
  EXPECT_EQ(r.iterations, 2);  // the second run's own result, not a later tie
  EXPECT_EQ(r.inertia, 3);
}

TEST(KMeansDriver, ParallelInitGetsOversamplingAndRounds) {
  auto m = column({0, 1, 2, 3});
  FakeEngine e({1});
  KMeansParams p = params(2, 1, InitMethod::kmeans_parallel, 1);
  p.oversampling = 3.5;
  p.parallel_rounds = 7;
  run_kmeans(e, m.view(), nullptr, p);
  EXPECT_EQ(e.last_oversampling, 3.5);
  EXPECT_EQ(e.last_rounds, 7);
}

TEST(KMeansDriver, GivenCentroidsForceOneRunFromThemWithoutAnInit) {
  auto m = column({0, 1, 2, 3});
  FakeEngine e({2, 1});
  KMeansParams p = params(2, 5, InitMethod::given, 1);
  p.initial_centroids = {0.5f, 2.5f};
  const KMeansResult r = run_kmeans(e, m.view(), nullptr, p);
  EXPECT_TRUE(e.inits.empty());
  ASSERT_EQ(e.starts.size(), 1u);
  EXPECT_EQ(e.starts[0], p.initial_centroids);
  EXPECT_EQ(r.best_init, 0);
}

TEST(KMeansDriver, ToleranceIsRelativeToTheFeatureVariance) {
  auto m = column({0, 1, 2, 3});
  FakeEngine e({1, 1});
  KMeansParams p = params(2, 2, InitMethod::random, 1);
  p.tol = 0.5;
  run_kmeans(e, m.view(), nullptr, p);
  EXPECT_EQ(e.variance_calls, 1);  // once per fit, not per restart
  EXPECT_EQ(e.tols, (std::vector<double>{3.0, 3.0}));  // 0.5 * 6 / d (= 1)
  FakeEngine zero({1});
  p.tol = 0;
  p.n_init = 1;
  run_kmeans(zero, m.view(), nullptr, p);
  EXPECT_EQ(zero.variance_calls, 0);
  EXPECT_EQ(zero.tols, (std::vector<double>{0.0}));
}

TEST(KMeansDriver, BadInputStopsBeforeTheEngineWithOneMessage) {
  auto m = column({0, 1, 2});
  FakeEngine e({1});
  try {
    run_kmeans(e, m.view(), nullptr, params(4, 1, InitMethod::random, 1));
    FAIL() << "k > rows was accepted";
  } catch (const InputError& err) {
    EXPECT_STREQ(err.what(), "k = 4 is more than the 3 users (rows) to segment");
  }
  KMeansParams nan_start = params(2, 1, InitMethod::given, 1);
  nan_start.initial_centroids = {0.f, std::numeric_limits<float>::quiet_NaN()};
  EXPECT_THROW(run_kmeans(e, m.view(), nullptr, nan_start), InputError);
  KMeansParams no_iter = params(2, 1, InitMethod::random, 1);
  no_iter.max_iter = 0;
  EXPECT_THROW(run_kmeans(e, m.view(), nullptr, no_iter), UsageError);
  EXPECT_EQ(e.prepared, 0);
  EXPECT_TRUE(e.starts.empty());
}

TEST(KMeansDriver, AnEngineThatTestsTheMatrixInLloydGetsItUnscanned) {
  auto m = column({0, 1, std::numeric_limits<float>::quiet_NaN()});
  KMeansParams p = params(2, 1, InitMethod::given, 1);
  p.initial_centroids = {0.f, 1.f};
  FakeEngine scanned({1});
  EXPECT_THROW(run_kmeans(scanned, m.view(), nullptr, p), InputError);
  EXPECT_TRUE(scanned.starts.empty());
  FakeEngine tests({1});
  tests.tests_matrix = true;  // its lloyd() tests the values: the driver does not scan them
  run_kmeans(tests, m.view(), nullptr, p);
  EXPECT_EQ(tests.starts.size(), 1u);
}

}  // namespace
}  // namespace segmint::test
