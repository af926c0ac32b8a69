// Quantiles of a column, defined once for every fitted robust statistic (winsor bounds, median,
// IQR, quantile knots, heavy-user fences): type 7 (numpy's and R's default), which depends only
// on the multiset of values, so a distributed run reproduces it with any exact selection.
#pragma once
#include <vector>

namespace segmint {

/// The q-quantile (0 <= q <= 1) of n >= 1 ascending values: with h = q (n - 1), the order
/// statistic floor(h) plus (h - floor(h)) times the step to the next one.
double sorted_quantile(const double* sorted, std::size_t n, double q);

/// The quantiles at each of `qs` of `values` (any order; taken by value and sorted). Empty
/// values give 0 for every q.
std::vector<double> quantiles(std::vector<double> values, const std::vector<double>& qs);

/// Linear interquartile range q(0.75) - q(0.25) and median of `values`, in one sort.
struct Quartiles {
  double q1 = 0, median = 0, q3 = 0;
};
Quartiles quartiles(std::vector<double> values);

}  // namespace segmint
