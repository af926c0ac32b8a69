// UserTable merge laws and split invariance: any split, order or thread count gives the same
// features, byte for byte.
#include <algorithm>
#include <numeric>
#include <tuple>

#include "aggregate/user_agg.hpp"
#include "features_fixture.hpp"

namespace segmint::test {
namespace {

std::string csv_of(const UserTable& t) {
  FeatureMatrix m = compute_features(t, {});
  std::vector<std::string> ids;
  std::vector<std::uint32_t> order;
  for (std::uint32_t u = 0; u < m.rows; ++u) {
    ids.push_back("u" + std::to_string(u));
    order.push_back(u);
  }
  return features_csv(m, ids, order);
}

UserTable table_of(const EventBatch& b, int threads = 0) {
  AggregateOptions o;
  o.threads = threads;
  UserTable t(o);
  t.add(b);
  return t;
}

std::vector<std::size_t> shuffled(std::size_t n, std::uint64_t seed) {
  std::vector<std::size_t> idx(n);
  std::iota(idx.begin(), idx.end(), 0);
  std::mt19937_64 rng(seed);
  std::shuffle(idx.begin(), idx.end(), rng);
  return idx;
}

// Feeds `order` to one table in `parts` consecutive batches.
UserTable in_batches(const EventBatch& b, const std::vector<std::size_t>& order,
                     std::size_t parts) {
  UserTable t;
  const std::size_t n = order.size();
  for (std::size_t p = 0; p < parts; ++p) {
    std::vector<std::size_t> idx(order.begin() + static_cast<std::ptrdiff_t>(n * p / parts),
                                 order.begin() + static_cast<std::ptrdiff_t>(n * (p + 1) / parts));
    t.add(take_rows(b, idx));
  }
  return t;
}

class SplitInvariance : public ::testing::TestWithParam<std::uint64_t> {};

TEST_P(SplitInvariance, BatchesRowOrderAndMergedTablesGiveIdenticalFeatures) {
  const EventBatch b = random_events(20000, 300, GetParam());
  const std::string whole = csv_of(table_of(b));
  std::vector<std::size_t> identity(b.size());
  std::iota(identity.begin(), identity.end(), 0);
  const auto order = shuffled(b.size(), GetParam() + 1);
  for (std::size_t parts : {1u, 7u, 1000u}) {
    EXPECT_EQ(csv_of(in_batches(b, identity, parts)), whole) << parts << " batches";
    EXPECT_EQ(csv_of(in_batches(b, order, parts)), whole) << parts << " shuffled batches";
  }
  // Several tables ("files") built separately, merged in two different shapes.
  std::vector<UserTable> files;
  for (std::size_t f = 0; f < 5; ++f) {
    std::vector<std::size_t> idx;
    for (std::size_t k = f; k < order.size(); k += 5) idx.push_back(order[k]);
    files.push_back(table_of(take_rows(b, idx)));
  }
  UserTable left;  // ((((0+1)+2)+3)+4)
  for (const auto& f : files) left.merge(f);
  UserTable acc;  // 4+(3+(2+(1+0)))
  for (std::size_t f = files.size(); f-- > 0;) {
    UserTable next;
    next.merge(files[f]);
    next.merge(acc);
    acc = std::move(next);
  }
  EXPECT_EQ(csv_of(left), whole);
  EXPECT_EQ(csv_of(acc), whole);
}

INSTANTIATE_TEST_SUITE_P(Seeds, SplitInvariance, ::testing::Values(1u, 2u, 3u));

// Rows sorted so that a user's sessions, days, categories and orders come in runs (folding
// combines a run at once) and a batch larger than the dense fold's slice (lowered to 2^16 rows
// here: 300k rows fold in five slices), against the same rows shuffled in small batches.
TEST(AggregateMerge, RunsOfEqualKeysAndSlicedBatchesFoldLikeShuffledRows) {
  struct SliceRows {
    std::size_t saved = agg::dense_slice_rows;
    SliceRows() { agg::dense_slice_rows = std::size_t(1) << 16; }
    ~SliceRows() { agg::dense_slice_rows = saved; }
  } slices;
  const EventBatch b = random_events(300000, 3000, 7);
  std::vector<std::size_t> runs(b.size());
  std::iota(runs.begin(), runs.end(), 0);
  std::sort(runs.begin(), runs.end(), [&b](std::size_t x, std::size_t y) {
    return std::tie(b.user[x], b.session[x], b.category[x], b.order[x], b.time[x], x) <
           std::tie(b.user[y], b.session[y], b.category[y], b.order[y], b.time[y], y);
  });
  const std::string shuffled_small = csv_of(in_batches(b, shuffled(b.size(), 8), 50));
  EXPECT_EQ(csv_of(in_batches(b, runs, 1)), shuffled_small);
  EXPECT_EQ(csv_of(table_of(take_rows(b, runs), 2)), shuffled_small);
  std::sort(runs.begin(), runs.end(), [&b](std::size_t x, std::size_t y) {  // days in runs
    return std::tie(b.user[x], b.time[x], x) < std::tie(b.user[y], b.time[y], y);
  });
  EXPECT_EQ(csv_of(in_batches(b, runs, 3)), shuffled_small);
}

TEST(AggregateMerge, CommutativeAndAssociative) {
  const EventBatch b = random_events(6000, 50, 42);
  std::vector<std::size_t> ia, ib, ic;
  for (std::size_t r = 0; r < b.size(); ++r) (r % 3 == 0 ? ia : r % 3 == 1 ? ib : ic).push_back(r);
  auto A = [&] { return table_of(take_rows(b, ia)); };
  auto B = [&] { return table_of(take_rows(b, ib)); };
  auto C = [&] { return table_of(take_rows(b, ic)); };
  UserTable ab = A();
  ab.merge(B());
  UserTable ba = B();
  ba.merge(A());
  EXPECT_EQ(csv_of(ab), csv_of(ba));
  UserTable ab_c = A();
  ab_c.merge(B());
  ab_c.merge(C());
  UserTable bc = B();
  bc.merge(C());
  UserTable a_bc = A();
  a_bc.merge(bc);
  EXPECT_EQ(csv_of(ab_c), csv_of(a_bc));
  EXPECT_EQ(csv_of(ab_c), csv_of(table_of(b)));
  // Merging an empty table is the identity.
  UserTable e = table_of(b);
  e.merge(UserTable());
  EXPECT_EQ(csv_of(e), csv_of(table_of(b)));
}

TEST(AggregateMerge, ThreadCountDoesNotChangeAnything) {
  const EventBatch b = random_events(30000, 2000, 7);
  const std::string one = csv_of(table_of(b, 1));
  EXPECT_EQ(csv_of(table_of(b, 2)), one);
  EXPECT_EQ(csv_of(table_of(b, 5)), one);
  EXPECT_EQ(csv_of(table_of(b, 0)), one);
}

TEST(AggregateMerge, GapSessionsBridgedByALaterBatchCoalesce) {
  // Batch 1: events at 0 and 50 min (two sessions). Batch 2: an event at 25 min joins them.
  Log a, b;
  a.batch.push_back(0, kT0, EventType::view, 0, 0, 0, 0, 0);
  a.batch.push_back(0, kT0 + 50 * kMin, EventType::view, 0, 0, 0, 0, 0);
  b.batch.push_back(0, kT0 + 25 * kMin, EventType::view, 0, 0, 0, 0, 0);
  UserTable t;
  t.add(a.batch);
  EXPECT_FLOAT_EQ(cell(compute_features(t, {}), 0, "sessions"), 2.f);
  t.add(b.batch);
  FeatureMatrix m = compute_features(t, {});
  EXPECT_FLOAT_EQ(cell(m, 0, "sessions"), 1.f);
  EXPECT_FLOAT_EQ(cell(m, 0, "avg_session_minutes"), 50.f);
}

TEST(AggregateMerge, SelfMergeDoublesCountsAndKeepsDistinctCounts) {
  Log log;
  log.add(0, kT0, EventType::view, 0, "i")
      .add(0, kT0 + kDay, EventType::purchase, 5.0, "", "", "", "O1");
  UserTable t;
  t.add(log.batch);
  t.merge(t);
  FeatureMatrix m = compute_features(t, {});
  EXPECT_FLOAT_EQ(cell(m, 0, "views"), 2.f);
  EXPECT_FLOAT_EQ(cell(m, 0, "monetary"), 10.f);
  EXPECT_FLOAT_EQ(cell(m, 0, "frequency"), 1.f);  // the same order seen twice
  EXPECT_FLOAT_EQ(cell(m, 0, "active_days"), 2.f);
}

TEST(AggregateMerge, DifferentOptionsRefuseToMerge) {
  AggregateOptions o;
  o.session_gap_seconds = 600;
  UserTable a(o), b;
  EXPECT_THROW(a.merge(b), UsageError);
}

TEST(AggregateMerge, RaggedBatchIsRejected) {
  EventBatch b = random_events(10, 3, 1);
  b.time.pop_back();
  UserTable t;
  EXPECT_THROW(t.add(b), RuntimeError);
}

}  // namespace
}  // namespace segmint::test
