// One night as named steps over what it carries (internal to nightly/; run_nightly composes
// them in the crash-safe order described in nightly_flow.cpp).
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "nightly/match.hpp"
#include "nightly/migrations.hpp"
#include "nightly/nightly_flow.hpp"
#include "nightly/nightly_model.hpp"
#include "nightly/state_dir.hpp"
#include "pipeline/run_record.hpp"

namespace segmint::nightly {

/// The stable ids of tonight's segments, one entry per row once match_ids put the rows in id
/// order.
struct StableIds {
  std::vector<int> ids;          ///< stable id of each row (ascending)
  std::vector<int> new_rows;     ///< rows with no segment yesterday (new ids)
  std::vector<int> matched_old;  ///< per row: yesterday's centroid row, or -1
  std::vector<double> distance;  ///< per row: centroid distance to it (0 when new)
};

/// What one night carries from step to step. The run record holds the state's users and table
/// and, step by step, tonight's features, fit, segments and outputs.
struct Night {
  Night(const NightlyOptions& options, StateDir& state_dir) : o(options), sd(state_dir) {}
  const NightlyOptions& o;
  StateDir& sd;
  NightlyReport report;
  // load state
  std::optional<Manifest> manifest;
  std::optional<NightlyModel> before;       ///< yesterday's model (none on the first night)
  std::vector<std::int32_t> before_labels;  ///< yesterday's stable id per user index
  // select inputs
  std::vector<std::string> prints;  ///< fingerprints of the files merged tonight
  // merge, features, fit, segments
  pipeline::RunRecord run;
  bool refit = false;                 ///< scaler fitted tonight (first night or --full)
  std::vector<float> center, spread;  ///< column mean and std of tonight's matrix
  std::vector<float> previous;        ///< yesterday's centroids, normalized
  // match ids
  MatchResult match;
  StableIds stable;
  std::vector<std::int32_t> labels;  ///< tonight's stable id per user index
  Migrations migrations;
  std::string name;  ///< run directory name (from as_of)
};

// night_inputs.cpp
/// Loads DIR/state (manifest, model, dictionary, labels, table) into the night.
void load_state(Night& n);
/// Splits the inputs into files to merge tonight and files already in the state (by content).
void select_inputs(Night& n);
/// Nothing new to merge: finishes an interrupted latest switch if there is one. Throws when
/// there is neither input nor state.
void finish_nothing_new(Night& n);
/// The backend, then its feature stage: tonight's files read with the state's dictionary and
/// merged into the state table, features over all users.
void merge_tonight(Night& n);
/// The scaler: yesterday's kept, refitted on the first night and with --full.
void features_and_scale(Night& n);

// night_fit.cpp
/// Warm start: tonight's k-means starts where yesterday's segments sit relative to tonight's
/// population (when k is unchanged).
void plan_warm_start(Night& n);
/// The pipeline's fit step on the backend merge_tonight chose.
void fit_tonight(Night& n);
/// Stable ids (matched to yesterday's centroids), rows in id order, profiles, names (matched
/// segments keep theirs), per-user labels and the migrations since yesterday.
void match_ids(Night& n);
/// model.json and summary.json of tonight's run: the pipeline's describe step plus stable ids,
/// the merged time range and the "changes" of the night.
void describe_night(Night& n);

// nightly_flow.cpp (beside run_nightly, whose order they keep)
/// 1. The dated run directory, staged and renamed into runs/<as_of> (latest still old).
void write_run_dir(Night& n);
/// 2. The state (table, dictionary, labels, manifest with the next model), swapped in.
void commit_night_state(Night& n);
/// 3. latest switched to tonight's run; retention; the segment table logged.
void switch_to_tonight(Night& n);

}  // namespace segmint::nightly
