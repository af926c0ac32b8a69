// Scaler: selection, log1p flags, population z-score, constant columns, weights, inverse, CSV.
#include <cmath>

#include "features_fixture.hpp"

namespace segmint::test {
namespace {

// 4 users x 3 columns: monetary (log1p, one negative), recency_days (no log1p), carts (constant).
FeatureMatrix small() {
  FeatureMatrix m;
  m.rows = 4;
  m.cols = 3;
  m.names = {"monetary", "recency_days", "carts"};
  m.values = {0.f, 1.f, 0.f,  //
              9.f, 3.f, 0.f,  //
              99.f, 5.f, 0.f, //
              -9.f, 7.f, 0.f};
  return m;
}

TEST(FeaturesScaler, ZscoreWithPopulationStdAndConstantDropped) {
  TransformOptions o;
  o.kind = TransformOptions::Kind::zscore;
  Scaler s = fit_scaler(small(), o);
  ASSERT_EQ(s.names, (std::vector<std::string>{"monetary", "recency_days"}));
  EXPECT_EQ(s.dropped_constant, std::vector<std::string>{"carts"});
  EXPECT_EQ(s.source_columns, (std::vector<int>{0, 1}));
  EXPECT_EQ(s.log1p, (std::vector<std::uint8_t>{0, 0}));
  // recency: mean 4, population variance (9+1+1+9)/4 = 5.
  EXPECT_DOUBLE_EQ(s.mean[1], 4.0);
  EXPECT_DOUBLE_EQ(s.stddev[1], std::sqrt(5.0));
  FeatureMatrix z = s.transform(small());
  ASSERT_EQ(z.cols, 2u);
  EXPECT_FLOAT_EQ(z.at(0, 1), static_cast<float>(-3.0 / std::sqrt(5.0)));
  EXPECT_FLOAT_EQ(z.at(3, 1), static_cast<float>(3.0 / std::sqrt(5.0)));
}

TEST(FeaturesScaler, SignedLog1pOnHeavyTailedColumns) {
  TransformOptions o;  // default log1p_zscore
  Scaler s = fit_scaler(small(), o);
  EXPECT_EQ(s.log1p, (std::vector<std::uint8_t>{1, 0}));
  // monetary -> 0, ln 10, ln 100, -ln 10: mean ln(10)/2... = (ln10 + 2 ln10 - ln10)/4 = ln10/2
  EXPECT_NEAR(s.mean[0], std::log(10.0) / 2, 1e-12);
  FeatureMatrix z = s.transform(small());
  for (float v : z.values) EXPECT_TRUE(std::isfinite(v));
}

TEST(FeaturesScaler, InverseRoundTripsToOriginalUnits) {
  TransformOptions o;
  o.weights = {{"recency_days", 2.0f}};
  Scaler s = fit_scaler(small(), o);
  EXPECT_DOUBLE_EQ(s.weight[1], 2.0);
  FeatureMatrix z = s.transform(small());
  std::vector<double> back = s.inverse(z.values, 4);
  ASSERT_EQ(back.size(), 8u);
  const float raw_money[] = {0.f, 9.f, 99.f, -9.f}, raw_rec[] = {1.f, 3.f, 5.f, 7.f};
  for (int i = 0; i < 4; ++i) {
    EXPECT_NEAR(back[i * 2], raw_money[i], 1e-4 * (1 + std::fabs(raw_money[i])));
    EXPECT_NEAR(back[i * 2 + 1], raw_rec[i], 1e-5);
  }
  EXPECT_THROW(s.inverse(z.values, 3), RuntimeError);
}

TEST(FeaturesScaler, SelectByGroupOrNameAndRejectUnknown) {
  UserTable t;
  t.add(random_events(3000, 100, 5));
  FeatureMatrix raw = compute_features(t, {});
  TransformOptions o;
  o.select = {"rfm", "sessions", "weekend_share"};
  Scaler s = fit_scaler(raw, o);
  EXPECT_EQ(s.names, (std::vector<std::string>{"recency_days", "frequency", "monetary",
                                               "avg_order_value", "sessions",
                                               "events_per_session", "avg_session_minutes",
                                               "weekend_share"}));
  o.select = {"no_such_thing"};
  EXPECT_THROW(fit_scaler(raw, o), UsageError);
  o.select = {};
  o.weights = {{"monetary", -1.f}};
  EXPECT_THROW(fit_scaler(raw, o), UsageError);
  o.weights = {{"not_selected", 1.f}};
  EXPECT_THROW(fit_scaler(raw, o), UsageError);
}

TEST(FeaturesScaler, NonFiniteNeverComesOut) {
  FeatureMatrix m = small();
  m.at(1, 1) = NAN;
  m.at(2, 0) = INFINITY;
  Scaler s = fit_scaler(m, {});
  FeatureMatrix z = s.transform(m);
  for (float v : z.values) EXPECT_TRUE(std::isfinite(v));
  for (double v : s.inverse(z.values, 4)) EXPECT_TRUE(std::isfinite(v));
}

TEST(FeaturesScaler, AllConstantIsAnInputError) {
  FeatureMatrix m = small();
  TransformOptions o;
  o.select = {"carts"};
  EXPECT_THROW(fit_scaler(m, o), InputError);
}

TEST(FeaturesScaler, TransformFindsColumnsByName) {
  Scaler s = fit_scaler(small(), {});
  FeatureMatrix swapped;
  swapped.rows = 4;
  swapped.cols = 2;
  swapped.names = {"recency_days", "monetary"};
  for (std::size_t i = 0; i < 4; ++i) {
    swapped.values.push_back(small().at(i, 1));
    swapped.values.push_back(small().at(i, 0));
  }
  EXPECT_EQ(s.transform(swapped).values, s.transform(small()).values);
  swapped.names = {"recency_days", "x"};
  EXPECT_THROW(s.transform(swapped), InputError);
}

TEST(FeaturesCsv, SortedByIdStringRoundTripFloatsAndQuoting) {
  FeatureMatrix m;
  m.rows = 3;
  m.cols = 2;
  m.names = {"a", "b"};
  m.values = {0.1f, 1e-7f, 2.f, -3.5f, 16777217.f, 1.f / 3.f};
  // Row order comes from UserDictionary::sorted_order() (ingest's, tested there).
  const std::vector<std::string> ids = {"9", "x,\"y\"", "10"};
  const std::string csv = features_csv(m, ids, {2, 0, 1});
  EXPECT_EQ(csv,
            "user_id,a,b\n"
            "10,16777216,0.33333334\n"
            "9,0.1,1e-07\n"
            "\"x,\"\"y\"\"\",2,-3.5\n");
  EXPECT_THROW(features_csv(m, {"a"}, {0}), RuntimeError);
  EXPECT_THROW(features_csv(m, ids, {0, 1, 7}), RuntimeError);
}

}  // namespace
}  // namespace segmint::test
