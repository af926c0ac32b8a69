// segmint cluster: segments a user-supplied feature table with the same k-means, profiles and
// outputs as `run` (for users who bring their own features, and for k-means tests/benchmarks).
#include <cxxopts.hpp>

#include "cli/commands.hpp"
#include "cli/options.hpp"
#include "cli/pipeline_common.hpp"
#include "common/log.hpp"
#include "ingest/matrix_csv.hpp"
#include "outputs/model.hpp"
#include "outputs/run_outputs.hpp"
#include "common/stopwatch.hpp"
#include "pipeline/segment.hpp"

namespace segmint::cli {

int cmd_cluster(int argc, char** argv) {
  rewrite_long_k(argc, argv);
  cxxopts::Options options("segmint cluster",
                           "Segments a feature table (CSV: first column the user id, the other "
                           "columns numeric features) and writes the same outputs as run.");
  add_common_options(options);
  add_kmeans_options(options);
  options.add_options("cluster")("matrix", "feature table CSV", cxxopts::value<std::string>())(
      "transform", "none, zscore or log1p-zscore (with --init and none, values are used as is)",
      cxxopts::value<std::string>()->default_value("zscore"))(
      "out", "output directory (created when missing)", cxxopts::value<std::string>());
  cxxopts::ParseResult r;
  if (!parse_or_help(options, argc, argv, r)) return 0;
  const std::string matrix_path = required_string(r, "matrix");
  const std::string out = required_string(r, "out");
  TransformOptions transform;
  transform.kind = pipeline::parse_transform(r["transform"].as<std::string>());
  KMeansCliOptions km = kmeans_options_from(r);

  pipeline::Summary summary;
  summary.command = "cluster";
  Stopwatch watch;
  MatrixCsv table = read_matrix_csv(matrix_path);
  if (transform.kind == TransformOptions::Kind::none) check_matrix_range(table, matrix_path);
  double read_ms = watch.lap();
  summary.users = table.ids.size();
  Scaler scaler = fit_scaler(table.matrix, transform);
  FeatureMatrix x = scaler.transform(table.matrix);
  double features_ms = watch.lap();
  summary.features_used = scaler.names;
  summary.dropped_constant = scaler.dropped_constant;

  const bool as_is = transform.kind == TransformOptions::Kind::none;
  apply_init_file(km, scaler, table.matrix.names, as_is);
  std::vector<float> weights = weights_for(km, table.matrix);
  std::unique_ptr<Backend> backend = open_backend(km, &summary);
  watch.lap();
  pipeline::Segmentation seg = pipeline::segment_users(
      *backend, table.matrix, x, weights.empty() ? nullptr : weights.data(), km.params,
      pipeline::log_scale_columns(table.matrix.names, scaler));
  double kmeans_ms = watch.lap();

  pipeline::Model model;
  model.source = "matrix";
  model.feature_catalog = table.matrix.names;
  model.transform = pipeline::transform_name(transform.kind);
  model.scaler = scaler;
  model.seed = km.params.seed;
  model.weight_by = km.weight_by;
  pipeline::describe_segmentation(seg, static_cast<int>(x.cols), model, summary);
  summary.timings_ms = {{"read", read_ms}, {"features", features_ms}, {"kmeans", kmeans_ms}};
  pipeline::write_segmentation(out, table.ids, seg, model, summary);
  log_block(pipeline::segment_table(seg.profiles, seg.names));
  return 0;
}

}  // namespace segmint::cli
