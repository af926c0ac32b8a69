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
  /// Further top-level fields (key, JSON text) after the standard ones, e.g. nightly's "changes".
  std::vector<std::pair<std::string, std::string>> extra;
};
std::string summary_json(const Summary& summary);

/// Writes every (file name, text) into `dir` (created when missing). All texts are written to
/// temporary files first; only when every one is complete are they renamed in the given order,
/// so a failure or a kill leaves each previous file intact (put model.json last).
void commit_outputs(const std::string& dir,
                    const std::vector<std::pair<std::string, std::string>>& files);

}  // namespace segmint::pipeline
