// lloyd's last pass (kmeans::final_pass): labels, distances and inertia in one pass, bit for bit
// what the separate passes gave (assign_pass or label_distances, then weighted_sum and a square
// root per row), on every kernel, 1 and 2 threads, with and without weights, without bounds and
// with bounds that prove most rows while others change label. Rows: two whole chunks and a
// partial one ending in a partial tile; clusters of skewed sizes.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "kmeans/bounds.hpp"
#include "kmeans/cpu_kmeans.hpp"
#include "kmeans_test_data.hpp"
#include "segmint/error.hpp"

namespace segmint::test {
namespace {

using kmeans::KernelIsa;

using Case = KMeansCase;

Case random_case(int d, int k, std::uint64_t seed) {
  std::mt19937_64 gen(seed);
  std::uniform_real_distribution<float> centre(-10.f, 10.f), unit(0.f, 1.f), weight(0.f, 3.f);
  std::normal_distribution<float> noise(0.f, 2.f);
  Case t{2 * kmeans::kChunkRows + 45, d, k, {}, {}, {}};
  std::vector<float> centres(static_cast<std::size_t>(k) * d);
  for (auto& v : centres) v = centre(gen);
  t.x.resize(t.n * d);
  for (std::size_t i = 0; i < t.n; ++i) {
    const int c = static_cast<int>(unit(gen) * unit(gen) * k);  // skewed: low ids more often
    for (int j = 0; j < d; ++j) t.x[i * d + j] = centres[c * d + j] + noise(gen);
  }
  t.w.resize(t.n);
  for (auto& v : t.w) v = unit(gen) < 0.1f ? 0.f : weight(gen);
  t.c.assign(t.x.begin(), t.x.begin() + static_cast<std::size_t>(k) * d);
  return t;
}

struct Out {
  std::vector<std::int32_t> labels;
  std::vector<float> dist;
  double inertia = 0;
};

// The separate passes' result from labels `start`: relabel with assign_pass (distances) or keep
// the labels (label_distances); then weighted_sum and the roots.
Out separate(const Case& t, const float* w, const kmeans::CentroidTable& table,
             std::vector<std::int32_t> start, bool relabel, int threads) {
  Out o{std::move(start), std::vector<float>(t.n), 0};
  if (relabel)
    kmeans::assign_pass(t.view(), w, table, o.labels.data(), o.dist.data(), nullptr, threads);
  else
    kmeans::label_distances(t.view(), table, o.labels.data(), o.dist.data(), threads);
  o.inertia = kmeans::weighted_sum(o.dist.data(), w, t.n, threads);
  for (float& v : o.dist) v = std::sqrt(v);
  return o;
}

void expect_same(const Out& want, const Out& got, const std::string& tag) {
  EXPECT_EQ(got.labels, want.labels) << tag;
  EXPECT_EQ(std::memcmp(got.dist.data(), want.dist.data(), sizeof(float) * want.dist.size()), 0)
      << tag;
  EXPECT_EQ(std::memcmp(&got.inertia, &want.inertia, sizeof(double)), 0)
      << tag << " inertia " << got.inertia << " want " << want.inertia;
}

// Bounds for centroids c0 (a refreshing pass from labels -1), then moved to c1.
void bounds_for(const Case& t, const std::vector<float>& c0, const std::vector<float>& c1,
                kmeans::RowBounds& bounds, std::vector<std::int32_t>& labels, int threads) {
  kmeans::CentroidTable table;
  table.load(c0.data(), t.k, t.d);
  kmeans::PassTotals totals;
  labels.assign(t.n, -1);
  const kmeans::BoundArgs refresh = bounds.args();
  kmeans::assign_pass(t.view(), nullptr, table, labels.data(), nullptr, &totals, threads, &refresh);
  bounds.shift(c0.data(), c1.data());
}

TEST(KMeansFinalPass, SameBytesAsTheSeparatePasses) {
  for (int d : {3, 16, 33})
    for (int k : {5, 16, 40}) {
      const Case t = random_case(d, k, 100 * d + k);
      // c1: c0 moved a little, so a few rows change label and the bounds prove most of the rest.
      std::vector<float> c1 = t.c;
      std::mt19937_64 gen(d + k);
      std::normal_distribution<float> nudge(0.f, 0.05f);
      for (auto& v : c1) v += nudge(gen);
      kmeans::CentroidTable table;
      table.load(c1.data(), t.k, t.d);
      for (KernelIsa isa : kmeans::runnable_kernel_isas())
        for (int threads : {1, 2})
          for (bool weighted : {false, true}) {
            kmeans::force_kernel_isa(isa);
            const float* w = weighted ? t.w.data() : nullptr;
            const std::string tag =
                (::testing::Message() << "d " << d << " k " << k << " isa " << static_cast<int>(isa)
                                      << " threads " << threads << " weights " << weighted)
                    .GetString();
            // Labels for c0: where the relabel starts.
            kmeans::RowBounds bounds(t.n, t.k, t.d), twin(t.n, t.k, t.d);
            std::vector<std::int32_t> start, twin_start;
            bounds_for(t, t.c, c1, bounds, start, threads);
            bounds_for(t, t.c, c1, twin, twin_start, threads);
            ASSERT_EQ(start, twin_start);

            const Out want = separate(t, w, table, start, true, threads);
            std::size_t moved = 0;
            for (std::size_t i = 0; i < t.n; ++i) moved += want.labels[i] != start[i];
            ASSERT_GT(moved, 0u) << tag << ": the relabel must move some rows";

            for (bool bounded : {false, true}) {
              Out got{start, std::vector<float>(t.n), 0};
              const kmeans::BoundArgs b = bounded ? bounds.args() : kmeans::BoundArgs{};
              got.inertia =
                  kmeans::final_pass(t.view(), w, table, got.labels.data(), got.dist.data(), true,
                                     bounded ? &b : nullptr, threads);
              expect_same(want, got, tag + (bounded ? " bounded" : " unbounded"));
              if (bounded) {  // the twin's bounds, in a pass that counts: most rows proven
                kmeans::PassTotals totals;
                std::vector<std::int32_t> labels = start;
                const kmeans::BoundArgs tb = twin.args();
                kmeans::assign_pass(t.view(), nullptr, table, labels.data(), nullptr, &totals,
                                    threads, &tb);
                ASSERT_TRUE(tb.shift && b.shift) << tag;
                EXPECT_GT(totals.skipped * 2, t.n) << tag;
              }
            }
            // No relabel: the labels as they are.
            const Out keep = separate(t, w, table, start, false, threads);
            Out got{start, std::vector<float>(t.n), 0};
            got.inertia = kmeans::final_pass(t.view(), w, table, got.labels.data(), got.dist.data(),
                                             false, nullptr, threads);
            expect_same(keep, got, tag + " no relabel");
            kmeans::reset_kernel_isa();
          }
    }
}

TEST(KMeansFinalPass, BoundsWithDistancesGiveNoTotals) {
  // The bounded kernel with distances is the last pass: it folds no sums, so a caller asking
  // for totals as well is refused, not handed stale ones.
  const Case t = random_case(4, 5, 7);
  kmeans::CentroidTable table;
  table.load(t.c.data(), t.k, t.d);
  kmeans::RowBounds bounds(t.n, t.k, t.d);
  const kmeans::BoundArgs b = bounds.args();
  std::vector<std::int32_t> labels(t.n, -1);
  std::vector<float> dist(t.n);
  kmeans::PassTotals totals;
  EXPECT_THROW(
      kmeans::assign_pass(t.view(), nullptr, table, labels.data(), dist.data(), &totals, 2, &b),
      RuntimeError);
}

}  // namespace
}  // namespace segmint::test
