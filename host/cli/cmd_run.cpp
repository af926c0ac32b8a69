// segmint run: events -> features -> k-means -> named segments, all outputs in --out.
#include <cxxopts.hpp>

#include "cli/commands.hpp"
#include "cli/options.hpp"
#include "cli/pipeline_common.hpp"
#include "common/log.hpp"
#include "pipeline/events_pipeline.hpp"
#include "outputs/model.hpp"
#include "outputs/run_outputs.hpp"
#include "common/stopwatch.hpp"
#include "pipeline/segment.hpp"
#include "report/projection.hpp"
#include "report/report.hpp"

namespace segmint::cli {

int cmd_run(int argc, char** argv) {
  rewrite_long_k(argc, argv);
  cxxopts::Options options("segmint run",
                           "Segments users from event logs: ingest -> features -> k-means -> "
                           "profiles; writes assignments.csv, centroids.csv, model.json and "
                           "summary.json into --out.");
  add_common_options(options);
  add_ingest_options(options);
  add_feature_options(options);
  add_kmeans_options(options);
  options.add_options("output")("out", "output directory (created when missing)",
                                cxxopts::value<std::string>())(
      "report", "also write report.html, and projection.json (a 2-D map of a sample of users) "
                "for it, into --out");
  cxxopts::ParseResult r;
  if (!parse_or_help(options, argc, argv, r)) return 0;
  const std::string out = required_string(r, "out");
  const std::vector<std::string> paths = event_paths_from(r);
  IngestOptions ingest = ingest_options_from(r);
  FeatureCliOptions feat = feature_options_from(r);
  KMeansCliOptions km = kmeans_options_from(r);
  if (ingest.threads == 0) ingest.threads = km.params.threads;
  if (feat.aggregate.threads == 0) feat.aggregate.threads = km.params.threads;

  pipeline::Summary summary;
  pipeline::UserFeatures uf =
      pipeline::events_to_features(paths, ingest, feat.aggregate, feat.features);
  summary.events = uf.counts.events;
  summary.users = uf.raw.rows;
  summary.bad_rows = uf.counts.bad_rows;
  summary.rows_without_user = uf.counts.rows_without_user;
  log_info("read " + std::to_string(uf.counts.events) + " events of " +
           std::to_string(uf.raw.rows) + " users");

  Stopwatch watch;
  Scaler scaler;
  FeatureMatrix x = scale_features(uf.raw, feat.transform, &scaler);
  double features_ms = uf.features_ms + watch.lap();
  summary.features_used = scaler.names;
  summary.dropped_constant = scaler.dropped_constant;

  apply_init_file(km, scaler, uf.raw.names, feat.transform.kind == TransformOptions::Kind::none);
  std::vector<float> weights = weights_for(km, uf.raw);
  std::unique_ptr<Backend> backend = open_backend(km, &summary);
  watch.lap();
  pipeline::Segmentation seg =
      pipeline::segment_users(*backend, uf.raw, x, weights.empty() ? nullptr : weights.data(),
                              km.params, pipeline::log_scale_columns(uf.raw.names, scaler));
  double kmeans_ms = watch.lap();

  pipeline::Model model;
  model.source = "events";
  model.feature_catalog = uf.raw.names;
  model.transform = pipeline::transform_name(feat.transform.kind);
  model.scaler = scaler;
  model.seed = km.params.seed;
  model.as_of = uf.as_of;
  model.min_time = uf.counts.min_time;
  model.max_time = uf.counts.max_time;
  model.aggregate = feat.aggregate;
  model.weight_by = km.weight_by;
  pipeline::describe_segmentation(seg, static_cast<int>(x.cols), model, summary);
  summary.timings_ms = {{"read", uf.read_ms},
                        {"aggregate", uf.aggregate_ms},
                        {"features", features_ms},
                        {"kmeans", kmeans_ms}};
  pipeline::write_segmentation(out, uf.ids(), seg, model, summary);
  log_info("wrote " + out + "/{assignments.csv,centroids.csv,summary.json,model.json}");
  if (r.count("report")) {
    report::write_projection(out, x, uf.ids(), {seg.fit.labels.begin(), seg.fit.labels.end()});
    log_info("wrote " + report::write_run_report(out));
  }
  log_block(pipeline::segment_table(seg.profiles, seg.names));
  return 0;
}

}  // namespace segmint::cli
