// Features on real data (../shared/datasets, skipped when absent): split invariance, and RFM
// against an independent straightforward computation for every Online Retail II customer.
#include <algorithm>
#include <map>
#include <numeric>
#include <set>

#include "features_fixture.hpp"
#include "segmint/ingest.hpp"
#include "test_support.hpp"

namespace segmint::test {
namespace {

struct Loaded {
  UserDictionary users;
  EventBatch events;
};

std::unique_ptr<Loaded> load(const std::string& file, const std::string& schema) {
  auto d = shared_dataset(file);
  if (!d) return nullptr;
  auto out = std::make_unique<Loaded>();
  IngestOptions o;
  o.schema = schema;
  o.skip_bad_rows = true;  // the real file has a few rows the strict reader refuses
  out->events = read_all_events(std::vector<std::string>{*d}, o, out->users);
  return out;
}

std::string csv_of(const UserTable& t, const UserDictionary& users) {
  UserTable copy;
  copy.merge(t);
  copy.ensure_users(users.size());
  return features_csv(compute_features(copy, {}), users);
}

UserTable batched(const EventBatch& b, const std::vector<std::size_t>& order, std::size_t parts) {
  UserTable t;
  for (std::size_t p = 0; p < parts; ++p) {
    std::vector<std::size_t> idx(order.begin() + static_cast<std::ptrdiff_t>(order.size() * p / parts),
                                 order.begin() +
                                     static_cast<std::ptrdiff_t>(order.size() * (p + 1) / parts));
    t.add(take_rows(b, idx));
  }
  return t;
}

void expect_split_invariant(const Loaded& d) {
  ASSERT_GT(d.events.size(), 0u);
  std::vector<std::size_t> identity(d.events.size());
  std::iota(identity.begin(), identity.end(), 0);
  const std::string whole = csv_of(batched(d.events, identity, 1), d.users);
  auto shuffled = identity;
  std::mt19937_64 rng(2024);
  std::shuffle(shuffled.begin(), shuffled.end(), rng);
  for (std::size_t parts : {7u, 1000u}) {
    EXPECT_EQ(csv_of(batched(d.events, identity, parts), d.users), whole) << parts;
  }
  EXPECT_EQ(csv_of(batched(d.events, shuffled, 1), d.users), whole) << "shuffled";
  EXPECT_EQ(csv_of(batched(d.events, shuffled, 7), d.users), whole) << "shuffled, 7 batches";
  // Three "files" aggregated separately and merged.
  UserTable merged;
  for (std::size_t f = 0; f < 3; ++f) {
    std::vector<std::size_t> idx;
    for (std::size_t k = f; k < shuffled.size(); k += 3) idx.push_back(shuffled[k]);
    merged.merge(batched(d.events, idx, 1));
  }
  EXPECT_EQ(csv_of(merged, d.users), whole) << "three merged tables";
}

TEST(FeaturesRealData, OnlineRetailSplitInvariance) {
  auto d = load("online_retail_II_2009-2010.csv.gz", "online-retail");
  if (!d) GTEST_SKIP() << "../shared/datasets/online_retail_II_2009-2010.csv.gz not present";
  expect_split_invariant(*d);
}

TEST(FeaturesRealData, TaobaoSplitInvariance) {
  auto d = load("taobao_userbehavior_814users.csv.gz", "taobao");
  if (!d) GTEST_SKIP() << "../shared/datasets/taobao_userbehavior_814users.csv.gz not present";
  expect_split_invariant(*d);
}

TEST(FeaturesRealData, OnlineRetailRfmEqualsStraightforwardComputation) {
  auto d = load("online_retail_II_2009-2010.csv.gz", "online-retail");
  if (!d) GTEST_SKIP() << "../shared/datasets/online_retail_II_2009-2010.csv.gz not present";
  const EventBatch& e = d->events;
  // The obvious way: maps and sets over every line.
  const std::int64_t as_of = *std::max_element(e.time.begin(), e.time.end());
  const std::int64_t first = *std::min_element(e.time.begin(), e.time.end());
  std::map<std::uint32_t, std::int64_t> last_purchase;
  std::map<std::uint32_t, std::set<std::uint64_t>> invoices, cancelled;
  std::map<std::uint32_t, double> money;
  for (std::size_t r = 0; r < e.size(); ++r) {
    const std::uint32_t u = e.user[r];
    if (e.type[r] == EventType::purchase) {
      last_purchase[u] = std::max(last_purchase.count(u) ? last_purchase[u] : INT64_MIN, e.time[r]);
      invoices[u].insert(e.order[r]);
      money[u] += e.amount[r];
    } else if (e.type[r] == EventType::cancel) {
      cancelled[u].insert(e.order[r]);
      money[u] -= std::fabs(e.amount[r]);
    }
  }
  UserTable t;
  t.add(e);
  t.ensure_users(d->users.size());
  FeatureMatrix m = compute_features(t, {});
  ASSERT_EQ(m.rows, d->users.size());
  EXPECT_GT(m.rows, 4000u);
  std::size_t purchasers = 0;
  for (std::uint32_t u = 0; u < m.rows; ++u) {
    std::size_t freq = 0;
    for (auto inv : invoices[u]) freq += cancelled[u].count(inv) == 0;
    const double recency =
        static_cast<double>(as_of - (last_purchase.count(u) ? last_purchase[u] : first)) / 86400.0;
    purchasers += last_purchase.count(u);
    ASSERT_FLOAT_EQ(cell(m, u, "recency_days"), static_cast<float>(recency)) << d->users.id(u);
    ASSERT_EQ(cell(m, u, "frequency"), static_cast<float>(freq)) << d->users.id(u);
    ASSERT_NEAR(cell(m, u, "monetary"), money[u], 1e-6 * std::fabs(money[u]) + 1e-2)
        << d->users.id(u);
  }
  EXPECT_GT(purchasers, 4000u);
}

}  // namespace
}  // namespace segmint::test
