// The heavy-user rule: fences on log1p of activity measures, fitted on the whole population, and
// the rows they flag.
#include <cmath>

#include "features/quantiles.hpp"
#include "segmint/features.hpp"

namespace segmint {
namespace {

/// The activity measures, each a product of raw columns: how often (sessions) and how much
/// (activity events = sessions x events per session).
const std::vector<std::vector<std::string>>& measures() {
  static const std::vector<std::vector<std::string>> m = {{"sessions"},
                                                          {"sessions", "events_per_session"}};
  return m;
}

/// Column index of each of `names` in raw, or an empty vector when one is missing.
std::vector<std::size_t> find_columns(const FeatureMatrix& raw, const std::vector<std::string>& names) {
  std::vector<std::size_t> cols;
  for (const auto& n : names) {
    std::size_t j = 0;
    while (j < raw.names.size() && raw.names[j] != n) ++j;
    if (j == raw.names.size()) return {};
    cols.push_back(j);
  }
  return cols;
}

double measure(const FeatureMatrix& raw, std::size_t i, const std::vector<std::size_t>& cols) {
  double v = 1;
  for (std::size_t j : cols) v *= detail::finite_or_zero(raw.at(i, j));
  return v;
}

}  // namespace

HeavyRule fit_heavy_rule(const FeatureMatrix& raw, double fence) {
  HeavyRule rule;
  if (!(fence > 0) || raw.rows == 0) return rule;
  rule.iqr_multiple = fence;
  for (const auto& names : measures()) {
    const std::vector<std::size_t> cols = find_columns(raw, names);
    if (cols.empty()) continue;
    std::vector<double> logs(raw.rows);
    for (std::size_t i = 0; i < raw.rows; ++i) logs[i] = detail::fence_value(measure(raw, i, cols));
    const Quartiles q = quartiles(std::move(logs));
    // An IQR below ln 2 (most users alike, e.g. one session each) is taken as ln 2, so users
    // a little above a crowd are not flagged.
    rule.measures.push_back(names);
    rule.log_fence.push_back(q.q3 + fence * std::max(q.q3 - q.q1, std::log(2.0)));
  }
  return rule;
}

std::vector<std::uint8_t> Scaler::heavy_rows(const FeatureMatrix& raw) const {
  std::vector<std::uint8_t> out(raw.rows, 0);
  for (std::size_t r = 0; r < heavy.measures.size(); ++r) {
    const std::vector<std::size_t> cols = find_columns(raw, heavy.measures[r]);
    if (cols.empty()) continue;
    for (std::size_t i = 0; i < raw.rows; ++i) {
      if (detail::above_fence(measure(raw, i, cols), heavy.log_fence[r])) out[i] = 1;
    }
  }
  return out;
}

}  // namespace segmint
