// One nightly run: lock, recover, merge new events into the state, recluster warm-started from
// yesterday, keep segment ids, write the dated run, commit state, switch latest, prune.
#pragma once
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "segmint/aggregate.hpp"
#include "segmint/backend.hpp"
#include "segmint/features.hpp"
#include "segmint/ingest.hpp"
#include "segmint/kmeans.hpp"

namespace segmint::nightly {

struct NightlyOptions {
  std::string dir;                  ///< --state DIR
  std::vector<std::string> events;  ///< new event files (all files with full)
  IngestOptions ingest;
  AggregateOptions aggregate;
  FeatureOptions features;
  TransformOptions transform;
  KMeansParams kmeans;
  bool k_given = false;  ///< --k on the command line; otherwise yesterday's k (or kmeans.k)
  /// Creates the backend when there is work (the factory lives outside segmint_core: see
  /// cmd_nightly.cpp); sets the string to why auto fell back to the CPU, if it did.
  std::function<std::unique_ptr<Backend>(int threads, std::string* reason)> make_backend;
  bool full = false;     ///< rebuild the state from `events` (all raw input) and refit the scaler
  bool write_features = false;  ///< also write features.csv into the run directory
  bool write_projection = false;  ///< also write projection.json (for report.html) into it
  int keep = 30;         ///< runs to keep (0 = all)
  double match_threshold = 3.0;  ///< max normalized centroid distance for "same segment"
};

struct NightlyReport {
  bool nothing_new = false;  ///< every input file was merged before: nothing changed
  std::string run;           ///< run directory name latest points to
  std::vector<std::string> merged, skipped;  ///< input files merged tonight / already merged
  std::vector<int> new_ids, vanished_ids;
  std::vector<std::string> removed_runs;
};

/// Runs one night. Throws LockedError when another run holds DIR/.lock, InputError for bad
/// input or a corrupt state, RuntimeError/DeviceError otherwise; the state and latest are
/// changed only by complete, atomic steps (see state_dir.hpp).
NightlyReport run_nightly(const NightlyOptions& options);

}  // namespace segmint::nightly
