// Type-7 quantiles by one sort of a copy of the column (deterministic: only the values count).
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
  std::sort(values.begin(), values.end());
  std::vector<double> out;
  out.reserve(qs.size());
  for (double q : qs) out.push_back(sorted_quantile(values.data(), values.size(), q));
  return out;
}

Quartiles quartiles(std::vector<double> values) {
  const std::vector<double> q = quantiles(std::move(values), {0.25, 0.5, 0.75});
  return {q[0], q[1], q[2]};
}

}  // namespace segmint
