// The scaler fit written once over a column-sum provider (the host sums rows in order; the CUDA
// backend sums fixed chunks on the device), and the column lookup of Scaler::transform.
#pragma once
#include <cmath>
#include <cstddef>
#include <functional>
#include <vector>

#include "segmint/features.hpp"

namespace segmint {

/// What a fit needs of one raw column's fit values (detail::fit_value): their sum, minimum,
/// maximum and, when the column is not constant, the square sum around mean = sum / rows.
struct ColumnFit {
  double sum = 0, lo = INFINITY, hi = -INFINITY, square_sum = 0;
};

/// fit(column j of the raw matrix, log1p) -> its ColumnFit.
using ColumnFitter = std::function<ColumnFit(std::size_t, bool)>;

/// fit_scaler with the column sums from `fit_column` (raw's names, cols and rows are read, its
/// values only through fit_column): selection, log1p flags, constant columns dropped, mean and
/// population standard deviation, weights, and the same errors as fit_scaler.
Scaler fit_scaler_with(const FeatureMatrix& raw, const TransformOptions& options,
                       const ColumnFitter& fit_column);

/// Index in `raw` of each of the scaler's columns: by name when raw has names, else by the
/// fitted positions. Throws InputError for a missing column.
std::vector<std::size_t> scaler_columns(const Scaler& scaler, const FeatureMatrix& raw);

}  // namespace segmint
