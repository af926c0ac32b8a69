// The CPU backend: input checks, n_init restarts around init + Lloyd, and plain assignment.
#include <omp.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <string>

#include "kmeans/cpu_kmeans.hpp"
#include "segmint/backend.hpp"
#include "segmint/detail/kmeans_math.hpp"
#include "segmint/error.hpp"

namespace segmint {

namespace {
// "feature matrix has a value too large ... at row 3, column 2: 3e+19 (...)".
[[noreturn]] void value_error(const char* what, const char* where, std::size_t q, std::size_t d,
                              float v, double limit) {
  char text[320];
  if (!std::isfinite(v)) {
    std::snprintf(text, sizeof text, "%s has a non-finite value %s row %zu, column %zu", what,
                  where, q / d + 1, q % d + 1);
  } else {
    std::snprintf(text, sizeof text,
                  "%s has a value too large for float32 distances %s row %zu, column %zu: %g "
                  "(|values| must stay below %.3g with %zu columns; z-score or rescale it)",
                  what, where, q / d + 1, q % d + 1, static_cast<double>(v), limit, d);
  }
  throw InputError(text);
}
}  // namespace

// Parallel scan (a vectorisable any-bad test per chunk); only a failure looks for the first
// offending value, so the common case costs one cheap pass. Values must be finite and small
// enough that squared distances summed over d columns cannot overflow float32.
void check_finite_matrix(MatrixView x, const char* what, int threads) {
  const std::size_t n = x.rows, d = x.cols;
  const double limit = detail::max_feature_magnitude(d);
  const float flimit = static_cast<float>(limit);
  int bad = 0;
  // omp: cannot throw (arithmetic on preallocated arrays): no OmpGuard needed.
#pragma omp parallel for schedule(static) reduction(|      \
                                                    : bad) \
    num_threads(kmeans::team_size(n, threads))
  for (std::size_t ch = 0; ch < kmeans::chunk_count(n); ++ch) {
    const std::size_t end = std::min(n, (ch + 1) * kmeans::kChunkRows) * d;
    int b = 0;
    for (std::size_t q = ch * kmeans::kChunkRows * d; q < end; ++q)
      b |= !(std::fabs(x.data[q]) <= flimit);
    bad |= b;
  }
  if (!bad) return;
  for (std::size_t q = 0; q < n * d; ++q)
    if (!(std::fabs(x.data[q]) <= flimit)) value_error(what, "at", q, d, x.data[q], limit);
}

void check_kmeans_input(MatrixView x, const float* weights, const KMeansParams& p) {
  if (p.k < 1) throw UsageError("k must be at least 1, not " + std::to_string(p.k));
  if (x.rows == 0 || x.cols == 0) throw InputError("k-means: the feature matrix is empty");
  if (static_cast<std::size_t>(p.k) > x.rows)
    throw InputError("k-means: k = " + std::to_string(p.k) + " exceeds the number of rows (" +
                     std::to_string(x.rows) + ")");
  if (p.max_iter < 1) throw UsageError("max-iter must be at least 1");
  if (p.n_init < 1) throw UsageError("n-init must be at least 1");
  if (!(p.tol >= 0)) throw UsageError("tol must be >= 0");
  if (p.init == InitMethod::kmeans_parallel && (!(p.oversampling > 0) || p.parallel_rounds < 1))
    throw UsageError("k-means||: oversampling must be > 0 and rounds >= 1");
  if (p.init == InitMethod::given &&
      p.initial_centroids.size() != static_cast<std::size_t>(p.k) * x.cols)
    throw InputError("initial centroids: expected " + std::to_string(p.k) + " x " +
                     std::to_string(x.cols) + " values, got " +
                     std::to_string(p.initial_centroids.size()));
  if (p.init == InitMethod::given) {
    const double limit = detail::max_feature_magnitude(x.cols);
    for (std::size_t q = 0; q < p.initial_centroids.size(); ++q) {
      if (!(std::fabs(p.initial_centroids[q]) <= limit)) {
        value_error("initial centroids", "in", q, x.cols, p.initial_centroids[q], limit);
      }
    }
  }
  check_finite_matrix(x, "feature matrix", p.threads);
  if (weights) {
    double total = 0;
    for (std::size_t i = 0; i < x.rows; ++i) {
      if (!std::isfinite(weights[i]) || weights[i] < 0)
        throw InputError("weights: row " + std::to_string(i + 1) +
                         " has a negative or non-finite weight");
      total += weights[i];
    }
    if (!(total > 0)) throw InputError("weights: all weights are zero");
  }
}

namespace {

class CpuBackend final : public Backend {
 public:
  explicit CpuBackend(int threads) : threads_(kmeans::resolve_threads(threads)) {}
  std::string name() const override { return "cpu"; }
  std::string description() const override {
    return "cpu (" + std::to_string(threads_) + " OpenMP thread" + (threads_ == 1 ? "" : "s") + ")";
  }

  KMeansResult kmeans(MatrixView x, const float* weights, const KMeansParams& given) override {
    KMeansParams params = given;
    if (params.threads <= 0) params.threads = threads_;
    check_kmeans_input(x, weights, params);
    const int k = params.k;
    const int runs = params.init == InitMethod::given ? 1 : params.n_init;
    const double variance_sum =
        params.tol > 0 ? kmeans::feature_variance_sum(x, params.threads) : 0.0;
    KMeansResult best;
    for (int r = 0; r < runs; ++r) {
      // Each restart gets its own stream derived from (seed, r): run r is the same whatever
      // n_init is.
      const std::uint64_t run_seed = kmeans::mix64(params.seed + 0x9E3779B97F4A7C15ull * r);
      kmeans::Rng rng(run_seed);
      std::vector<float> start;
      switch (params.init) {
        case InitMethod::given:
          start = params.initial_centroids;
          check_finite_matrix({start.data(), static_cast<std::size_t>(k), x.cols},
                              "initial centroids", 1);
          break;
        case InitMethod::random:
          start = kmeans::init_random(x, k, rng);
          break;
        case InitMethod::kmeans_parallel:
          start = kmeans::init_kmeans_parallel(x, weights, k, params.oversampling,
                                               params.parallel_rounds, run_seed, params.threads);
          break;
        case InitMethod::kmeans_plus_plus:
          start = kmeans::init_kmeans_pp(x, weights, k, rng, params.threads);
          break;
      }
      KMeansResult run;
      kmeans::lloyd(x, weights, k, std::move(start), params, variance_sum, run);
      run.best_init = r;
      if (r == 0 || run.inertia < best.inertia) best = std::move(run);
    }
    return best;
  }

  void assign(MatrixView x, const float* centroids, int k, std::int32_t* labels,
              float* distances) override {
    if (k < 1) throw UsageError("assign: k must be at least 1");
    check_finite_matrix(x, "feature matrix", threads_);
    kmeans::CentroidTable table;
    table.load(centroids, k, static_cast<int>(x.cols));
    std::fill(labels, labels + x.rows, -1);
    kmeans::assign_pass(x, nullptr, table, labels, distances, nullptr, threads_);
    // omp: cannot throw (arithmetic on preallocated arrays): no OmpGuard needed.
#pragma omp parallel for schedule(static) num_threads(kmeans::team_size(x.rows, threads_))
    for (std::size_t i = 0; i < x.rows; ++i) distances[i] = std::sqrt(distances[i]);
  }

 private:
  int threads_;
};

}  // namespace

std::unique_ptr<Backend> make_cpu_backend(int threads) {
  return std::make_unique<CpuBackend>(threads);
}

}  // namespace segmint
