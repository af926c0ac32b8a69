// Hungarian algorithm with potentials (shortest augmenting paths), O(n^2 m) for n <= m.
#include "nightly/hungarian.hpp"

#include <limits>

#include "segmint/error.hpp"

namespace segmint::nightly {
namespace {

// Core solver for n <= m: a(i, j) is the cost of row i, column j (0-based). Returns the column
// of each row. Potentials u (rows) and v (columns) keep reduced costs a - u - v >= 0; each row
// is added by a Dijkstra-like search for the cheapest augmenting path.
template <class Cost>
std::vector<int> solve(int n, int m, Cost a) {
  const double inf = std::numeric_limits<double>::infinity();
  std::vector<double> u(n + 1, 0.0), v(m + 1, 0.0);
  std::vector<int> p(m + 1, 0), way(m + 1, 0);  // p[j]: row (1-based) matched to column j
  for (int i = 1; i <= n; ++i) {
    p[0] = i;
    int j0 = 0;
    std::vector<double> minv(m + 1, inf);
    std::vector<char> used(m + 1, 0);
    do {
      used[j0] = 1;
      int i0 = p[j0], j1 = 0;
      double delta = inf;
      for (int j = 1; j <= m; ++j) {
        if (used[j]) continue;
        double cur = a(i0 - 1, j - 1) - u[i0] - v[j];
        if (cur < minv[j]) {
          minv[j] = cur;
          way[j] = j0;
        }
        if (minv[j] < delta) {  // strict: the lowest column index wins ties
          delta = minv[j];
          j1 = j;
        }
      }
      for (int j = 0; j <= m; ++j) {
        if (used[j]) {
          u[p[j]] += delta;
          v[j] -= delta;
        } else {
          minv[j] -= delta;
        }
      }
      j0 = j1;
    } while (p[j0] != 0);
    do {  // flip the augmenting path
      int j1 = way[j0];
      p[j0] = p[j1];
      j0 = j1;
    } while (j0);
  }
  std::vector<int> row_to_col(n, -1);
  for (int j = 1; j <= m; ++j) {
    if (p[j]) row_to_col[p[j] - 1] = j - 1;
  }
  return row_to_col;
}

}  // namespace

std::vector<int> hungarian(const std::vector<double>& cost, int rows, int cols) {
  if (rows < 0 || cols < 0 || cost.size() != static_cast<std::size_t>(rows) * cols) {
    throw RuntimeError("hungarian: cost matrix size does not match rows x cols");
  }
  for (double c : cost) {
    if (!(c > -std::numeric_limits<double>::infinity() &&
          c < std::numeric_limits<double>::infinity())) {
      throw RuntimeError("hungarian: cost matrix has a non-finite value");
    }
  }
  if (rows == 0 || cols == 0) return std::vector<int>(rows, -1);
  if (rows <= cols) {
    return solve(rows, cols, [&](int i, int j) { return cost[std::size_t(i) * cols + j]; });
  }
  // More rows than columns: solve the transpose (columns choose rows), then invert.
  std::vector<int> col_to_row =
      solve(cols, rows, [&](int i, int j) { return cost[std::size_t(j) * cols + i]; });
  std::vector<int> row_to_col(rows, -1);
  for (int c = 0; c < cols; ++c) row_to_col[col_to_row[c]] = c;
  return row_to_col;
}

double assignment_cost(const std::vector<double>& cost, int cols,
                       const std::vector<int>& assignment) {
  double total = 0;
  for (std::size_t r = 0; r < assignment.size(); ++r) {
    if (assignment[r] >= 0) total += cost[r * cols + assignment[r]];
  }
  return total;
}

}  // namespace segmint::nightly
