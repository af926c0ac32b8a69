// Segment naming rules on crafted z-score profiles: marketing names, graceful fallbacks, and
// uniqueness within a run.
#include <gtest/gtest.h>

#include <set>

#include "profile/naming.hpp"

namespace segmint::pipeline {
namespace {

/// Profiles over `features` with one segment per z-row (size 10 each).
Profiles crafted(const std::vector<std::string>& features,
                 const std::vector<std::vector<double>>& z) {
  Profiles p;
  p.features = features;
  for (const auto& row : z) {
    SegmentProfile s;
    s.size = 10;
    s.z = row;
    s.mean.assign(row.size(), 0);
    p.segments.push_back(s);
  }
  return p;
}

const std::vector<std::string> kRfm = {"recency_days", "frequency", "monetary",
                                       "avg_order_value", "tenure_days", "views",
                                       "cart_abandonment_rate", "night_share"};

TEST(ProfileNaming, ClassicRfmArchetypes) {
  Profiles p = crafted(kRfm, {
                                 // rec  freq  mon   aov  ten  views cart night
                                 {-1.0, 1.5, 1.5, 0.2, 0.5, 0.3, -0.5, 0.0},   // Champions
                                 {1.2, 0.8, 0.6, 0.0, 0.6, -0.2, 0.0, 0.0},    // At Risk
                                 {1.5, -1.0, -1.0, -0.2, 0.4, -1.0, 0.0, 0.0}, // Lost
                                 {-0.3, -0.4, -0.3, 0.0, -1.5, 0.0, 0.0, 0.0}, // New
                                 {0.1, -0.8, -0.8, 0.0, 0.0, 1.2, 0.3, 0.0},   // Window Shoppers
                                 {0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1.8, 0.0},     // Cart Abandoners
                                 {0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 2.0},     // Night Owls
                             });
  EXPECT_EQ(name_segments(p),
            // "Dormant" became "Lost" (long gone, bought little) with the RFM vocabulary.
            (std::vector<std::string>{"Champions", "At Risk", "Lost", "New", "Window Shoppers",
                                      "Cart Abandoners", "Night Owls"}));
}

TEST(ProfileNaming, BigSpendersAndBargainHunters) {
  Profiles p = crafted(kRfm, {{0, 0.1, 0.8, 1.6, 0, 0, 0, 0}, {0, 0.9, 0.1, -1.2, 0, 0, 0, 0}});
  EXPECT_EQ(name_segments(p), (std::vector<std::string>{"Big Spenders", "Bargain Hunters"}));
}

TEST(ProfileNaming, FrequentBigBuyersAreChampionsNotBigSpenders) {
  // aov z 1.6 > Champions strength (1+1.1+1.6)/3, but frequency 1.1 rules Big Spenders out.
  Profiles p = crafted(kRfm, {{-1.0, 1.1, 1.6, 1.6, 0, 0, 0, 0}});
  EXPECT_EQ(name_segments(p), (std::vector<std::string>{"Champions"}));
}

TEST(ProfileNaming, BrowsingManyCategoriesWithoutBuyingIsWindowShopping) {
  Profiles p = crafted({"views", "purchases", "distinct_categories"}, {{1.3, -1.1, 1.9},
                                                                       {0.2, 0.4, 1.5}});
  EXPECT_EQ(name_segments(p), (std::vector<std::string>{"Window Shoppers", "Explorers"}));
}

TEST(ProfileNaming, HabitAndBasketNames) {
  Profiles p = crafted({"morning_share", "evening_share", "events_per_session", "purchases",
                        "mean_days_between_orders"},
                       {{1.8, -0.5, 0, 0, 0},
                        {-0.7, 6.5, 0, 0, 0},
                        {0, 0, 0.95, 0.2, 0},
                        {0, 0, 0.95, -0.2, 0},  // many events per session, no buying
                        {0, 0, 0, 0, 1.6}});
  // Periodic Buyers now needs z >= 1.5 (was 1.2 here, under the old 1.0), and a segment no rule
  // names gets a letter rather than a segmint column name ("High events_per_session" before).
  EXPECT_EQ(name_segments(p),
            (std::vector<std::string>{"Early Birds", "Evening Shoppers", "Big Baskets",
                                      "Segment D", "Periodic Buyers"}));
}

TEST(ProfileNaming, ValueNamesComeBeforeHabitNames) {
  // Early Birds alone would score 1.8; as a descriptive name it counts 0.9 < Champions' 1.3.
  // (Loyal before: Champions now fires without a monetary column, as on data without prices.)
  Profiles p = crafted({"recency_days", "frequency", "tenure_days", "morning_share"},
                       {{-1.0, 1.6, 0.5, 1.8}, {0, 0, 0, 1.8}});
  EXPECT_EQ(name_segments(p), (std::vector<std::string>{"Champions", "Early Birds"}));
}

TEST(ProfileNaming, StrongerMatchTakesTheNameOtherTakesItsNextRule) {
  // Both look like Champions; segment 1 more so. Segment 0 also qualifies as Loyal.
  Profiles p = crafted(kRfm, {{-0.6, 0.9, 0.7, 0, 0.35, 0, 0, 0}, {-1.5, 2.0, 2.0, 0, 0, 0, 0, 0}});
  EXPECT_EQ(name_segments(p), (std::vector<std::string>{"Loyal", "Champions"}));
}

TEST(ProfileNaming, RepeatsGetNumberSuffixes) {
  Profiles p = crafted({"night_share"}, {{2.0}, {1.5}, {3.0}});
  EXPECT_EQ(name_segments(p),
            (std::vector<std::string>{"Night Owls 2", "Night Owls 3", "Night Owls"}));
}

TEST(ProfileNaming, AbsentFeaturesNeverFireARule) {
  // No recency column: Champions cannot be claimed even with high frequency and monetary.
  Profiles p = crafted({"frequency", "monetary"}, {{2.0, 2.0}, {-2.0, -2.0}});
  std::vector<std::string> names = name_segments(p);
  EXPECT_NE(names[0], "Champions");
  EXPECT_EQ(names[1], "Occasional Buyers");
  // Loyal no longer needs tenure_days ("High frequency" before: a raw column name).
  EXPECT_EQ(names[0], "Loyal");
}

TEST(ProfileNaming, ArbitraryColumnsUseTopFeatureOrLetters) {
  Profiles p = crafted({"x1", "x2", "x3"},
                       {{0.1, -2.0, 0.5}, {1.0, 0.2, 0.0}, {0.1, 0.1, -0.2}, {0.0, 0.0, 0.0}});
  EXPECT_EQ(name_segments(p),
            (std::vector<std::string>{"Low x2", "High x1", "Segment C", "Segment D"}));
}

TEST(ProfileNaming, NamesAreUniqueForManySimilarSegments) {
  std::vector<std::vector<double>> z(30, std::vector<double>{1.0, 0.0});
  Profiles p = crafted({"a", "b"}, z);
  std::vector<std::string> names = name_segments(p);
  EXPECT_EQ(std::set<std::string>(names.begin(), names.end()).size(), names.size());
  EXPECT_EQ(names[0], "High a");
  EXPECT_EQ(names[1], "High a 2");
}

}  // namespace
}  // namespace segmint::pipeline
