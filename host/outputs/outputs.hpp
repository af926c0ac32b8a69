// The run's output files (assignments.csv, centroids.csv, summary.json; model.json in model.hpp)
// rendered to text, and committed to the output directory all-or-nothing per file.
#pragma once
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "common/text.hpp"  // csv_field, format_number
#include "profile/profile.hpp"

namespace segmint::pipeline {

/// assignments.csv: `user_id,segment,segment_name,distance`, one row per user, rows sorted by
/// user id bytewise. ids, labels and distances are parallel (any order). Labels are centroid
/// rows; `segment_ids` (empty = row i is segment i) gives the id written for each row.
std::string assignments_csv(const std::vector<std::string>& ids,
                            const std::vector<std::int32_t>& labels,
                            const std::vector<float>& distances,
                            const std::vector<std::string>& names,
                            const std::vector<int>& segment_ids = {});

/// centroids.csv: `segment,segment_name,size,<feature columns>`; the feature columns are each
/// segment's means in original units (profiles.features order). `segment_ids` as above.
std::string centroids_csv(const Profiles& profiles, const std::vector<std::string>& names,
                          const std::vector<int>& segment_ids = {});

/// summary.json "quality" (docs/QUALITY.md): how solid the segmentation is, without ground
/// truth. Figures are over the users the fit saw (heavy users left out), in the transformed space.
struct Quality {
  bool computed = false;          ///< false: the section is left out (--quality off, sweep)
  std::uint64_t users = 0;        ///< users the figures are over
  double silhouette = 0;          ///< mean silhouette on a seeded sample
  bool has_silhouette = false;    ///< false with fewer than 2 segments
  std::uint64_t silhouette_sample = 0;
  double boundary_ratio = 0.9;    ///< near a boundary: nearest >= ratio * second nearest
  double boundary_share = 0;      ///< share of users near a boundary
  double stability = 0;           ///< ARI between fits on two random halves
  bool has_stability = false;     ///< false when a half has fewer users than k
  std::uint64_t stability_users = 0;  ///< users in the two halves together
  std::string verdict;            ///< solid | fair | shaky (thresholds in docs/QUALITY.md)
  struct Segment {
    double cohesion = 0, separation = 0, boundary_share = 0;
  };
  std::vector<Segment> segments;  ///< per segment row, in segment order
};

/// summary.json "heavy_users": how many users the heavy rule flagged, per segment, and its
/// fences. Absent when no rule was fitted (--heavy-fence 0, transform none, no activity columns).
struct HeavyUsers {
  bool rule = false;
  std::uint64_t users = 0;
  std::vector<std::int64_t> per_segment;  ///< per segment row
  std::vector<std::pair<std::string, double>> fences;  ///< measure -> activity above which heavy
  double iqr_multiple = 0;
};

/// Contents of summary.json.
struct Summary {
  std::string command = "run";
  std::uint64_t events = 0, users = 0, bad_rows = 0, rows_without_user = 0;
  int k = 0;
  double inertia = 0;
  int iterations = 0;
  bool converged = false;
  std::string device, device_detail, device_fallback_reason;
  std::vector<std::string> features_used, dropped_constant;
  std::vector<std::string> segment_names;
  std::vector<std::int64_t> segment_sizes;
  std::vector<int> segment_ids;  ///< id of each segment row; empty = 0..k-1 (see assignments_csv)
  /// Per segment, its most distinctive features and their z-scores (why it got its name).
  std::vector<std::vector<std::pair<std::string, double>>> segment_traits;
  /// Stage timings in milliseconds, in stage order (read, aggregate, features, kmeans, write).
  std::vector<std::pair<std::string, double>> timings_ms;
  HeavyUsers heavy;
  Quality quality;
  /// Further top-level fields (key, JSON text) after the standard ones, e.g. nightly's "changes".
  std::vector<std::pair<std::string, std::string>> extra;
};
std::string summary_json(const Summary& summary);

/// heavy_users.csv: `user_id,segment,segment_name,activity_events,sessions`, one row per heavy
/// user (heavy[i] != 0), sorted by user id bytewise; `activity` and `sessions` per row (raw).
std::string heavy_users_csv(const std::vector<std::string>& ids,
                            const std::vector<std::uint8_t>& heavy,
                            const std::vector<std::int32_t>& labels,
                            const std::vector<std::string>& names,
                            const std::vector<double>& activity, const std::vector<double>& sessions,
                            const std::vector<int>& segment_ids = {});

/// Writes every (file name, text) into `dir` (created when missing). All texts are written to
/// temporary files first; only when every one is complete are they renamed in the given order,
/// so a failure or a kill leaves each previous file intact (put model.json last).
void commit_outputs(const std::string& dir,
                    const std::vector<std::pair<std::string, std::string>>& files);

}  // namespace segmint::pipeline
