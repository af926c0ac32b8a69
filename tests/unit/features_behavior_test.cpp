// Hand-computed funnel, session, habit, breadth and campaign features on crafted event logs.
#include <cmath>

#include "features_fixture.hpp"

namespace segmint::test {
namespace {

using E = EventType;

TEST(FeaturesFunnel, RatesAndAbandonedCarts) {
  Log log;
  for (int i = 0; i < 6; ++i) log.add(0, kT0 + i * kMin, E::view, 0, "a");
  log.add(0, kT0, E::cart, 0, "a")
      .add(0, kT0 + kHour, E::purchase, 9.0)
      .add(0, kT0 + 2 * kHour, E::cart, 0, "b")
      .add(0, kT0 + 2 * kHour, E::cart, 0, "c");
  FeatureMatrix m = features_of(log.batch);
  EXPECT_FLOAT_EQ(cell(m, 0, "views"), 6.f);
  EXPECT_FLOAT_EQ(cell(m, 0, "carts"), 3.f);
  EXPECT_FLOAT_EQ(cell(m, 0, "purchases"), 1.f);
  EXPECT_FLOAT_EQ(cell(m, 0, "view_to_cart_rate"), 0.5f);
  EXPECT_FLOAT_EQ(cell(m, 0, "cart_to_purchase_rate"), 1.f / 3.f);
  EXPECT_FLOAT_EQ(cell(m, 0, "cart_abandonment_rate"), 2.f / 3.f);  // the two later carts
  EXPECT_FLOAT_EQ(cell(m, 0, "cancellation_rate"), 0.f);
}

TEST(FeaturesFunnel, CartAndPurchaseInTheSameSecondIsFollowed) {
  Log log;
  // Rows in both orders: the tie rule (purchase at or after the cart) must not depend on order.
  log.add(0, kT0, E::cart).add(0, kT0, E::purchase, 1.0);
  log.add(1, kT0, E::purchase, 1.0).add(1, kT0, E::cart);
  log.add(2, kT0, E::cart);  // no purchase at all: abandoned
  FeatureMatrix m = features_of(log.batch);
  EXPECT_FLOAT_EQ(cell(m, 0, "cart_abandonment_rate"), 0.f);
  EXPECT_FLOAT_EQ(cell(m, 1, "cart_abandonment_rate"), 0.f);
  EXPECT_FLOAT_EQ(cell(m, 2, "cart_abandonment_rate"), 1.f);
  EXPECT_FLOAT_EQ(cell(m, 2, "cart_to_purchase_rate"), 0.f);
  EXPECT_FLOAT_EQ(cell(m, 2, "view_to_cart_rate"), 0.f);  // no views: 0, not inf
}

TEST(FeaturesSessions, GapSessionsAcrossMidnight) {
  Log log;
  const std::int64_t midnight = kT0 + kDay;
  log.add(0, midnight - 10 * kMin, E::view)   // 23:50
      .add(0, midnight + 10 * kMin, E::view)  // 00:10, 20 min later: same session
      .add(0, midnight + 60 * kMin, E::view); // 01:00, 50 min later: new session
  FeatureMatrix m = features_of(log.batch);
  EXPECT_FLOAT_EQ(cell(m, 0, "sessions"), 2.f);
  EXPECT_FLOAT_EQ(cell(m, 0, "events_per_session"), 1.5f);
  EXPECT_FLOAT_EQ(cell(m, 0, "avg_session_minutes"), 10.f);  // (20 + 0) / 2
  EXPECT_FLOAT_EQ(cell(m, 0, "active_days"), 2.f);
  EXPECT_FLOAT_EQ(cell(m, 0, "night_share"), 2.f / 3.f);
  EXPECT_FLOAT_EQ(cell(m, 0, "evening_share"), 1.f / 3.f);
}

TEST(FeaturesSessions, GapIsInclusiveAndConfigurable) {
  Log log;
  log.add(0, kT0, E::view).add(0, kT0 + 30 * kMin, E::view).add(0, kT0 + 61 * kMin, E::view);
  FeatureMatrix m30 = features_of(log.batch);
  EXPECT_FLOAT_EQ(cell(m30, 0, "sessions"), 2.f);  // exactly 30 min continues; 31 min ends
  AggregateOptions ten;
  ten.session_gap_seconds = 10 * kMin;
  EXPECT_FLOAT_EQ(cell(features_of(log.batch, ten), 0, "sessions"), 3.f);
}

TEST(FeaturesSessions, SessionIdsWinOverGaps) {
  Log log;
  log.add(0, kT0, E::view, 0, "", "", "a")
      .add(0, kT0 + 3 * kHour, E::view, 0, "", "", "a")  // same id 3 hours later: one session
      .add(0, kT0 + kHour, E::view, 0, "", "", "b");
  FeatureMatrix m = features_of(log.batch);
  EXPECT_FLOAT_EQ(cell(m, 0, "sessions"), 2.f);
  EXPECT_FLOAT_EQ(cell(m, 0, "avg_session_minutes"), 90.f);  // (180 + 0) / 2
}

TEST(FeaturesSessions, EventsAtTheSameSecond) {
  Log log;
  for (int i = 0; i < 4; ++i) log.add(0, kT0 + 5 * kHour, E::view, 0, "x");
  FeatureMatrix m = features_of(log.batch);
  EXPECT_FLOAT_EQ(cell(m, 0, "sessions"), 1.f);
  EXPECT_FLOAT_EQ(cell(m, 0, "events_per_session"), 4.f);
  EXPECT_FLOAT_EQ(cell(m, 0, "active_days"), 1.f);
  EXPECT_FLOAT_EQ(cell(m, 0, "night_share"), 1.f);
}

TEST(FeaturesHabits, DayPartsWeekendAndTimeZone) {
  Log log;
  const std::int64_t friday = kT0 + 4 * kDay;
  log.add(0, friday + 23 * kHour, E::view)     // Fri 23:00 UTC = Sat 01:00 at +02:00
      .add(0, friday + 7 * kHour, E::view)     // Fri 07:00 UTC = 09:00 local
      .add(0, friday + 13 * kHour, E::view)    // 13:00 UTC = 15:00 local
      .add(0, friday + 2 * kDay, E::view);     // Sun 00:00 UTC = 02:00 local
  FeatureMatrix utc = features_of(log.batch);
  EXPECT_FLOAT_EQ(cell(utc, 0, "weekend_share"), 0.25f);
  EXPECT_FLOAT_EQ(cell(utc, 0, "night_share"), 0.25f);
  EXPECT_FLOAT_EQ(cell(utc, 0, "morning_share"), 0.25f);
  EXPECT_FLOAT_EQ(cell(utc, 0, "afternoon_share"), 0.25f);
  EXPECT_FLOAT_EQ(cell(utc, 0, "evening_share"), 0.25f);
  EXPECT_FLOAT_EQ(cell(utc, 0, "active_days"), 2.f);
  AggregateOptions tz;
  tz.tz_offset_minutes = 120;
  FeatureMatrix local = features_of(log.batch, tz);
  EXPECT_FLOAT_EQ(cell(local, 0, "weekend_share"), 0.5f);
  EXPECT_FLOAT_EQ(cell(local, 0, "night_share"), 0.5f);
  EXPECT_FLOAT_EQ(cell(local, 0, "morning_share"), 0.25f);
  EXPECT_FLOAT_EQ(cell(local, 0, "afternoon_share"), 0.25f);
  EXPECT_FLOAT_EQ(cell(local, 0, "evening_share"), 0.f);
  EXPECT_FLOAT_EQ(cell(local, 0, "active_days"), 3.f);  // Fri, Sat, Sun local
}

TEST(FeaturesBreadth, DistinctCategoriesAndEntropy) {
  Log log;
  log.add(0, kT0, E::view, 0, "i1", "a")
      .add(0, kT0 + 1, E::view, 0, "i2", "a")
      .add(0, kT0 + 2, E::cart, 0, "i3", "b")
      .add(0, kT0 + 3, E::view, 0, "x");  // no category: the item stands in
  FeatureMatrix m = features_of(log.batch);
  EXPECT_FLOAT_EQ(cell(m, 0, "distinct_categories"), 3.f);
  // counts 2,1,1 of 4: H = -(0.5 ln 0.5 + 2 * 0.25 ln 0.25)
  const double h = -(0.5 * std::log(0.5) + 0.5 * std::log(0.25));
  EXPECT_NEAR(cell(m, 0, "category_entropy"), h, 1e-6);
}

TEST(FeaturesCampaign, EmailRatesAndSendsAreNotActivity) {
  Log log;
  for (int i = 0; i < 4; ++i) log.add(0, kT0 + i * kDay, E::email_send);
  log.add(0, kT0 + kHour, E::email_open).add(0, kT0 + kDay + kHour, E::email_open);
  log.add(0, kT0 + kHour + kMin, E::email_click);
  log.add(1, kT0, E::email_send);  // only received mail: no activity at all
  FeatureMatrix m = features_of(log.batch);
  EXPECT_FLOAT_EQ(cell(m, 0, "email_open_rate"), 0.5f);
  EXPECT_FLOAT_EQ(cell(m, 0, "email_click_rate"), 0.25f);
  EXPECT_FLOAT_EQ(cell(m, 0, "sessions"), 2.f);  // opens/clicks on two days
  EXPECT_FLOAT_EQ(cell(m, 1, "sessions"), 0.f);
  EXPECT_FLOAT_EQ(cell(m, 1, "events_per_session"), 0.f);
  EXPECT_FLOAT_EQ(cell(m, 1, "active_days"), 0.f);
  EXPECT_FLOAT_EQ(cell(m, 1, "night_share"), 0.f);
  EXPECT_FLOAT_EQ(cell(m, 1, "email_open_rate"), 0.f);
  EXPECT_FLOAT_EQ(cell(m, 1, "tenure_days"), 3.f);  // sends still date the user
}

TEST(FeaturesCatalog, NamesUnitsGroupsAreComplete) {
  const auto& cat = feature_catalog();
  ASSERT_EQ(cat.size(), 27u);
  EXPECT_EQ(cat.front().name, "recency_days");
  for (const auto& f : cat) {
    EXPECT_FALSE(f.unit.empty()) << f.name;
    EXPECT_FALSE(f.group.empty()) << f.name;
    EXPECT_EQ(find_feature(f.name), &f);
  }
  EXPECT_TRUE(find_feature("monetary")->log1p);
  EXPECT_FALSE(find_feature("recency_days")->log1p);
  EXPECT_EQ(find_feature("nope"), nullptr);
}

}  // namespace
}  // namespace segmint::test
