// Optimal assignment (Hungarian algorithm) on rectangular cost matrices.
#pragma once
#include <vector>

namespace segmint::nightly {

/// Minimum-cost assignment for a rows x cols cost matrix (row-major, finite values).
/// Every row is assigned to a distinct column when rows <= cols; otherwise every column gets a
/// distinct row. Returns, per row, the column it was given or -1 (only when rows > cols).
/// O(n^2 m) with n = min(rows, cols), m = max(rows, cols). Ties are broken deterministically.
std::vector<int> hungarian(const std::vector<double>& cost, int rows, int cols);

/// Sum of cost over the assigned pairs of `assignment` (as returned by hungarian()).
double assignment_cost(const std::vector<double>& cost, int cols,
                       const std::vector<int>& assignment);

}  // namespace segmint::nightly
