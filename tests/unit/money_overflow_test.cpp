// Money never wraps around (issue 13, defect 3): per-user sums saturate at +-9.2e12 in folds and
// in merges, and the features say "at least this much", never a negative fortune.
#include <gtest/gtest.h>

#include "features_fixture.hpp"

namespace segmint::test {
namespace {

TEST(MoneyOverflow, FoldSaturatesInsteadOfWrapping) {
  Log log;
  log.add(0, kT0, EventType::purchase, 9e12).add(0, kT0 + kDay, EventType::purchase, 9e12);
  log.add(1, kT0, EventType::purchase, 5);
  const FeatureMatrix m = features_of(log.batch);
  EXPECT_GT(cell(m, 0, "monetary"), 9.2e12f);  // before: -446744068096 (signed overflow)
  EXPECT_GT(cell(m, 0, "avg_order_value"), 4.6e12f);
  EXPECT_EQ(cell(m, 1, "monetary"), 5.f);
}

TEST(MoneyOverflow, MergeSaturatesToo) {
  Log a, b;
  a.add(0, kT0, EventType::purchase, 8e12);
  b.add(0, kT0 + kHour, EventType::purchase, 8e12);
  UserTable ta, tb;
  ta.add(a.batch);
  tb.add(b.batch);
  ta.merge(tb);
  EXPECT_EQ(ta.summary(0).money_purchase_micro, detail::kMoneySaturated);
  EXPECT_GT(cell(compute_features(ta, {}), 0, "monetary"), 9.2e12f);
}

TEST(MoneyOverflow, RefundsSaturateDownwards) {
  Log log;
  for (int i = 0; i < 3; ++i) log.add(0, kT0 + i, EventType::purchase, -8e12);
  const FeatureMatrix m = features_of(log.batch);
  EXPECT_LT(cell(m, 0, "monetary"), -9.2e12f);
}

TEST(MoneyOverflow, SaturatingAddIsExactBelowTheLimit) {
  EXPECT_EQ(detail::add_saturating(5, 7), 12);
  EXPECT_EQ(detail::add_saturating(INT64_MAX - 1, 1), INT64_MAX);
  EXPECT_EQ(detail::add_saturating(INT64_MAX, 1), INT64_MAX);
  EXPECT_EQ(detail::add_saturating(-INT64_MAX, -1), -INT64_MAX);
  EXPECT_EQ(detail::add_saturating(INT64_MAX, -INT64_MAX), 0);
}

}  // namespace
}  // namespace segmint::test
