// Naming rules of the RFM vocabulary: the full RFM ladder, returns-heavy segments, data without
// prices (constant columns say nothing), rare buying judged against the population, meanings.
#include <gtest/gtest.h>

#include "profile/naming.hpp"

namespace segmint::pipeline {
namespace {

/// Profiles with one segment per row of z and (optionally) raw means; population_mean given.
Profiles crafted(const std::vector<std::string>& features,
                 const std::vector<std::vector<double>>& z,
                 const std::vector<std::vector<double>>& mean = {},
                 const std::vector<double>& population_mean = {}) {
  Profiles p;
  p.features = features;
  p.population_mean = population_mean;
  for (std::size_t c = 0; c < z.size(); ++c) {
    SegmentProfile s;
    s.size = 10;
    s.z = z[c];
    s.mean = c < mean.size() ? mean[c] : std::vector<double>(z[c].size(), 0);
    p.segments.push_back(s);
  }
  return p;
}

const std::vector<std::string> kRfmt = {"recency_days", "frequency", "monetary", "tenure_days",
                                        "days_since_last_event"};

TEST(ProfileNamingRfm, TheRfmLadder) {
  Profiles p = crafted(kRfmt, {
                                  // rec  freq  mon   ten  inactive
                                  {-1.0, 1.5, 1.5, 0.2, -1.0},    // Champions
                                  {1.5, 1.5, 1.5, 0.5, 1.5},      // Can't Lose Them
                                  {-0.8, 0.3, 0.2, -0.2, -0.8},   // Potential Loyalists
                                  {-0.4, -0.2, -0.3, 0.1, -0.4},  // Promising
                                  {0.1, 0.3, 0.3, 0.2, 0.1},      // Need Attention
                                  {0.5, -0.3, -0.2, 0.0, 0.5},    // About to Sleep
                                  {2.0, -1.2, -1.2, 0.3, 2.0},    // Lost
                                  {1.0, -0.2, -0.2, 0.0, 1.0},    // Hibernating
                              });
  EXPECT_EQ(
      name_segments(p),
      (std::vector<std::string>{"Champions", "Can't Lose Them", "Potential Loyalists", "Promising",
                                "Need Attention", "About to Sleep", "Lost", "Hibernating"}));
}

TEST(ProfileNamingRfm, NegativeNetSpendIsSerialReturners) {
  // Same cancellation z; only the segment whose purchases net out below zero is "Serial".
  Profiles p = crafted({"monetary", "cancellation_rate"}, {{-2.0, 3.0}, {-0.5, 3.0}},
                       {{-120.0, 0.6}, {40.0, 0.6}}, {300.0, 0.1});
  EXPECT_EQ(name_segments(p), (std::vector<std::string>{"Serial Returners", "Frequent Returners"}));
}

TEST(ProfileNamingRfm, ConstantColumnsSayNothing) {
  // No prices: monetary is 0 for everyone, so every z on it is 0. Champions still fires on
  // recency and frequency; Need Attention, which needs monetary only when it says something,
  // does not get stuck on it.
  Profiles p =
      crafted({"recency_days", "frequency", "monetary"}, {{-1.0, 0.8, 0.0}, {2.0, -1.0, 0.0}});
  EXPECT_EQ(name_segments(p)[0], "Champions");
}

TEST(ProfileNamingRfm, RareBuyingIsJudgedAgainstThePopulation) {
  // Only 4 % of users buy, so a segment that never buys has purchases z of just -0.21; it still
  // buys less than half as much as the population, so heavy viewers are Window Shoppers.
  Profiles p = crafted({"views", "purchases"}, {{1.35, -0.21}, {-0.4, -0.21}},
                       {{40.0, 0.0}, {2.0, 0.0}}, {8.0, 0.05});
  EXPECT_EQ(name_segments(p), (std::vector<std::string>{"Window Shoppers", "Casual Browsers"}));
}

TEST(ProfileNamingRfm, ExtremeHabitsDoNotOutrankValue) {
  // Three users who bought twice in three hours: an extreme gap between orders (z 37), but
  // first of all the best customers.
  Profiles p =
      crafted({"recency_days", "frequency", "monetary", "tenure_days", "mean_days_between_orders"},
              {{-5.0, 7.4, 4.8, -0.15, 37.0}, {-4.5, 4.6, 4.5, 0.05, 0.0}});
  EXPECT_EQ(name_segments(p)[0], "Champions");
}

TEST(ProfileNamingRfm, EveryNameHasAMeaning) {
  EXPECT_EQ(segment_meaning("Champions"), "Bought recently, buy often and spend the most.");
  EXPECT_EQ(segment_meaning("Champions 2"), segment_meaning("Champions"));
  EXPECT_FALSE(segment_meaning("Serial Returners").empty());
  EXPECT_EQ(segment_meaning("Segment A"), "");
  EXPECT_EQ(segment_meaning("High x1"), "");
}

}  // namespace
}  // namespace segmint::pipeline
