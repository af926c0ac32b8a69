// The scaler math shared with the device: Scaler::transform is detail::scaled_value entry by
// entry, and the device fit (column sums of fixed row chunks added in chunk order, assembled by
// fit_scaler_with) gives the host fit's columns, log1p flags and dropped columns, with means and
// standard deviations within rounding.
#include <cmath>
#include <random>

#include "cuda_plan/stream_plan.hpp"
#include "features/scaler.hpp"
#include "features_fixture.hpp"
#include "segmint/detail/scale_math.hpp"

namespace segmint::test {
namespace {

FeatureMatrix random_raw(std::size_t rows, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::lognormal_distribution<double> money(3.0, 2.0);
  FeatureMatrix m;
  m.rows = rows;
  m.cols = detail::kFeatureCount;
  for (const auto& f : feature_catalog()) m.names.push_back(f.name);
  m.values.resize(rows * m.cols);
  for (std::size_t i = 0; i < rows; ++i) {
    for (std::size_t j = 0; j < m.cols; ++j) {
      double v = money(rng) * (rng() % 7 == 0 ? -1 : 1);
      if (j == 5) v = 2.5;             // constant: dropped
      if (j == 7 && i == 17) v = NAN;  // non-finite counts as 0
      if (j == 8 && i == 3) v = INFINITY;
      m.values[i * m.cols + j] = static_cast<float>(v);
    }
  }
  return m;
}

/// The device fit on the CPU: per-chunk sums in row order, chunks added in chunk order.
Scaler device_fit(const FeatureMatrix& raw, const TransformOptions& o) {
  const std::size_t chunk = cuda_plan::kScaleChunkRows;
  return fit_scaler_with(raw, o, [&raw, chunk](std::size_t j, bool lg) {
    detail::ColumnSums total = detail::empty_column_sums();
    for (std::size_t b = 0; b < raw.rows; b += chunk) {
      detail::add_column_sums(total, detail::column_sums(raw.values.data(), raw.cols, j, lg, b,
                                                         std::min(raw.rows, b + chunk)));
    }
    const double mean = raw.rows ? total.sum / static_cast<double>(raw.rows) : 0.0;
    double ss = 0;
    for (std::size_t b = 0; b < raw.rows; b += chunk) {
      ss += detail::column_square_sum(raw.values.data(), raw.cols, j, lg, mean, b,
                                      std::min(raw.rows, b + chunk));
    }
    return ColumnMoments{total.sum, total.lo, total.hi, ss};
  });
}

TEST(FeaturesDeviceScaler, ChunkedFitMatchesTheHostFitWithinRounding) {
  for (auto kind : {TransformOptions::Kind::log1p_zscore, TransformOptions::Kind::zscore,
                    TransformOptions::Kind::none}) {
    const FeatureMatrix raw = random_raw(30001, 3);
    TransformOptions o;
    o.kind = kind;
    o.weights = {{"monetary", 2.0f}};
    const Scaler host = fit_scaler(raw, o), dev = device_fit(raw, o);
    ASSERT_EQ(dev.names, host.names);
    EXPECT_EQ(dev.dropped_constant, host.dropped_constant);
    EXPECT_EQ(dev.log1p, host.log1p);
    EXPECT_EQ(dev.weight, host.weight);
    EXPECT_EQ(dev.source_columns, host.source_columns);
    for (std::size_t j = 0; j < host.names.size(); ++j) {
      EXPECT_NEAR(dev.mean[j], host.mean[j], 1e-12 * (1 + std::fabs(host.mean[j])))
          << host.names[j];
      EXPECT_NEAR(dev.stddev[j], host.stddev[j], 1e-12 * host.stddev[j]) << host.names[j];
    }
  }
}

TEST(FeaturesDeviceScaler, TransformIsTheSharedEntryFormula) {
  const FeatureMatrix raw = random_raw(500, 4);
  const Scaler s = fit_scaler(raw, TransformOptions{});
  const FeatureMatrix x = s.transform(raw);
  const std::vector<std::size_t> col = scaler_columns(s, raw);
  for (std::size_t i = 0; i < raw.rows; ++i) {
    for (std::size_t j = 0; j < s.names.size(); ++j) {
      const float want = detail::scaled_value(raw.at(i, col[j]), s.log1p[j] != 0, s.mean[j],
                                              s.stddev[j], s.weight[j]);
      ASSERT_EQ(x.at(i, j), want) << i << " " << j;  // bit for bit
    }
  }
  // A table whose columns come in another order is read by name.
  ASSERT_EQ(s.names[0], raw.names[0]);
  FeatureMatrix swapped = raw;
  std::swap(swapped.names[0], swapped.names[1]);
  EXPECT_EQ(scaler_columns(s, swapped)[0], 1u);
}

TEST(FeaturesDeviceScaler, RowOrderSumsGiveTheHostFitBitForBit) {
  // fit_scaler_with over one chunk of all rows is fit_scaler's own arithmetic.
  const FeatureMatrix raw = random_raw(2001, 5);
  TransformOptions o;
  const Scaler host = fit_scaler(raw, o);
  const Scaler sums = fit_scaler_with(raw, o, [&raw](std::size_t j, bool lg) {
    const detail::ColumnSums c = detail::column_sums(raw.values.data(), raw.cols, j, lg, 0, raw.rows);
    const double mean = c.sum / static_cast<double>(raw.rows);
    return ColumnMoments{c.sum, c.lo, c.hi,
                         detail::column_square_sum(raw.values.data(), raw.cols, j, lg, mean, 0,
                                                   raw.rows)};
  });
  EXPECT_EQ(sums.mean, host.mean);
  EXPECT_EQ(sums.stddev, host.stddev);
  EXPECT_EQ(sums.transform(raw).values, host.transform(raw).values);
}

TEST(FeaturesDeviceScaler, OptionsThatNeedTheRawValuesAreNotFittedFromSums) {
  TransformOptions plain;
  EXPECT_TRUE(fits_from_column_sums(plain));
  TransformOptions heavy = plain, balanced = plain, robust = plain;
  heavy.heavy_fence = 2;
  balanced.balance_groups = true;
  robust.kind = TransformOptions::Kind::log1p_robust;
  for (const auto& o : {heavy, balanced, robust}) {
    EXPECT_FALSE(fits_from_column_sums(o));
    const FeatureMatrix raw = random_raw(50, 6);
    EXPECT_THROW(fit_scaler_with(raw, o, [](std::size_t, bool) { return ColumnMoments{}; }),
                 RuntimeError);
  }
}

}  // namespace
}  // namespace segmint::test
