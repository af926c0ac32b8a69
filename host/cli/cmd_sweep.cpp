// segmint sweep: cluster a feature table for a range of k and print quality metrics per k.
#include <cstdio>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <string>

#include "cli/commands.hpp"
#include "cli/options.hpp"
#include "io/matrix_csv.hpp"
#include "kmeans/sweep.hpp"
#include "log.hpp"
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

TransformOptions::Kind parse_transform(const std::string& t) {
  if (t == "none") return TransformOptions::Kind::none;
  if (t == "zscore") return TransformOptions::Kind::zscore;
  if (t == "log1p-zscore") return TransformOptions::Kind::log1p_zscore;
  throw UsageError("--transform must be none, zscore or log1p-zscore, not '" + t + "'");
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

}  // namespace

int cmd_sweep(int argc, char** argv) {
  rewrite_long_k(argc, argv);
  cxxopts::Options options(
      "segmint sweep",
      "Cluster a feature table for a range of k and print, per k, inertia, "
      "silhouette, Davies-Bouldin and Calinski-Harabasz, and a recommended k.");
  add_common_options(options);
  options.add_options()("matrix", "feature table CSV: id column, then numeric columns",
                        cxxopts::value<std::string>())(
      "transform", "none | zscore | log1p-zscore (applied to the matrix before clustering)",
      cxxopts::value<std::string>()->default_value("zscore"))(
      "silhouette-sample", "rows sampled for the silhouette above 20000 rows",
      cxxopts::value<std::size_t>()->default_value("20000"))("json",
                                                             "print JSON instead of a table");
  add_kmeans_options(options);
  cxxopts::ParseResult r;
  if (!parse_or_help(options, argc, argv, r)) return 0;
  const std::string path = required_string(r, "matrix");
  int k_lo = 0, k_hi = 0;
  parse_k_range(r.count("k") ? r["k"].as<std::string>() : "2..12", &k_lo, &k_hi);
  KMeansCliOptions km = kmeans_options_without_k(r);
  const auto kind = parse_transform(r["transform"].as<std::string>());
  if (!km.init_file.empty() && k_lo != k_hi)
    throw UsageError("--init FILE fixes k: give a single --k with it");

  MatrixCsv table = read_matrix_csv(path);
  std::vector<float> weights;
  if (!km.weight_by.empty()) weights = weights_from(table, km.weight_by, path);
  FeatureMatrix x = table.matrix;
  Scaler scaler;
  if (kind != TransformOptions::Kind::none) {
    TransformOptions t;
    t.kind = kind;
    scaler = fit_scaler(table.matrix, t);
    x = scaler.transform(table.matrix);
  }
  if (!km.init_file.empty()) {
    // Centroids are given in the table's original units; transform them like the rows.
    FeatureMatrix c;
    c.rows = static_cast<std::size_t>(k_lo);
    c.cols = table.matrix.cols;
    c.names = table.matrix.names;
    c.values = read_centroids_csv(km.init_file, table.matrix.names, k_lo);
    if (kind != TransformOptions::Kind::none) c = scaler.transform(c);
    km.params.initial_centroids = c.values;
  }
  std::string why;
  auto backend = make_backend(km.device, km.params.threads, &why);
  if (!why.empty() && km.device == DeviceChoice::automatic) log_info("using the CPU: " + why);
  metrics::SilhouetteOptions so;
  so.sample_size = r["silhouette-sample"].as<std::size_t>();
  so.seed = km.params.seed;
  so.threads = km.params.threads;
  const SweepResult result = sweep_k(*backend, x.view(), weights.empty() ? nullptr : weights.data(),
                                     k_lo, k_hi, km.params, so);
  if (r.count("json")) {
    nlohmann::json j;
    j["matrix"] = path;
    j["rows"] = x.rows;
    j["features"] = x.cols;
    j["transform"] = r["transform"].as<std::string>();
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
  return 0;
}

}  // namespace segmint::cli
