// Type-7 quantiles of a copy of the column by selection or one sort (deterministic: only the
// values count).
#include "features/quantiles.hpp"

#include <algorithm>
#include <cmath>

namespace segmint {

double sorted_quantile(const double* sorted, std::size_t n, double q) {
  if (n == 0) return 0.0;
  const double h = std::min(1.0, std::max(0.0, q)) * static_cast<double>(n - 1);
  const auto i = static_cast<std::size_t>(std::floor(h));
  if (i + 1 >= n) return sorted[n - 1];
  return sorted[i] + (h - static_cast<double>(i)) * (sorted[i + 1] - sorted[i]);
}

std::vector<double> quantiles(std::vector<double> values, const std::vector<double>& qs) {
  const std::size_t n = values.size();
  // A few quantiles need only the order statistics at floor(h) and the one after: placed by
  // selection (linear) instead of a sort of the whole column (~12 ms for each of the heavy
  // rule's two measures at 200k users). Every other position keeps a value that is not read.
  std::vector<std::size_t> at;
  for (double q : qs) {
    if (n == 0) break;
    const double h = std::min(1.0, std::max(0.0, q)) * static_cast<double>(n - 1);
    const auto i = static_cast<std::size_t>(std::floor(h));
    at.push_back(i);
    if (i + 1 < n) at.push_back(i + 1);
  }
  std::sort(at.begin(), at.end());
  at.erase(std::unique(at.begin(), at.end()), at.end());
  if (at.size() <= 8) {
    std::size_t from = 0;  // [0, from) holds the statistics placed so far and what is below them
    for (std::size_t k : at) {
      std::nth_element(values.begin() + static_cast<std::ptrdiff_t>(from),
                       values.begin() + static_cast<std::ptrdiff_t>(k), values.end());
      from = k + 1;
    }
  } else {
    std::sort(values.begin(), values.end());
  }
  std::vector<double> out;
  out.reserve(qs.size());
  for (double q : qs) out.push_back(sorted_quantile(values.data(), n, q));
  return out;
}

Quartiles quartiles(std::vector<double> values) {
  const std::vector<double> q = quantiles(std::move(values), {0.25, 0.5, 0.75});
  return {q[0], q[1], q[2]};
}

}  // namespace segmint
