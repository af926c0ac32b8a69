// expect_same_summary: two UserSummary values equal field by field (named failures) and bit for
// bit, and the per-seed aggregate options, for the tests that hold the device walks against the
// CPU UserTable.
#pragma once
#include <gtest/gtest.h>

#include <cstddef>
#include <cstdint>
#include <cstring>

#include "segmint/aggregate.hpp"
#include "segmint/detail/feature_math.hpp"

namespace segmint::test {

inline void expect_same_summary(const detail::UserSummary& a, const detail::UserSummary& b,
                                std::size_t u) {
  EXPECT_EQ(a.orders, b.orders) << "user " << u;
  EXPECT_EQ(a.sessions, b.sessions) << "user " << u;
  EXPECT_EQ(a.session_seconds, b.session_seconds) << "user " << u;
  EXPECT_EQ(a.active_days, b.active_days) << "user " << u;
  EXPECT_EQ(a.open_carts, b.open_carts) << "user " << u;
  EXPECT_EQ(a.distinct_categories, b.distinct_categories) << "user " << u;
  EXPECT_EQ(a.money_purchase_micro, b.money_purchase_micro) << "user " << u;
  EXPECT_EQ(a.first_order, b.first_order) << "user " << u;
  EXPECT_EQ(a.last_order, b.last_order) << "user " << u;
  EXPECT_EQ(a.category_entropy, b.category_entropy) << "user " << u;
  EXPECT_EQ(std::memcmp(&a, &b, sizeof a), 0) << "user " << u;  // every field, bit for bit
}

/// Aggregate options that vary with the seed: time zone (seed 2: UTC-5) and session gap (seed 3:
/// 10 minutes).
inline AggregateOptions seeded_options(std::uint64_t seed) {
  AggregateOptions a;
  a.tz_offset_minutes = seed == 2 ? -300 : 60;
  a.session_gap_seconds = seed == 3 ? 600 : 1800;
  return a;
}

}  // namespace segmint::test
