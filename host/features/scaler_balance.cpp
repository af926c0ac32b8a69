// balance_groups: one weight per feature group from the correlations of its transformed columns,
// so a group of correlated features counts as many features as it has independent directions.
#include <cmath>
#include <cstdint>
#include <map>
#include <vector>

#include "common/omp_guard.hpp"
#include "features/scaler_fit.hpp"

namespace segmint::fit {
namespace {

/// m_eff = m^2 / sum_ab r_ab^2 over the group's columns `cols` (indices into s), from sums over
/// the fit rows in row order. Columns without spread count as uncorrelated.
double effective_count(const Scaler& s, const std::vector<std::size_t>& cols,
                       const FeatureMatrix& raw, const std::vector<std::uint8_t>& fit_rows) {
  const std::size_t m = cols.size();
  std::vector<detail::ColumnScale> f(m);
  for (std::size_t a = 0; a < m; ++a) {
    f[a] = s.column(cols[a]);
    f[a].weight = 1.0;
  }
  // One buffer (three vectors inlined into balance_groups' OpenMP region drew a false GCC 12
  // -Wfree-nonheap-object): sums, then products, then the row's values.
  std::vector<double> buf(m + m * m + m, 0.0);
  double* sum = buf.data();
  double* prod = sum + m;
  double* z = prod + m * m;
  double n = 0;
  for (std::size_t i = 0; i < raw.rows; ++i) {
    if (!fit_rows.empty() && !fit_rows[i]) continue;
    for (std::size_t a = 0; a < m; ++a) {
      z[a] = detail::scale_value(raw.at(i, static_cast<std::size_t>(s.source_columns[cols[a]])), f[a]);
      sum[a] += z[a];
    }
    for (std::size_t a = 0; a < m; ++a) {
      for (std::size_t b = a; b < m; ++b) prod[a * m + b] += z[a] * z[b];
    }
    n += 1;
  }
  if (n < 2) return static_cast<double>(m);
  std::vector<double> var(m);
  for (std::size_t a = 0; a < m; ++a) var[a] = prod[a * m + a] / n - (sum[a] / n) * (sum[a] / n);
  double r2 = 0;
  for (std::size_t a = 0; a < m; ++a) {
    for (std::size_t b = 0; b < m; ++b) {
      const std::size_t lo = a < b ? a : b, hi = a < b ? b : a;
      double r = a == b ? 1.0 : 0.0;
      if (a != b && var[a] > 0 && var[b] > 0) {
        r = (prod[lo * m + hi] / n - (sum[a] / n) * (sum[b] / n)) / std::sqrt(var[a] * var[b]);
      }
      r2 += r * r;
    }
  }
  return static_cast<double>(m * m) / r2;
}

}  // namespace

void balance_groups(Scaler& s, const FeatureMatrix& raw, const std::vector<std::uint8_t>& fit_rows) {
  std::map<std::string, std::vector<std::size_t>> members;  // group -> columns, in column order
  for (std::size_t j = 0; j < s.names.size(); ++j) members[s.group[j]].push_back(j);
  s.group_weight.assign(s.names.size(), 1.0);
  std::vector<const std::vector<std::size_t>*> groups;
  for (const auto& [group, cols] : members)
    if (cols.size() >= 2) groups.push_back(&cols);
  // The groups on all threads (each group's sums stay in row order): one group at a time was
  // 54 ms of the scale step at 200k users.
  std::vector<double> weight(groups.size());
  const auto count = static_cast<std::int64_t>(groups.size());
  OmpGuard guard;  // bad_alloc
#pragma omp parallel for schedule(dynamic, 1)
  for (std::int64_t g = 0; g < count; ++g)
    guard.run([&] {
      const double m = static_cast<double>(groups[g]->size());
      weight[g] = std::sqrt(effective_count(s, *groups[g], raw, fit_rows) / m);
    });
  guard.rethrow();
  for (std::size_t g = 0; g < groups.size(); ++g)
    for (std::size_t j : *groups[g]) s.group_weight[j] = weight[g];
}

}  // namespace segmint::fit
