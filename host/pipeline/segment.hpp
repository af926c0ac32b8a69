// The stage shared by run, cluster and nightly: fit k-means on the transformed matrix, give the
// segments deterministic ids, profile them in original units and name them.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "profile/profile.hpp"
#include "segmint/backend.hpp"
#include "segmint/features.hpp"

namespace segmint::pipeline {

struct Segmentation {
  KMeansResult fit;                ///< segment-id order (see order_segments)
  Profiles profiles;               ///< over the raw columns, original units
  std::vector<std::string> names;  ///< one per segment, unique
};

/// Fits `params` on `x` (transformed, n x d) with `backend`, then orders, profiles (on `raw`,
/// n x D, original units) and names the segments. weights: n entries or nullptr.
Segmentation segment_users(Backend& backend, const FeatureMatrix& raw, const FeatureMatrix& x,
                           const float* weights, const KMeansParams& params,
                           const std::vector<std::uint8_t>& log_scale);

/// Which raw columns are heavy-tailed (profile z-scores on the log scale): those the scaler
/// log1p-transforms, plus catalog features flagged log1p.
std::vector<std::uint8_t> log_scale_columns(const std::vector<std::string>& raw_names,
                                            const Scaler& scaler);

/// Per-row weights from the raw column `name` (negative values count as 0); UsageError naming
/// the available columns when there is none of that name.
std::vector<float> weights_from_column(const FeatureMatrix& raw, const std::string& name);

/// The compact segment table printed to stderr: id, name, size, share and a few key means.
/// `segment_ids` gives the id shown for each row (empty = row i is segment i).
std::string segment_table(const Profiles& profiles, const std::vector<std::string>& names,
                          const std::vector<int>& segment_ids = {});

}  // namespace segmint::pipeline
