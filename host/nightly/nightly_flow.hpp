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

namespace segmint::pipeline {
struct RunRecord;
}

namespace segmint::nightly {

/// A night across the ranks of an MPI job (host/dist fills it under mpirun; ranks 0 = one
/// process). The table then lives in one shard per rank inside the state (shard_name), merged
/// and saved by every rank; rank 0 keeps the lock, the manifest, the dictionary and the runs.
struct RankedNight {
  int ranks = 0;
  /// Folds `files` into the state across the ranks and fills the run record as read_features
  /// does (users, raw, counts, time range). `state`: the committed state directory ("" when
  /// none); `full`: the table is rebuilt (the saved users keep their rows).
  std::function<void(pipeline::RunRecord& r, const std::vector<std::string>& files,
                     const std::string& state, bool full)>
      merge;
  /// Writes every rank's shard into the staged state directory (collective).
  std::function<void(const std::string& staged)> save;
  /// Before the summary is described: the whole job's traffic into its "mpi" block (collective).
  std::function<void(pipeline::RunRecord& r)> traffic;
};

/// File name of rank `rank`'s table shard in a state written by `ranks` ranks.
std::string shard_name(int rank, int ranks);

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
  bool quality = false; ///< summary.json's quality section (--quality, default on)
  RankedNight ranked;  ///< set under mpirun (host/dist)
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
