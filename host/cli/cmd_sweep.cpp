// segmint sweep: cluster a feature table or event logs for a range of k and print quality metrics per k.
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "cli/commands.hpp"
#include "cli/options.hpp"
#include "cli/pipeline_common.hpp"
#include "ingest/matrix_csv.hpp"
#include "kmeans/sweep.hpp"
#include "common/log.hpp"
#include "pipeline/events_pipeline.hpp"
#include "outputs/model.hpp"
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

// Per-row weights from a raw column (before any transform).
std::vector<float> weights_from(const MatrixCsv& m, const std::string& column,
                                const std::string& path) {
  const auto& names = m.matrix.names;
  std::size_t j = 0;
  while (j < names.size() && names[j] != column) ++j;
  if (j == names.size()) throw UsageError("--weight-by: no column '" + column + "' in " + path);
  std::vector<float> w(m.matrix.rows);
  for (std::size_t i = 0; i < w.size(); ++i) {
    w[i] = m.matrix.at(i, j);
    if (w[i] < 0) throw InputError(path, i + 2, "--weight-by column '" + column + "' is negative");
  }
  return w;
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

// What sweep clusters: the (transformed) rows, optional per-row weights, and their origin.
struct SweepInput {
  FeatureMatrix x;
  std::vector<float> weights;
  std::string transform;
  nlohmann::json source;  // merged into the --json output
};

SweepInput from_matrix(const cxxopts::ParseResult& r, KMeansCliOptions& km, int k) {
  reject_events_only(r);
  const std::string path = r["matrix"].as<std::string>();
  const TransformOptions t = feature_options_from(r, "zscore").transform;
  MatrixCsv table = read_matrix_csv(path);
  SweepInput in;
  in.transform = pipeline::transform_name(t.kind);
  in.source = {{"matrix", path}};
  if (!km.weight_by.empty()) in.weights = weights_from(table, km.weight_by, path);
  in.x = table.matrix;
  Scaler scaler;
  if (t.kind != TransformOptions::Kind::none) {
    scaler = fit_scaler(table.matrix, t);
    in.x = scaler.transform(table.matrix);
  }
  if (!km.init_file.empty()) {
    // Centroids are given in the table's original units; transform them like the rows.
    FeatureMatrix c;
    c.rows = static_cast<std::size_t>(k);
    c.cols = table.matrix.cols;
    c.names = table.matrix.names;
    c.values = read_centroids_csv(km.init_file, table.matrix.names, k);
    if (t.kind != TransformOptions::Kind::none) c = scaler.transform(c);
    km.params.initial_centroids = c.values;
  }
  return in;
}

// The same ingest -> aggregate -> features -> scaler path as `segmint run`.
SweepInput from_events(const cxxopts::ParseResult& r, KMeansCliOptions& km, int k) {
  const std::vector<std::string> paths = event_paths_from(r);
  IngestOptions ingest = ingest_options_from(r);
  const FeatureCliOptions feat = feature_options_from(r);
  if (ingest.threads == 0) ingest.threads = km.params.threads;
  AggregateOptions aggregate = feat.aggregate;
  if (aggregate.threads == 0) aggregate.threads = km.params.threads;
  const pipeline::UserFeatures uf =
      pipeline::events_to_features(paths, ingest, aggregate, feat.features);
  log_info("read " + std::to_string(uf.counts.events) + " events of " +
           std::to_string(uf.raw.rows) + " users");
  Scaler scaler;
  SweepInput in;
  in.x = scale_features(uf.raw, feat.transform, &scaler);
  in.transform = pipeline::transform_name(feat.transform.kind);
  in.source = {{"events", paths}, {"users", uf.raw.rows}, {"features_used", scaler.names}};
  if (!km.init_file.empty()) {
    apply_init_file(km, scaler, uf.raw.names, feat.transform.kind == TransformOptions::Kind::none);
    if (km.params.k != k)
      throw UsageError("--init " + km.init_file + " has " + std::to_string(km.params.k) +
                       " centroids but --k is " + std::to_string(k));
  }
  in.weights = weights_for(km, uf.raw);
  return in;
}

/// --report FILE: the sweep's curves as report.html.
void write_report(const std::string& path, const SweepResult& result, const SweepInput& in,
                  std::size_t rows) {
  report::ReportSweep s;
  s.recommended_k = result.recommended_k;
  s.silhouette_sampled = result.silhouette_sampled;
  const std::string what = in.source.contains("matrix") ? in.source["matrix"].get<std::string>()
                                                        : std::string("the events");
  s.source = what + " (" + report::format_count(static_cast<std::int64_t>(rows)) +
             " users, transform " + in.transform + ")";
  for (const auto& row : result.rows) {
    s.points.push_back(
        {row.k, row.inertia, row.silhouette, row.davies_bouldin, row.calinski_harabasz});
  }
  report::write_sweep_report(s, "sweep over k", path);
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

  SweepInput in = matrix ? from_matrix(r, km, k_lo) : from_events(r, km, k_lo);
  const FeatureMatrix& x = in.x;
  std::unique_ptr<Backend> backend = open_backend(km, nullptr);
  metrics::SilhouetteOptions so;
  so.sample_size = r["silhouette-sample"].as<std::size_t>();
  so.seed = km.params.seed;
  so.threads = km.params.threads;
  const SweepResult result =
      sweep_k(*backend, x.view(), in.weights.empty() ? nullptr : in.weights.data(), k_lo, k_hi,
              km.params, so);
  if (r.count("json")) {
    nlohmann::json j = in.source;
    j["rows"] = x.rows;
    j["features"] = x.cols;
    j["transform"] = in.transform;
    j["device"] = backend->name();
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
  } else {
    print_text(result, x.rows);
  }
  if (r.count("report")) write_report(r["report"].as<std::string>(), result, in, x.rows);
  return 0;
}

}  // namespace segmint::cli
