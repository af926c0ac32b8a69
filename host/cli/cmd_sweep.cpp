// segmint sweep: cluster a feature table or event logs for a range of k and print quality metrics per k.
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "cli/commands.hpp"
#include "cli/options.hpp"
#include "cli/pipeline_common.hpp"
#include "kmeans/sweep.hpp"
#include "pipeline/heavy_users.hpp"
#include "common/log.hpp"
#include "pipeline/run_record.hpp"
#include "report/format.hpp"
#include "report/report.hpp"
#include "segmint/error.hpp"

namespace segmint::cli {

namespace {

// "LO..HI" or a single "K".
void parse_k_range(const std::string& text, int* lo, int* hi) {
  auto num = [&](const std::string& s) {
    char* end = nullptr;
    const long v = std::strtol(s.c_str(), &end, 10);
    if (s.empty() || *end != '\0' || v < 2 || v > 100000)
      throw UsageError("--k must be LO..HI or K with integers >= 2, not '" + text + "'");
    return static_cast<int>(v);
  };
  const auto dots = text.find("..");
  *lo = num(text.substr(0, dots));
  *hi = dots == std::string::npos ? *lo : num(text.substr(dots + 2));
  if (*hi < *lo) throw UsageError("--k range '" + text + "' is empty");
}

void print_text(const SweepResult& r, std::size_t rows) {
  std::printf("%4s %16s %6s %11s %15s %18s\n", "k", "inertia", "iters", "silhouette",
              "davies_bouldin", "calinski_harabasz");
  for (const auto& row : r.rows)
    std::printf("%4d %16.6g %6d %11.4f %15.4f %18.6g\n", row.k, row.inertia, row.iterations,
                row.silhouette, row.davies_bouldin, row.calinski_harabasz);
  std::printf("recommended k: %d (highest silhouette%s, %zu rows)\n", r.recommended_k,
              r.silhouette_sampled ? ", sampled" : "", rows);
}

// Options that only mean something when sweep reads events.
void reject_events_only(const cxxopts::ParseResult& r) {
  for (const char* name : {"schema", "map", "type-map", "batch-rows", "on-bad-row", "as-of",
                           "session-gap", "tz-offset", "features", "weights"}) {
    if (r.count(name)) throw UsageError(std::string("--") + name + " applies to --events only");
  }
}

// The record sweep clusters: read (a table or events), features, scale, then --init and
// --weight-by; `source` describes the input for --json.
void from_matrix(const cxxopts::ParseResult& r, pipeline::RunRecord& rec, nlohmann::json& source) {
  reject_events_only(r);
  const std::string path = r["matrix"].as<std::string>();
  const TransformOptions t = feature_options_from(r, "zscore").transform;
  pipeline::read_matrix(rec, path);
  if (t.kind == TransformOptions::Kind::none) {
    pipeline::scale_as_is(rec);
  } else {
    pipeline::scale(rec, t);
  }
  source = {{"matrix", path}};
}

// The same ingest -> aggregate -> features -> scaler path as `segmint run`.
// False on ranks other than 0 of an MPI job (their part is done).
bool from_events(const cxxopts::ParseResult& r, pipeline::RunRecord& rec, nlohmann::json& source,
                 int threads) {
  const std::vector<std::string> paths = event_paths_from(r);
  IngestOptions ingest = ingest_options_from(r);
  const FeatureCliOptions feat = feature_options_from(r);
  if (ingest.threads == 0) ingest.threads = threads;
  AggregateOptions aggregate = feat.aggregate;
  if (aggregate.threads == 0) aggregate.threads = threads;
  if (!read_events(rec, paths, ingest, aggregate, feat.features)) return false;
  pipeline::scale(rec, feat.transform);
  source = {{"events", paths}, {"users", rec.raw.rows}, {"features_used", rec.scaler.names}};
  return true;
}

void print_json(nlohmann::json j, const pipeline::RunRecord& rec, const SweepResult& result) {
  j["rows"] = rec.x.rows;
  j["features"] = rec.x.cols;
  j["transform"] = rec.transform;
  j["device"] = rec.device.name;
  j["silhouette_sampled"] = result.silhouette_sampled;
  j["recommended_k"] = result.recommended_k;
  for (const auto& row : result.rows)
    j["results"].push_back({{"k", row.k},
                            {"inertia", row.inertia},
                            {"iterations", row.iterations},
                            {"silhouette", row.silhouette},
                            {"davies_bouldin", row.davies_bouldin},
                            {"calinski_harabasz", row.calinski_harabasz}});
  std::printf("%s\n", j.dump(2).c_str());
}

/// --report FILE: the sweep's curves as report.html.
void write_report(const std::string& path, const SweepResult& result,
                  const nlohmann::json& source, const pipeline::RunRecord& rec) {
  report::ReportSweep s;
  s.recommended_k = result.recommended_k;
  s.silhouette_sampled = result.silhouette_sampled;
  std::string what;
  if (source.contains("matrix")) {
    what = std::filesystem::path(source["matrix"].get<std::string>()).filename().string();
  } else {
    const auto& files = source["events"];
    what = std::filesystem::path(files[0].get<std::string>()).filename().string();
    if (files.size() > 1) what += " and " + std::to_string(files.size() - 1) + " more files";
  }
  s.source = what + " (" + report::format_count(static_cast<std::int64_t>(rec.x.rows)) +
             " users, transform " + rec.transform + ")";
  for (const auto& row : result.rows) {
    s.points.push_back(
        {row.k, row.inertia, row.silhouette, row.davies_bouldin, row.calinski_harabasz});
  }
  report::write_sweep_report(s, what, path);
  log_info("wrote " + path);
}

}  // namespace

int cmd_sweep(int argc, char** argv) {
  rewrite_long_k(argc, argv);
  cxxopts::Options options(
      "segmint sweep",
      "Cluster a feature table (--matrix) or users from event logs (--events) for a range of k "
      "and print, per k, inertia, silhouette, Davies-Bouldin and Calinski-Harabasz, and a "
      "recommended k. --k takes a range LO..HI (default 2..12) or one k. --transform defaults "
      "to zscore for --matrix and log1p-zscore for --events; the input and features options "
      "apply to --events only.");
  add_common_options(options);
  options.add_options()("matrix", "feature table CSV: id column, then numeric columns",
                        cxxopts::value<std::string>())(
      "silhouette-sample", "rows sampled for the silhouette above 20000 rows",
      cxxopts::value<std::size_t>()->default_value("20000"))("json",
                                                             "print JSON instead of a table")(
      "report", "also write the curves over k as a self-contained HTML page to FILE",
      cxxopts::value<std::string>());
  add_ingest_options(options);
  add_feature_options(options, "");
  add_kmeans_options(options);
  cxxopts::ParseResult r;
  if (!parse_or_help(options, argc, argv, r)) return 0;
  const bool matrix = r.count("matrix") > 0, events = r.count("events") > 0;
  if (matrix == events) throw UsageError("give either --matrix FILE or --events FILE...");
  int k_lo = 0, k_hi = 0;
  parse_k_range(r.count("k") ? r["k"].as<std::string>() : "2..12", &k_lo, &k_hi);
  KMeansCliOptions km = kmeans_options_without_k(r);
  if (!km.init_file.empty() && k_lo != k_hi)
    throw UsageError("--init FILE fixes k: give a single --k with it");

  pipeline::RunRecord rec;
  nlohmann::json source;
  open_backend(rec, km);
  if (matrix) {
    if (!lead_or_follow()) return 0;  // rank 0 reads the table; k-means spans the ranks
    from_matrix(r, rec, source);
  } else if (!from_events(r, rec, source, km.params.threads)) {
    return 0;
  }
  prepare_fit(rec, km);
  if (!km.init_file.empty() && rec.params.k != k_lo)
    throw UsageError("--init " + km.init_file + " has " + std::to_string(rec.params.k) +
                     " centroids but --k is " + std::to_string(k_lo));
  metrics::SilhouetteOptions so;
  so.sample_size = r["silhouette-sample"].as<std::size_t>();
  so.seed = km.params.seed;
  so.threads = km.params.threads;
  // Heavy users are left out of every fit, as in run.
  const pipeline::FitRows fit = pipeline::fit_rows(rec);
  const SweepResult result =
      sweep_k(*rec.backend, fit.x.view(), fit.weights.empty() ? nullptr : fit.weights.data(),
              k_lo, k_hi, rec.params, so);
  if (r.count("json")) {
    print_json(source, rec, result);
  } else {
    print_text(result, rec.x.rows);
  }
  if (r.count("report")) write_report(r["report"].as<std::string>(), result, source, rec);
  return 0;
}

}  // namespace segmint::cli
