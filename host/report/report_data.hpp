// What a report shows, independent of where it came from (a run directory, a sweep, a nightly
// state) and of how it is drawn.
#pragma once
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace segmint::report {

/// One profiled column: name, unit (feature catalog spelling; "" for user tables) and whether
/// it was used for clustering.
struct ReportFeature {
  std::string name;
  std::string unit;
  bool clustered = false;
};

struct ReportSegment {
  int id = 0;
  std::string name;
  std::int64_t size = 0;
  double share = 0;
  std::vector<double> mean;                            ///< per ReportRun::features, raw units
  std::vector<std::pair<std::string, double>> traits;  ///< most distinctive features, z
};

/// Users of a deterministic sample placed on the first two principal components of the
/// clustering space.
struct Projection {
  std::vector<float> x, y;
  std::vector<int> segment;      ///< segment id of each point
  double explained[2] = {0, 0};  ///< share of variance along each axis
  std::string axis_label[2];     ///< the features that load most on each axis
  std::int64_t population = 0;   ///< users the sample was drawn from
};

/// A segmentation: sizes, profiles, centroid z-scores and (when written) the projection.
struct ReportRun {
  std::string command;  ///< "run", "cluster" or "nightly"
  std::string title;    ///< e.g. the output directory's name
  std::uint64_t events = 0, users = 0, bad_rows = 0;
  int k = 0, iterations = 0;
  double inertia = 0;
  std::string device, as_of;
  std::vector<ReportFeature> features;
  std::vector<double> population_mean;  ///< per feature, raw units
  std::vector<ReportSegment> segments;  ///< in segment id order
  /// Heatmap: z of each segment centroid on each clustered feature, segments x heat_features.
  std::vector<std::string> heat_features;
  std::vector<double> heat_z;
  std::string heat_note;  ///< how the z-scores were obtained, shown under the heatmap
  Projection projection;  ///< empty when the run did not write one
};

struct SweepPoint {
  int k = 0;
  double inertia = 0, silhouette = 0, davies_bouldin = 0, calinski_harabasz = 0;
};

/// Quality metrics over a range of k.
struct ReportSweep {
  std::string source;  ///< what was clustered ("events.csv, 3,000 users")
  std::vector<SweepPoint> points;
  int recommended_k = 0;
  bool silhouette_sampled = false;
};

/// One kept night of a nightly state: its run name and segment sizes by stable id.
struct Night {
  std::string run;
  std::vector<std::pair<int, std::int64_t>> sizes;  ///< (segment id, users)
};

/// Nightly history: sizes over the kept nights and the migrations into the last night.
struct ReportNightly {
  std::vector<Night> nights;                       ///< oldest first
  std::vector<std::pair<int, std::string>> names;  ///< every segment id seen, latest name
  std::string previous_run;                        ///< "" on the first night
  std::vector<int> from_ids, to_ids;
  std::vector<std::uint64_t> counts;     ///< from_ids.size() x to_ids.size(), row-major
  std::vector<std::uint64_t> new_users;  ///< per to_id
  std::uint64_t stayed = 0, moved = 0, new_total = 0;
};

}  // namespace segmint::report
