// Hand-computed RFM and lifecycle features on small crafted event logs.
#include "features_fixture.hpp"

namespace segmint::test {
namespace {

using E = EventType;

TEST(FeaturesRfm, SingleEvent) {
  Log log;
  log.add(0, kT0 + 10 * kHour, E::view, 0, "i1");
  std::int64_t as_of = 0;
  UserTable t;
  t.add(log.batch);
  FeatureMatrix m = compute_features(t, {}, &as_of);
  ASSERT_EQ(m.rows, 1u);
  ASSERT_EQ(m.cols, feature_catalog().size());
  EXPECT_EQ(as_of, kT0 + 10 * kHour);
  EXPECT_FLOAT_EQ(cell(m, 0, "recency_days"), 0.f);
  EXPECT_FLOAT_EQ(cell(m, 0, "frequency"), 0.f);
  EXPECT_FLOAT_EQ(cell(m, 0, "monetary"), 0.f);
  EXPECT_FLOAT_EQ(cell(m, 0, "avg_order_value"), 0.f);
  EXPECT_FLOAT_EQ(cell(m, 0, "tenure_days"), 0.f);
  EXPECT_FLOAT_EQ(cell(m, 0, "days_since_last_event"), 0.f);
  EXPECT_FLOAT_EQ(cell(m, 0, "active_days"), 1.f);
  EXPECT_FLOAT_EQ(cell(m, 0, "mean_days_between_orders"), 0.f);
  EXPECT_FLOAT_EQ(cell(m, 0, "views"), 1.f);
  EXPECT_FLOAT_EQ(cell(m, 0, "sessions"), 1.f);
  EXPECT_FLOAT_EQ(cell(m, 0, "events_per_session"), 1.f);
  EXPECT_FLOAT_EQ(cell(m, 0, "avg_session_minutes"), 0.f);
  EXPECT_FLOAT_EQ(cell(m, 0, "morning_share"), 1.f);
  EXPECT_FLOAT_EQ(cell(m, 0, "weekend_share"), 0.f);  // a Monday
  EXPECT_FLOAT_EQ(cell(m, 0, "distinct_categories"), 1.f);  // item stands in for category
  EXPECT_FLOAT_EQ(cell(m, 0, "category_entropy"), 0.f);
  for (float v : m.values) EXPECT_TRUE(std::isfinite(v));
}

// User 0: two orders (one with two lines in the same second), a cancellation invoice, a view.
// User 1: one view a day before everything else, never purchased.
Log two_users() {
  Log log;
  log.add(0, kT0, E::purchase, 10.0, "a", "", "", "O1")
      .add(0, kT0, E::purchase, 5.5, "b", "", "", "O1")
      .add(0, kT0 + 2 * kDay, E::purchase, 20.0, "a", "", "", "O2")
      .add(0, kT0 + 3 * kDay, E::cancel, -4.0, "a", "", "", "C1")
      .add(0, kT0 + 5 * kDay, E::view, 0, "c")
      .add(1, kT0 - kDay, E::view, 0, "c");
  return log;
}

TEST(FeaturesRfm, OrdersMoneyAndRecency) {
  FeatureMatrix m = features_of(two_users().batch);
  // as_of = latest event = T0 + 5 d.
  EXPECT_FLOAT_EQ(cell(m, 0, "recency_days"), 3.f);
  EXPECT_FLOAT_EQ(cell(m, 0, "frequency"), 2.f);
  EXPECT_FLOAT_EQ(cell(m, 0, "monetary"), 31.5f);  // 10 + 5.5 + 20 - 4
  EXPECT_FLOAT_EQ(cell(m, 0, "avg_order_value"), 15.75f);
  EXPECT_FLOAT_EQ(cell(m, 0, "tenure_days"), 5.f);
  EXPECT_FLOAT_EQ(cell(m, 0, "days_since_last_event"), 0.f);
  EXPECT_FLOAT_EQ(cell(m, 0, "active_days"), 4.f);  // days 0, 2, 3, 5
  EXPECT_FLOAT_EQ(cell(m, 0, "mean_days_between_orders"), 2.f);
  EXPECT_FLOAT_EQ(cell(m, 0, "purchases"), 3.f);
  EXPECT_FLOAT_EQ(cell(m, 0, "cancellation_rate"), 0.25f);  // 1 / (3 + 1)
  // Never purchased: recency from the earliest event of the whole data set (its own, T0 - 1 d).
  EXPECT_FLOAT_EQ(cell(m, 1, "recency_days"), 6.f);
  EXPECT_FLOAT_EQ(cell(m, 1, "tenure_days"), 6.f);
  EXPECT_FLOAT_EQ(cell(m, 1, "days_since_last_event"), 6.f);
  EXPECT_FLOAT_EQ(cell(m, 1, "frequency"), 0.f);
}

TEST(FeaturesRfm, ExplicitAsOf) {
  FeatureOptions fo;
  fo.as_of = kT0 + 10 * kDay + 12 * kHour;
  std::int64_t used = 0;
  UserTable t;
  t.add(two_users().batch);
  FeatureMatrix m = compute_features(t, fo, &used);
  EXPECT_EQ(used, *fo.as_of);
  EXPECT_FLOAT_EQ(cell(m, 0, "recency_days"), 8.5f);
  EXPECT_FLOAT_EQ(cell(m, 0, "days_since_last_event"), 5.5f);
  EXPECT_FLOAT_EQ(cell(m, 1, "recency_days"), 11.5f);
}

TEST(FeaturesRfm, CancelledOrderIsNotCounted) {
  Log log;
  log.add(0, kT0, E::purchase, 100.0, "a", "", "", "O3")
      .add(0, kT0 + kHour, E::cancel, -100.0, "a", "", "", "O3")
      .add(0, kT0 + kDay, E::purchase, 30.0, "a", "", "", "O4");
  FeatureMatrix m = features_of(log.batch);
  EXPECT_FLOAT_EQ(cell(m, 0, "frequency"), 1.f);
  EXPECT_FLOAT_EQ(cell(m, 0, "monetary"), 30.f);
  EXPECT_FLOAT_EQ(cell(m, 0, "avg_order_value"), 30.f);
  EXPECT_FLOAT_EQ(cell(m, 0, "mean_days_between_orders"), 0.f);  // one order left
  EXPECT_FLOAT_EQ(cell(m, 0, "cancellation_rate"), 1.f / 3.f);
}

TEST(FeaturesRfm, OnlyCancellations) {
  Log log;
  log.add(0, kT0, E::view).add(1, kT0 + kDay, E::cancel, -7.0, "a", "", "", "C9");
  FeatureMatrix m = features_of(log.batch);
  EXPECT_FLOAT_EQ(cell(m, 1, "frequency"), 0.f);
  EXPECT_FLOAT_EQ(cell(m, 1, "monetary"), -7.f);
  EXPECT_FLOAT_EQ(cell(m, 1, "avg_order_value"), 0.f);
  EXPECT_FLOAT_EQ(cell(m, 1, "recency_days"), 1.f);  // as_of - earliest event of the data
  EXPECT_FLOAT_EQ(cell(m, 1, "cancellation_rate"), 1.f);
  EXPECT_FLOAT_EQ(cell(m, 1, "purchases"), 0.f);
}

TEST(FeaturesRfm, FrequencyFallsBackToSessionsThenGapSessions) {
  Log log;
  // No order ids, session ids: purchases in sessions S1 (twice) and S2 -> 2 orders.
  log.add(0, kT0, E::purchase, 1.0, "a", "", "S1")
      .add(0, kT0 + 5 * kMin, E::purchase, 2.0, "b", "", "S1")
      .add(0, kT0 + kDay, E::purchase, 3.0, "a", "", "S2");
  // Neither: every purchase event is an order (sessions still come from the gap).
  log.add(1, kT0, E::purchase, 1.0)
      .add(1, kT0 + 10 * kMin, E::purchase, 1.0)
      .add(1, kT0 + 2 * kHour, E::purchase, 1.0);
  FeatureMatrix m = features_of(log.batch);
  EXPECT_FLOAT_EQ(cell(m, 0, "frequency"), 2.f);
  EXPECT_FLOAT_EQ(cell(m, 0, "avg_order_value"), 3.f);
  EXPECT_FLOAT_EQ(cell(m, 0, "mean_days_between_orders"), 1.f);
  EXPECT_FLOAT_EQ(cell(m, 1, "frequency"), 3.f);
  EXPECT_FLOAT_EQ(cell(m, 1, "sessions"), 2.f);
  EXPECT_FLOAT_EQ(cell(m, 1, "mean_days_between_orders"), 1.f / 24.f);  // 2 h over 2 gaps
}

TEST(FeaturesRfm, MeanDaysBetweenThreeOrders) {
  Log log;
  log.add(0, kT0, E::purchase, 1.0, "", "", "", "A")
      .add(0, kT0 + 3 * kDay, E::purchase, 1.0, "", "", "", "B")
      .add(0, kT0 + 9 * kDay, E::purchase, 1.0, "", "", "", "C")
      .add(0, kT0 + 10 * kDay, E::purchase, 1.0, "", "", "", "A");  // same order: time = first
  FeatureMatrix m = features_of(log.batch);
  EXPECT_FLOAT_EQ(cell(m, 0, "frequency"), 3.f);
  EXPECT_FLOAT_EQ(cell(m, 0, "mean_days_between_orders"), 4.5f);  // (9 - 0) / 2
  EXPECT_FLOAT_EQ(cell(m, 0, "recency_days"), 0.f);
}

TEST(FeaturesRfm, UserInTwoFilesEqualsOneFile) {
  Log log = two_users();
  std::vector<std::size_t> first = {0, 3, 5}, second = {1, 2, 4};
  UserTable a, b;
  a.add(take_rows(log.batch, first));
  b.add(take_rows(log.batch, second));
  a.merge(b);
  FeatureMatrix split = compute_features(a, {});
  FeatureMatrix whole = features_of(log.batch);
  EXPECT_EQ(split.values, whole.values);
}

}  // namespace
}  // namespace segmint::test
