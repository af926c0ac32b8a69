// The run record: what each step of a segmentation run produced, and the steps, written once
// (read -> aggregate -> features -> scale -> fit -> profile -> name -> describe -> write).
// run, cluster, sweep, assign, features and nightly each compose these steps.
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "outputs/model.hpp"
#include "outputs/outputs.hpp"
#include "profile/segmentation.hpp"
#include "segmint/aggregate.hpp"
#include "segmint/backend.hpp"
#include "segmint/dictionary.hpp"
#include "segmint/features.hpp"
#include "segmint/ingest.hpp"
#include "segmint/kmeans.hpp"

namespace segmint::pipeline {

/// Stage timings in milliseconds, in stage order (summary.json timings_ms).
using StageTimings = std::vector<std::pair<std::string, double>>;

/// The backend a run computes on, as summary.json reports it.
struct BackendChoice {
  std::string name;             ///< "cpu" or "cuda"
  std::string description;      ///< with thread count or device name
  std::string fallback_reason;  ///< why --device auto took the CPU; empty otherwise
};

/// Everything one run produced, filled step by step; a step reads what earlier steps wrote.
/// Fields are grouped by the step that fills them.
struct RunRecord {
  std::string command = "run";  ///< summary.json "command"
  // read (+ aggregate)
  std::string source = "events";        ///< "events" or "matrix" (model.json "source")
  UserDictionary users;                 ///< events: row i is users.id(i)
  std::vector<std::string> matrix_ids;  ///< matrix: row i's id
  std::vector<unsigned long long> matrix_lines;  ///< matrix: row i's line in matrix_path
  std::string matrix_path;
  IngestCounts counts;
  AggregateOptions aggregate;               ///< options the table was built with
  UserTable table;                          ///< per-user aggregates (released after features)
  std::int64_t min_time = 0, max_time = 0;  ///< event time range the model covers
  // features
  FeatureMatrix raw;  ///< one row per user, original units
  std::int64_t as_of = 0;
  // scale
  std::string transform;  ///< transform name (model.json "transform")
  Scaler scaler;
  FeatureMatrix x;  ///< the matrix k-means sees (n x scaler.names)
  /// Per row: flagged by the scaler's heavy rule (kept out of the fit); empty = nobody.
  std::vector<std::uint8_t> heavy;
  // fit inputs: init, weights, backend
  KMeansParams params;
  std::vector<float> weights;  ///< n entries, or empty = unweighted
  std::string weight_by;
  std::unique_ptr<Backend> backend;
  BackendChoice device;
  // fit -> profile -> name
  Segmentation seg;
  std::vector<int> segment_ids;  ///< stable id of each segment row; empty = 0..k-1
  // quality (assess_quality), then describe
  bool assess = false;  ///< quality section; the CLI sets it (--quality, default on)
  Quality quality;
  Model model;
  Summary summary;
  StageTimings timings;
  /// Further summary.json fields (key, JSON text), e.g. a multi-rank run's "mpi".
  std::vector<std::pair<std::string, std::string>> summary_extra;

  /// User id of each row: the dictionary's ids (events) or the table's (matrix).
  const std::vector<std::string>& row_ids() const;
  /// weights.data(), or nullptr when unweighted.
  const float* weight_data() const { return weights.empty() ? nullptr : weights.data(); }
};

/// Adds `ms` to stage `stage` (appended in first-seen order).
void add_timing(RunRecord& r, const std::string& stage, double ms);

// --- read_steps.cpp: read, features, scale, fit inputs ---------------------------------------
/// read -> aggregate -> features on r.backend's feature stage (use_backend first): streams
/// `paths` (users interned into r.users) and computes r.raw and r.as_of, one row per dictionary
/// entry. With keep_table the events are folded into r.table (nightly's saved state, or empty),
/// which is kept; otherwise r.table stays empty. Sets counts, aggregate, min/max_time; timings
/// "read", "aggregate", "features".
void read_features(RunRecord& r, const std::vector<std::string>& paths,
                   const IngestOptions& ingest, const AggregateOptions& aggregate,
                   const FeatureOptions& features, bool keep_table = false);
/// read_features from an open source whose users are interned into r.users (the Python
/// module's Arrow streams); the same step otherwise.
void read_features(RunRecord& r, EventSource& source, const AggregateOptions& aggregate,
                   const FeatureOptions& features, bool keep_table = false);
/// read for a user-supplied feature table (cluster, sweep --matrix): r.raw and r.matrix_ids
/// from the CSV, source "matrix"; timing "read".
void read_matrix(RunRecord& r, const std::string& path);

/// scale on r.backend (Backend::scale): fits the scaler on r.raw, r.x = its transform, r.heavy
/// = its heavy rule's flags; logs the constant columns it left out and the heavy users.
void scale(RunRecord& r, const TransformOptions& transform);
/// scale with a scaler fitted before (assign: the model's; nightly: yesterday's), heavy rule
/// included.
void scale_with(RunRecord& r, const Scaler& scaler, const std::string& transform_name);
/// r.heavy from r.scaler's heavy rule (logs how many); nightly calls it after refitting the
/// rule on tonight's population.
void flag_heavy(RunRecord& r);
/// sweep --matrix --transform none: r.x is r.raw as it is (every column, none dropped).
void scale_as_is(RunRecord& r);
/// --init FILE (none when empty): centroids over r.x's columns (see load_initial_centroids);
/// sets params.k from the file, init = given, n_init = 1.
void apply_init_file(RunRecord& r, const std::string& file);
/// --weight-by COLUMN (none when empty): r.weights from the raw column; negative values (net
/// refunds) count as 0, and how many users were clamped is logged.
void weigh_users(RunRecord& r, const std::string& column);

// --- fit_steps.cpp: backend, fit, profile, name, assign, describe, write -----------------------
/// Takes `backend` for the run, logs "device: ..." (and why auto fell back to the CPU).
void use_backend(RunRecord& r, std::unique_ptr<Backend> backend,
                 const std::string& fallback_reason);
/// fit: k-means of the rows of r.x that are not heavy, with r.params (and weights), segments
/// renumbered by size (order_segments); then the heavy rows are assigned over the non-volume
/// columns (pipeline/heavy_users.hpp). Timing "kmeans".
void fit_kmeans(RunRecord& r);
/// profile: per-segment sizes (every user) and means and z-scores over r.raw (heavy users left
/// out). Timing "kmeans".
void profile_segments(RunRecord& r);
/// name: one name per segment; a non-empty keep[c] is kept (nightly). Timing "kmeans".
void give_names(RunRecord& r, const std::vector<std::string>& keep = {});
/// fit_kmeans, profile_segments, give_names and assess_quality: the segmentation of run and
/// cluster.
void segment(RunRecord& r);
/// assign: nearest of the model's centroids for every row of r.x (into r.seg.fit.labels and
/// distances; heavy rows over the non-volume columns); no refit.
void assign_to_model(RunRecord& r, const Model& model);
/// quality (pipeline/quality.cpp): r.quality from the fit (when r.assess). Timing "quality".
void assess_quality(RunRecord& r);

/// describe: fills r.model and r.summary (model.json, summary.json) from the record.
void describe(RunRecord& r);
/// write: assignments.csv, centroids.csv, heavy_users.csv (when somebody is flagged),
/// summary.json (with a "write" timing) and model.json into the user's `dir` as one unit
/// (outputs/output_dir.hpp): all of them change together.
void write_run(RunRecord& r, const std::string& dir);
/// write into `staged`, a fresh directory the caller commits whole (nightly's run directory).
void write_run_files(RunRecord& r, const std::string& staged);

}  // namespace segmint::pipeline
