// model.json: everything `assign` and the nightly job need to put users into a run's segments.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "segmint/aggregate.hpp"
#include "segmint/features.hpp"

namespace segmint::pipeline {

/// 2: the scaler may clip, rank, balance groups and carry the heavy rule (version 1 files, which
/// do none of these, still read).
inline constexpr int kModelFormatVersion = 2;
/// Largest segment id a model or nightly state may hold (nightly hands out ids upwards from the
/// largest one; the bound keeps every id and id counter far from int overflow).
inline constexpr std::int64_t kMaxSegmentId = 1000000000;

struct Model {
  int format_version = kModelFormatVersion;
  std::string source = "events";             ///< "events" (run) or "matrix" (cluster)
  std::vector<std::string> feature_catalog;  ///< raw column names the scaler indexes into
  std::string transform = "log1p-zscore";    ///< a transform_name()
  Scaler scaler;
  int k = 0;
  int d = 0;                       ///< scaler.names.size()
  std::vector<float> centroids;    ///< k x d, transformed space, segment id order
  std::vector<std::string> names;  ///< segment names, k entries
  /// Stable segment id of each centroid row (nightly keeps ids across nights, so they need not
  /// be 0..k-1). Empty = row i is segment i. Written to model.json only when non-empty.
  std::vector<int> segment_ids;
  std::vector<std::int64_t> sizes; ///< users per segment at fit time
  std::uint64_t seed = 0;
  double inertia = 0;
  std::int64_t as_of = 0;                    ///< features as of (unix s); 0 for matrices
  std::int64_t min_time = 0, max_time = 0;   ///< event time range of the training data
  AggregateOptions aggregate;                ///< session gap, tz offset (threads not stored)
  std::string weight_by;                     ///< per-user weight column; empty = none
};

/// Whether `text` names a transform (--transform, model.json's "transform").
bool is_transform_name(const std::string& text);
/// Transform kind names as the CLI spells them.
std::string transform_name(TransformOptions::Kind kind);
TransformOptions::Kind parse_transform(const std::string& text);  ///< UsageError when unknown
/// "none | zscore | ...": every name, for help texts.
std::string transform_names();

/// Serialises to pretty JSON (2-space indent, trailing newline). Floats are written so that
/// they read back bit-identical.
std::string model_to_json(const Model& model);
/// Parses model JSON; `name` labels errors (InputError "NAME: what").
Model model_from_json(const std::string& text, const std::string& name);
/// Segment id of centroid row `row`: segment_ids[row], or row itself when there are none.
int segment_id(const Model& model, int row);

/// Reads and parses a model.json file.
Model read_model(const std::string& path);

}  // namespace segmint::pipeline
