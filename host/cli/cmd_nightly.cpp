// segmint nightly: parses options and runs one night (host/nightly/nightly_flow.cpp).
#include <cstdio>
#include <string>

#include "cli/commands.hpp"
#include "dist/comm.hpp"
#include "dist/follow.hpp"
#include "dist/nightly.hpp"
#include "cli/options.hpp"
#include "common/log.hpp"
#include "nightly/nightly_flow.hpp"
#include "report/report.hpp"
#include "segmint/error.hpp"

namespace segmint::cli {

int cmd_nightly(int argc, char** argv) {
  rewrite_long_k(argc, argv);
  cxxopts::Options options(
      "segmint nightly",
      "Merge new events into the saved state in DIR, recluster warm-started from yesterday, keep\n"
      "segment ids and names, write DIR/runs/<as_of>/ (+ migrations.csv) and switch DIR/latest.\n"
      "Rerunning with files already merged changes nothing. Exit codes: 0 ok, 2 bad input,\n"
      "3 runtime failure, 4 another run holds DIR/.lock.");
  add_common_options(options);
  options.add_options("nightly")("state", "state directory DIR", cxxopts::value<std::string>())(
      "full", "rebuild the state from --events (all raw input) and refit the scaler")(
      "write-features", "also write features.csv (raw per-user features) into the run")(
      "keep", "run directories to keep (0 = all)", cxxopts::value<int>()->default_value("30"))(
      "report", "also write report.html (and projection.json, its map of users) into the "
                "night's run directory")(
      "match-threshold",
      "max distance between a segment and yesterday's (centroids relative to each night's population, in std units) to keep its id",
      cxxopts::value<double>()->default_value("3.0"));
  add_quality_option(options, "nightly");
  add_ingest_options(options);
  add_feature_options(options);
  add_kmeans_options(options);
  cxxopts::ParseResult r;
  if (!parse_or_help(options, argc, argv, r)) return 0;

  nightly::NightlyOptions o;
  o.dir = required_string(r, "state");
  o.events = event_paths_from(r);
  o.ingest = ingest_options_from(r);
  FeatureCliOptions f = feature_options_from(r);
  o.aggregate = f.aggregate;
  o.features = f.features;
  o.transform = f.transform;
  KMeansCliOptions km = kmeans_options_from(r);
  if (!km.init_file.empty() || !km.weight_by.empty()) {
    throw UsageError("segmint nightly: --init FILE and --weight-by are not supported (the night "
                     "warm-starts from the state's own model)");
  }
  o.kmeans = km.params;
  o.k_given = r.count("k") > 0;
  o.make_backend = [device = km.device](int threads, std::string* reason) {
    BackendOptions b;
    b.device = device;
    b.cpu_threads = threads;
    return dist::spread_fits(make_backend(b, reason));
  };
  o.full = r.count("full") > 0;
  o.quality = quality_from(r);
  o.write_features = r.count("write-features") > 0;
  o.write_projection = r.count("report") > 0;
  o.keep = r["keep"].as<int>();
  if (o.keep < 0) throw UsageError("--keep must be >= 0");
  o.match_threshold = r["match-threshold"].as<double>();
  if (!(o.match_threshold >= 0)) throw UsageError("--match-threshold must be >= 0");

  if (dist::active()) {  // under mpirun: rank 0 runs the night, the others follow its steps
    if (!dist::is_root()) {
      dist::follow(&o);
      return 0;
    }
    o.ranked = dist::ranked_night(o);
  }
  nightly::NightlyReport rep = nightly::run_nightly(o);
  std::string msg = rep.nothing_new
                        ? "nightly: nothing new; latest = runs/" + rep.run
                        : "nightly: merged " + std::to_string(rep.merged.size()) +
                              " file(s); latest = runs/" + rep.run + "; new segments " +
                              std::to_string(rep.new_ids.size()) + ", vanished " +
                              std::to_string(rep.vanished_ids.size());
  log_info(msg);
  if (r.count("report")) log_info("wrote " + report::write_run_report(o.dir + "/runs/" + rep.run));
  return 0;
}

}  // namespace segmint::cli
