// The per-value transform formulas (include/segmint/detail/scale_math.hpp) on the CPU, and the
// robust, winsor and quantile scalers that use them, including their model.json round trip; the
// type-7 quantiles they are fitted with.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

#include "features/quantiles.hpp"
#include "outputs/scaler_json.hpp"
#include "segmint/detail/scale_math.hpp"
#include "segmint/features.hpp"

namespace segmint {
namespace {

using detail::ColumnScale;

TEST(ScaleMath, QuantileRankInterpolatesAndTiesTakeTheMiddle) {
  const double knots[] = {0, 0, 0, 2, 4};  // probabilities 0, .25, .5, .75, 1
  EXPECT_EQ(detail::quantile_rank(-1, knots, 5), 0.0);
  EXPECT_EQ(detail::quantile_rank(9, knots, 5), 1.0);
  EXPECT_DOUBLE_EQ(detail::quantile_rank(0, knots, 5), 0.25);  // middle of knots 0..2
  EXPECT_DOUBLE_EQ(detail::quantile_rank(3, knots, 5), 0.875);
  EXPECT_DOUBLE_EQ(detail::quantile_value(0.875, knots, 5), 3.0);
}

TEST(ScaleMath, ClipThenCentreScaleAndWeight) {
  ColumnScale c;
  c.log1p = true;
  c.clip = true;
  c.clip_lo = 0.0;
  c.clip_hi = std::log1p(9.0);
  c.center = 1.0;
  c.scale = 0.5;
  c.weight = 2.0;
  EXPECT_FLOAT_EQ(detail::scale_value(1000.f, c), static_cast<float>(2 * (std::log1p(9.0) - 1) / 0.5));
  EXPECT_FLOAT_EQ(detail::scale_value(-5.f, c), -4.f);  // clipped at 0 after the signed log
  EXPECT_EQ(detail::scale_value(NAN, c), -4.f);         // non-finite counts as 0
  EXPECT_TRUE(detail::above_fence(100, std::log1p(50.0)));
  EXPECT_FALSE(detail::above_fence(-3, 0.0));
}

FeatureMatrix column(const std::vector<float>& v) {
  FeatureMatrix m;
  m.rows = v.size();
  m.cols = 1;
  m.names = {"frequency"};
  m.values = v;
  return m;
}

TEST(ScaleMath, RobustWinsorAndQuantileScalersSurviveOneHugeValue) {
  const FeatureMatrix raw = column({1, 2, 3, 4, 5, 6, 7, 8, 9, 1e9f});
  for (auto kind : {TransformOptions::Kind::log1p_robust, TransformOptions::Kind::log1p_winsor,
                    TransformOptions::Kind::quantile}) {
    TransformOptions o;
    o.kind = kind;
    o.winsor_tail = 0.1;
    const Scaler s = fit_scaler(raw, o);
    const FeatureMatrix x = s.transform(raw);
    // The outlier does not squeeze the others together: neighbours stay apart.
    EXPECT_GT(x.at(5, 0) - x.at(4, 0), 0.05f) << static_cast<int>(kind);
    EXPECT_TRUE(std::isfinite(x.at(9, 0)));
    const nlohmann::json j = pipeline::scaler_to_json(s);
    const Scaler back = pipeline::scaler_from_json(JsonFields(j, "m.json"), raw.cols);
    EXPECT_EQ(back.transform(raw).values, x.values) << static_cast<int>(kind);
  }
}

}  // namespace
}  // namespace segmint

namespace segmint {
namespace {

// quantiles() places only the order statistics it reads (selection) for a few probabilities and
// sorts for many: either way every value is the full sort's type-7 quantile, on columns with ties,
// of 1 to 2000 values, for probabilities at the ends, between, repeated, and 101 knots.
TEST(Quantiles, SelectionGivesTheSortedColumnsValues) {
  std::mt19937_64 gen(9);
  for (std::size_t n : {1u, 2u, 3u, 9u, 100u, 2000u}) {
    for (int round = 0; round < 20; ++round) {
      std::vector<double> v(n);
      for (auto& x : v) x = round % 2 ? static_cast<double>(gen() % 7) : std::ldexp(double(gen() % 100000), -7);
      std::vector<double> qs;
      const int count = round % 5 == 4 ? 101 : 1 + round % 4;
      for (int i = 0; i < count; ++i) qs.push_back(count == 101 ? i / 100.0 : (gen() % 1001) / 1000.0);
      if (round % 3 == 0) qs.push_back(qs.front());  // a repeat
      std::vector<double> sorted = v;
      std::sort(sorted.begin(), sorted.end());
      const std::vector<double> got = quantiles(v, qs);
      ASSERT_EQ(got.size(), qs.size());
      for (std::size_t i = 0; i < qs.size(); ++i)
        EXPECT_EQ(got[i], sorted_quantile(sorted.data(), n, qs[i])) << "n " << n << " q " << qs[i];
    }
  }
}

}  // namespace
}  // namespace segmint
