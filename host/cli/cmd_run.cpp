// segmint run: events -> features -> k-means -> named segments, all outputs in --out.
#include <cxxopts.hpp>

#include "cli/commands.hpp"
#include "cli/options.hpp"
#include "cli/pipeline_common.hpp"
#include "common/log.hpp"
#include "dist/traffic.hpp"
#include "pipeline/run_record.hpp"
#include "pipeline/segment.hpp"
#include "outputs/output_dir.hpp"
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
  add_quality_option(options, "output");
  cxxopts::ParseResult r;
  if (!parse_or_help(options, argc, argv, r)) return 0;
  const std::string out = required_string(r, "out");
  const std::vector<std::string> paths = event_paths_from(r);
  IngestOptions ingest = ingest_options_from(r);
  FeatureCliOptions feat = feature_options_from(r);
  KMeansCliOptions km = kmeans_options_from(r);
  if (ingest.threads == 0) ingest.threads = km.params.threads;
  if (feat.aggregate.threads == 0) feat.aggregate.threads = km.params.threads;

  pipeline::RunRecord rec;
  rec.assess = quality_from(r);
  open_backend(rec, km);
  if (!read_events(rec, paths, ingest, feat.aggregate, feat.features)) return 0;
  pipeline::scale(rec, feat.transform);
  prepare_fit(rec, km);
  pipeline::segment(rec);
  dist::record_traffic(rec);  // under mpirun: summary.json's "mpi" block
  pipeline::describe(rec);
  pipeline::write_run(rec, out);
  log_info("wrote " + out + "/{assignments.csv,centroids.csv,summary.json,model.json}");
  if (r.count("report")) {
    // Into the committed generation, then linked: never a report of an earlier run beside these.
    const std::string files = pipeline::current_output_dir(out);
    report::write_projection(files, rec.x, rec.row_ids(), rec.seg.fit.labels, rec.segment_ids);
    pipeline::link_output(out, "projection.json");
    report::write_run_report(out, files + "/report.html");
    pipeline::link_output(out, "report.html");
    log_info("wrote " + out + "/report.html");
  }
  log_block(pipeline::segment_table(rec.seg.profiles, rec.seg.names));
  return 0;
}

}  // namespace segmint::cli
