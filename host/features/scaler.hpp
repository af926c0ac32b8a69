// The scaler fit over column sums (the CUDA backend sums fixed chunks of rows on the device) and
// the column lookup of Scaler::transform.
#pragma once
#include <cmath>
#include <cstddef>
#include <functional>
#include <vector>

#include "segmint/features.hpp"

namespace segmint {

/// What a z-score fit needs of one raw column's fit values (detail::fit_value): their sum,
/// minimum, maximum and, when the column is not constant, the square sum around mean = sum / rows.
struct ColumnMoments {
  double sum = 0, lo = INFINITY, hi = -INFINITY, square_sum = 0;
};

/// sums_of(column j of the raw matrix, log1p) -> its ColumnMoments.
using ColumnSumsFitter = std::function<ColumnMoments(std::size_t, bool)>;

/// Whether fit_scaler_with can fit `options` from column sums alone: z-score kinds (or none) on
/// every row (no heavy-user rule) without the group balance (it needs correlations).
bool fits_from_column_sums(const TransformOptions& options);

/// fit_scaler with the column sums from `sums_of` (raw's names, cols and rows are read, its
/// values only through sums_of): selection, log1p flags, constant columns dropped, mean and
/// population standard deviation, weights, and the same errors as fit_scaler. Throws
/// RuntimeError when !fits_from_column_sums(options).
Scaler fit_scaler_with(const FeatureMatrix& raw, const TransformOptions& options,
                       const ColumnSumsFitter& sums_of);

/// Index in `raw` of each of the scaler's columns: by name when raw has names, else by the
/// fitted positions. Throws InputError for a missing column.
std::vector<std::size_t> scaler_columns(const Scaler& scaler, const FeatureMatrix& raw);

}  // namespace segmint
