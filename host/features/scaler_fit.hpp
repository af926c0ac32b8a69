// The pieces of fit_scaler: one column's statistics per transform kind, the group balance and
// the heavy-user rule (each in its own file, composed by fit_scaler in scaler.cpp).
#pragma once
#include <cstdint>
#include <vector>

#include "segmint/features.hpp"

namespace segmint::fit {

/// Probabilities of the quantile transform's knots: 0, 0.01, ..., 1.
inline constexpr int kQuantileKnots = 101;

/// One fitted column; `constant` when it carries no information on the fit rows.
struct ColumnFit {
  bool constant = false;
  bool clip = false;
  double clip_lo = 0, clip_hi = 0;
  std::vector<double> knots;
  double center = 0, scale = 1;
};

/// Fits raw column `col` of `raw` on the rows where fit_rows[i] (all rows when empty): values
/// after signed log1p when `log1p`, then per kind: winsor bounds, quantile knots, centre/scale.
ColumnFit fit_column(const FeatureMatrix& raw, std::size_t col, bool log1p,
                     const TransformOptions& options, const std::vector<std::uint8_t>& fit_rows);

/// Sets s.group_weight: per group of s's columns, sqrt(m_eff / m) where m_eff = m^2 / sum of
/// squared correlations (the participation ratio of the group's correlation matrix) over the
/// fit rows of the transformed columns. Sums run in row order (deterministic).
void balance_groups(Scaler& s, const FeatureMatrix& raw, const std::vector<std::uint8_t>& fit_rows);

}  // namespace segmint::fit
