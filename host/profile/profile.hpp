// Segment profiles: size, share, per-feature means in original units and z-scores.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "segmint/matrix.hpp"

namespace segmint::pipeline {

struct SegmentProfile {
  std::int64_t size = 0;
  double share = 0;          ///< size / number of users
  std::vector<double> mean;  ///< per feature, original units (arithmetic mean of the rows)
  std::vector<double> z;     ///< per feature: (segment mean - population mean) / population std,
                             ///< on the log scale for heavy-tailed features; 0 for constants
};

struct Profiles {
  std::vector<std::string> features;  ///< column names of the profiled matrix
  std::vector<std::uint8_t> log_scale;
  std::vector<double> population_mean;
  std::vector<SegmentProfile> segments;  ///< k entries, by segment id
};

/// Profiles the k segments of `raw` (n x D, original units) given one label per row.
/// `log_scale` (empty = none) marks heavy-tailed columns whose z-scores are taken on
/// sign(x)*log1p(|x|): a few whales must not make every other segment look average.
/// Sums run in row order in double, so the result never depends on thread count.
Profiles compute_profiles(const FeatureMatrix& raw, const std::vector<std::int32_t>& labels,
                          int k, const std::vector<std::uint8_t>& log_scale);

/// Index of a feature by name in `names`, or -1.
int feature_index(const std::vector<std::string>& names, const std::string& name);

}  // namespace segmint::pipeline
