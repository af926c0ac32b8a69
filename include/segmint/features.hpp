// Behavioral features: UserTable -> raw feature table, and the transforms (log1p, z-score,
// weights) that turn it into the matrix k-means sees.
// OWNER: features work (issue 3). Declarations marked [contract] are used by pipeline code.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "segmint/aggregate.hpp"
#include "segmint/dictionary.hpp"
#include "segmint/matrix.hpp"

namespace segmint {

/// Options of the features stage. [contract]
struct FeatureOptions {
  std::optional<std::int64_t> as_of;  ///< unix seconds; default latest event time in the data
};

/// Static description of one feature.
struct FeatureInfo {
  std::string name;   ///< e.g. "recency_days"
  std::string unit;   ///< e.g. "days", "count", "currency", "ratio"
  std::string group;  ///< "rfm", "lifecycle", "funnel", "sessions", "habits", "breadth", "campaign"
  bool log1p = false; ///< heavy-tailed: log1p before z-scoring by default
};

/// All features segmint computes, in column order. [contract]
const std::vector<FeatureInfo>& feature_catalog();

/// Raw features (original units), one row per user in dense user index order, columns in
/// feature_catalog() order. Also returns the as_of actually used. [contract]
FeatureMatrix compute_features(const UserTable& table, const FeatureOptions& options,
                               std::int64_t* as_of_used = nullptr);

/// Looks a feature up by name; nullptr when there is none.
const FeatureInfo* find_feature(const std::string& name);

/// The raw feature table as CSV text: header `user_id,<names>`, one row per user sorted by user
/// id string (UserDictionary::sorted_order()), floats in shortest round-trip form. Rows of `raw`
/// are dense user indices; users.size() must equal raw.rows.
std::string features_csv(const FeatureMatrix& raw, const UserDictionary& users);
/// Same, with the user ids given directly (ids[i] names row i) and rows in `order`.
std::string features_csv(const FeatureMatrix& raw, const std::vector<std::string>& ids,
                         const std::vector<std::uint32_t>& order);
/// Writes features_csv() to `path` atomically.
void write_features_csv(const std::string& path, const FeatureMatrix& raw,
                        const UserDictionary& users);

/// How raw features become the clustering matrix. [contract]
struct TransformOptions {
  enum class Kind { none, zscore, log1p_zscore };
  Kind kind = Kind::log1p_zscore;
  std::vector<std::string> select;  ///< group or feature names; empty = all
  std::vector<std::pair<std::string, float>> weights;  ///< name -> multiplier after scaling
};

/// Fitted transform: column selection, log1p flags, mean/std and weights. Stored in model.json
/// so assign and nightly apply exactly the same transform. [contract]
struct Scaler {
  std::vector<std::string> names;   ///< selected columns (subset of the raw names, in order)
  std::vector<int> source_columns;  ///< index of each selected column in the raw matrix
  std::vector<std::uint8_t> log1p;  ///< per selected column
  std::vector<double> mean, stddev, weight;
  std::vector<std::string> dropped_constant;  ///< selected but constant on the fit data

  /// raw (n x D) -> transformed (n x names.size()). NaN/inf never come out. [contract]
  FeatureMatrix transform(const FeatureMatrix& raw) const;
  /// transformed-space centroids (k x d) -> original units for the same columns. [contract]
  std::vector<double> inverse(const std::vector<float>& centroids, int k) const;
};

/// Fits a Scaler on raw features; constant columns are dropped and listed. [contract]
Scaler fit_scaler(const FeatureMatrix& raw, const TransformOptions& options);

}  // namespace segmint
