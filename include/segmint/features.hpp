// Behavioral features: UserTable -> raw feature table, and the transforms (log1p, z-score,
// robust scaling, winsorising, quantile ranks, group balance, weights) that turn it into the
// matrix k-means sees, with the heavy-user rule fitted alongside.
// OWNER: features work (issue 3). Declarations marked [contract] are used by pipeline code.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "segmint/aggregate.hpp"
#include "segmint/detail/scale_math.hpp"
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
  bool volume = false; ///< grows with the amount of activity (left out when heavy users are assigned)
};

/// All features segmint computes, in column order. [contract]
const std::vector<FeatureInfo>& feature_catalog();

/// Raw features (original units), one row per user in dense user index order, columns in
/// feature_catalog() order. Also returns the as_of actually used. [contract]
FeatureMatrix compute_features(const UserTable& table, const FeatureOptions& options,
                               std::int64_t* as_of_used = nullptr);
/// Same matrix, consuming `table`: each slice of users' aggregates is freed once its rows are
/// computed (UserTable::release_users_before), so the stage needs about the larger of table and
/// matrix rather than their sum (issue 15). `table` is empty afterwards.
FeatureMatrix compute_features(UserTable&& table, const FeatureOptions& options,
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

/// How raw features become the clustering matrix (docs/FEATURES.md "Transforms"). [contract]
struct TransformOptions {
  /// none; zscore; log1p-zscore; log1p-robust (median, IQR / 1.349); log1p-winsor (clipped at
  /// the fitted winsor_tail and 1 - winsor_tail quantiles, then z-score); quantile (rank in
  /// [0, 1] among 101 fitted quantiles, then z-score).
  enum class Kind { none, zscore, log1p_zscore, log1p_robust, log1p_winsor, quantile };
  Kind kind = Kind::log1p_zscore;
  std::vector<std::string> select;  ///< group or feature names; empty = all
  std::vector<std::pair<std::string, float>> weights;  ///< name -> multiplier after scaling
  /// Weigh each feature group by sqrt(m_eff / m) (m columns, m_eff their participation ratio),
  /// so correlated groups count as many features as they have independent directions.
  /// Off here; the CLI's default (--balance groups) turns it on.
  bool balance_groups = false;
  double winsor_tail = 0.01;  ///< log1p-winsor: share clipped at each end
  /// Heavy users: log1p(activity) above Q3 + heavy_fence * IQR of the population (per measure,
  /// see HeavyRule); 0 = no heavy users (here; the CLI's default --heavy-fence is 2).
  double heavy_fence = 0.0;
};

/// Heavy users (bots, resellers): a measure is the product of raw columns (sessions; sessions x
/// events_per_session = activity events); a user is heavy when for any measure
/// log1p(measure) > fence. Fitted on all users; empty = nobody is heavy.
struct HeavyRule {
  std::vector<std::vector<std::string>> measures;
  std::vector<double> log_fence;  ///< per measure
  double iqr_multiple = 0;        ///< the K of Q3 + K * IQR it was fitted with
  bool empty() const { return measures.empty(); }
};

/// Fitted transform: column selection, log1p flags, clip bounds, quantile knots, centre/scale,
/// group balance and weights, and the heavy-user rule. Stored in model.json so assign and
/// nightly apply exactly the same transform. [contract]
struct Scaler {
  std::vector<std::string> names;   ///< selected columns (subset of the raw names, in order)
  std::vector<int> source_columns;  ///< index of each selected column in the raw matrix
  std::vector<std::uint8_t> log1p;  ///< per selected column
  /// Centre and scale per column: mean and standard deviation (z-score kinds), or median and
  /// IQR / 1.349 (log1p-robust). model.json keeps the names "mean" and "stddev".
  std::vector<double> mean, stddev, weight;
  /// Winsor clipping per column (flag and bounds); all three empty = no column is clipped.
  std::vector<std::uint8_t> clip;
  std::vector<double> clip_lo, clip_hi;
  std::vector<std::vector<double>> knots;   ///< quantile knots per column; empty = no ranks
  std::vector<std::string> group;           ///< feature group per column (own name if none)
  std::vector<double> group_weight;         ///< balance per column; empty = all 1
  HeavyRule heavy;
  std::vector<std::string> dropped_constant;  ///< selected but constant on the fit data

  /// raw (n x D) -> transformed (n x names.size()). NaN/inf never come out. [contract]
  FeatureMatrix transform(const FeatureMatrix& raw) const;
  /// transformed-space centroids (k x d) -> original units for the same columns. [contract]
  std::vector<double> inverse(const std::vector<float>& centroids, int k) const;
  /// The formula parameters of selected column j (pointers into this scaler).
  detail::ColumnScale column(std::size_t j) const;
  /// 1 for each row of raw (n x D, named columns) the heavy rule flags, else 0.
  std::vector<std::uint8_t> heavy_rows(const FeatureMatrix& raw) const;
};

/// The heavy-user rule alone, fitted on every row of raw: per measure whose columns raw has,
/// fence = Q3 + iqr_multiple * max(IQR, ln 2) of log1p(measure). Empty when iqr_multiple is 0.
HeavyRule fit_heavy_rule(const FeatureMatrix& raw, double iqr_multiple);

/// Fits a Scaler on raw features: the heavy rule on all rows, then every statistic on the rows
/// it does not flag; columns constant on those rows are dropped and listed. [contract]
Scaler fit_scaler(const FeatureMatrix& raw, const TransformOptions& options);

}  // namespace segmint
