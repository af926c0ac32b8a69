// Per-segment means and z-scores, computed in one fixed-order pass over the rows.
#include "profile/profile.hpp"

#include <cmath>

#include "segmint/error.hpp"

namespace segmint::pipeline {
namespace {
double scaled(double x, bool log_scale) {
  if (!log_scale) return x;
  return x < 0 ? -std::log1p(-x) : std::log1p(x);
}
}  // namespace

int feature_index(const std::vector<std::string>& names, const std::string& name) {
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (names[i] == name) return static_cast<int>(i);
  }
  return -1;
}

Profiles compute_profiles(const FeatureMatrix& raw, const std::vector<std::int32_t>& labels,
                          int k, const std::vector<std::uint8_t>& log_scale) {
  if (labels.size() != raw.rows) throw RuntimeError("compute_profiles: labels/rows mismatch");
  const std::size_t d = raw.cols;
  const std::size_t ks = static_cast<std::size_t>(k);
  Profiles p;
  p.features = raw.names;
  p.log_scale = log_scale;
  p.log_scale.resize(d, 0);
  std::vector<double> sum(ks * d, 0), sum_s(ks * d, 0), pop(d, 0), pop_s(d, 0), pop_s2(d, 0);
  std::vector<std::int64_t> size(ks, 0);
  for (std::size_t i = 0; i < raw.rows; ++i) {
    std::int32_t l = labels[i];
    if (l < 0 || l >= k) continue;
    ++size[static_cast<std::size_t>(l)];
    const float* row = raw.values.data() + i * d;
    double* s = sum.data() + static_cast<std::size_t>(l) * d;
    double* ss = sum_s.data() + static_cast<std::size_t>(l) * d;
    for (std::size_t j = 0; j < d; ++j) {
      double x = row[j];
      double xs = scaled(x, p.log_scale[j] != 0);
      s[j] += x;
      ss[j] += xs;
      pop[j] += x;
      pop_s[j] += xs;
      pop_s2[j] += xs * xs;
    }
  }
  std::int64_t n = 0;
  for (auto s : size) n += s;
  p.population_mean.assign(d, 0);
  std::vector<double> mu_s(d, 0), sd_s(d, 0);
  for (std::size_t j = 0; j < d && n > 0; ++j) {
    p.population_mean[j] = pop[j] / static_cast<double>(n);
    mu_s[j] = pop_s[j] / static_cast<double>(n);
    double var = pop_s2[j] / static_cast<double>(n) - mu_s[j] * mu_s[j];
    sd_s[j] = var > 1e-12 * (1 + mu_s[j] * mu_s[j]) ? std::sqrt(var) : 0;
  }
  p.segments.resize(ks);
  for (std::size_t c = 0; c < ks; ++c) {
    SegmentProfile& sp = p.segments[c];
    sp.size = size[c];
    sp.share = n > 0 ? static_cast<double>(size[c]) / static_cast<double>(n) : 0;
    sp.mean.assign(d, 0);
    sp.z.assign(d, 0);
    if (size[c] == 0) continue;
    for (std::size_t j = 0; j < d; ++j) {
      sp.mean[j] = sum[c * d + j] / static_cast<double>(size[c]);
      double ms = sum_s[c * d + j] / static_cast<double>(size[c]);
      sp.z[j] = sd_s[j] > 0 ? (ms - mu_s[j]) / sd_s[j] : 0;
    }
  }
  return p;
}

}  // namespace segmint::pipeline
