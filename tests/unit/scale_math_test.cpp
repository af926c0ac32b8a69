// The per-value transform formulas (include/segmint/detail/scale_math.hpp) on the CPU, and the
// robust, winsor and quantile scalers that use them, including their model.json round trip.
#include <gtest/gtest.h>

#include <cmath>

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
