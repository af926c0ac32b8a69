// The k-means option group (--k, --init, --max-iter, --tol, --n-init, --seed, --threads,
// --device, --gpu-memory, --weight-by) and its validation.
#include <cerrno>
#include <cstdlib>
#include <filesystem>
#include <limits>

#include "cli/options.hpp"
#include "segmint/error.hpp"

namespace segmint::cli {

namespace {

long long parse_int(const std::string& text, const std::string& option) {
  char* end = nullptr;
  errno = 0;
  const long long v = std::strtoll(text.c_str(), &end, 10);
  if (text.empty() || *end != '\0' || errno == ERANGE)
    throw UsageError("--" + option + " must be an integer, not '" + text + "'");
  return v;
}

}  // namespace

std::size_t parse_byte_size(const std::string& text, const std::string& option) {
  char* end = nullptr;
  errno = 0;
  const double v = std::strtod(text.c_str(), &end);
  std::string suffix(end ? end : "");
  double scale = 1;
  if (suffix == "K" || suffix == "k" || suffix == "KiB" || suffix == "KB")
    scale = 1024.0;
  else if (suffix == "M" || suffix == "m" || suffix == "MiB" || suffix == "MB")
    scale = 1024.0 * 1024;
  else if (suffix == "G" || suffix == "g" || suffix == "GiB" || suffix == "GB")
    scale = 1024.0 * 1024 * 1024;
  else if (suffix == "T" || suffix == "t" || suffix == "TiB" || suffix == "TB")
    scale = 1024.0 * 1024 * 1024 * 1024;
  else if (!suffix.empty())
    scale = -1;
  if (text.empty() || end == text.c_str() || scale < 0 || !(v >= 0) || errno == ERANGE ||
      v * scale > 9.0e18)
    throw UsageError("--" + option + " must be a size like 512M or 2G, not '" + text + "'");
  return static_cast<std::size_t>(v * scale);
}

void add_kmeans_options(cxxopts::Options& options) {
  options.add_options("k-means")("k", "number of segments",
                                 cxxopts::value<std::string>()->default_value("8"))(
      "init",
      "k-means++ | k-means|| | random | FILE (centroids CSV with a header of feature "
      "names, or model.json)",
      cxxopts::value<std::string>()->default_value("k-means++"))(
      "max-iter", "maximum Lloyd iterations per run",
      cxxopts::value<std::string>()->default_value("300"))(
      "tol", "stop when the squared centroid shift <= tol x mean feature variance",
      cxxopts::value<std::string>()->default_value("1e-4"))(
      "n-init",
      "runs from different seeds, the lowest inertia kept (4: on planted data a single "
      "k-means++ run lands in a worse local minimum about one time in three)",
      cxxopts::value<std::string>()->default_value("4"))(
      "seed", "random seed (same seed, same result)",
      cxxopts::value<std::string>()->default_value("0"))(
      "threads", "CPU threads (0 = all; results do not depend on it)",
      cxxopts::value<std::string>()->default_value("0"))(
      "device", "auto | cpu | gpu", cxxopts::value<std::string>()->default_value("auto"))(
      "gpu-memory", "GPU memory budget, e.g. 4G (0 = 80% of free memory)",
      cxxopts::value<std::string>()->default_value("0"))(
      "weight-by",
      "weight users by 'monetary' or another raw feature column (weighted centroids and "
      "inertia); a negative value (net refunds) weighs 0, and how many users that hit is logged",
      cxxopts::value<std::string>());
}

KMeansCliOptions kmeans_options_without_k(const cxxopts::ParseResult& r) {
  KMeansCliOptions o;
  KMeansParams& p = o.params;
  const std::string init = r["init"].as<std::string>();
  if (init == "k-means++") {
    p.init = InitMethod::kmeans_plus_plus;
  } else if (init == "k-means||") {
    p.init = InitMethod::kmeans_parallel;
  } else if (init == "random") {
    p.init = InitMethod::random;
  } else if (std::filesystem::is_regular_file(init)) {
    p.init = InitMethod::given;  // the command reads the file once it knows the feature names
    o.init_file = init;
  } else {
    throw UsageError("--init must be k-means++, k-means||, random or an existing file, not '" +
                     init + "'");
  }
  const long long max_iter = parse_int(r["max-iter"].as<std::string>(), "max-iter");
  if (max_iter < 1 || max_iter > std::numeric_limits<int>::max())
    throw UsageError("--max-iter must be at least 1");
  p.max_iter = static_cast<int>(max_iter);
  const std::string tol = r["tol"].as<std::string>();
  char* end = nullptr;
  p.tol = std::strtod(tol.c_str(), &end);
  if (tol.empty() || *end != '\0' || !(p.tol >= 0) || p.tol > 1e300)
    throw UsageError("--tol must be a number >= 0, not '" + tol + "'");
  const long long n_init = parse_int(r["n-init"].as<std::string>(), "n-init");
  if (n_init < 1 || n_init > 100000) throw UsageError("--n-init must be between 1 and 100000");
  p.n_init = static_cast<int>(n_init);
  const std::string seed = r["seed"].as<std::string>();
  end = nullptr;
  errno = 0;
  p.seed = std::strtoull(seed.c_str(), &end, 10);
  if (seed.empty() || *end != '\0' || errno == ERANGE || seed[0] == '-')
    throw UsageError("--seed must be a non-negative integer, not '" + seed + "'");
  const long long threads = parse_int(r["threads"].as<std::string>(), "threads");
  if (threads < 0 || threads > 4096) throw UsageError("--threads must be between 0 and 4096");
  p.threads = static_cast<int>(threads);
  o.device = parse_device_choice(r["device"].as<std::string>());
  p.gpu_memory_budget = parse_byte_size(r["gpu-memory"].as<std::string>(), "gpu-memory");
  if (r.count("weight-by")) {
    o.weight_by = r["weight-by"].as<std::string>();
    if (o.weight_by.empty()) throw UsageError("--weight-by needs a column name or 'monetary'");
  }
  return o;
}

void add_quality_option(cxxopts::Options& options, const std::string& group) {
  options.add_options(group)(
      "quality", "on: summary.json gets a quality section (silhouette, boundary share, stability "
                 "from two half-size fits) | off",
      cxxopts::value<std::string>()->default_value("on"));
}

bool quality_from(const cxxopts::ParseResult& r) {
  const std::string q = r["quality"].as<std::string>();
  if (q != "on" && q != "off") throw UsageError("--quality must be on or off, not '" + q + "'");
  return q == "on";
}

KMeansCliOptions kmeans_options_from(const cxxopts::ParseResult& r) {
  KMeansCliOptions o = kmeans_options_without_k(r);
  const long long k = parse_int(r["k"].as<std::string>(), "k");
  if (k < 1 || k > 1000000) throw UsageError("--k must be between 1 and 1000000");
  o.params.k = static_cast<int>(k);
  return o;
}

}  // namespace segmint::cli
