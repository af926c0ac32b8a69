// check_kmeans_input / check_assign_input / check_finite_matrix: the seam's one set of checks.
#include "backends/input_check.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>

#include "kmeans/cpu_kmeans.hpp"
#include "segmint/detail/kmeans_math.hpp"
#include "segmint/error.hpp"

namespace segmint {

namespace {

void check_weights(const float* weights, std::size_t n) {
  double total = 0;
  for (std::size_t i = 0; i < n; ++i) {
    if (!std::isfinite(weights[i]) || weights[i] < 0)
      throw InputError("weights: row " + std::to_string(i + 1) +
                       " has a negative or non-finite weight");
    total += weights[i];
  }
  if (!(total > 0)) throw InputError("weights: all weights are zero");
}

// "feature matrix has a value too large ... at row 3, column 2: 3e+19 (...)".
[[noreturn]] void value_error(const char* what, std::size_t q, std::size_t d, float v,
                              double limit) {
  char text[320];
  if (!std::isfinite(v)) {
    std::snprintf(text, sizeof text, "%s has a non-finite value at row %zu, column %zu", what,
                  q / d + 1, q % d + 1);
  } else {
    std::snprintf(text, sizeof text,
                  "%s has a value too large for float32 distances at row %zu, column %zu: %g "
                  "(|values| must stay below %.3g with %zu columns; z-score or rescale it)",
                  what, q / d + 1, q % d + 1, static_cast<double>(v), limit, d);
  }
  throw InputError(text);
}

}  // namespace

// Parallel scan (a vectorisable any-bad test per chunk); only a failure looks for the first
// offending value, so the common case costs one cheap pass. Values must be finite and small
// enough that squared distances summed over d columns cannot overflow float32
// (detail::max_feature_magnitude): no inf distance, no "inertia": null.
float matrix_value_limit(std::size_t d) {
  return static_cast<float>(detail::max_feature_magnitude(d));
}

void check_finite_matrix(MatrixView x, const char* what, int threads) {
  const std::size_t n = x.rows, d = x.cols;
  const double limit = detail::max_feature_magnitude(d);
  const float flimit = matrix_value_limit(d);
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
    if (!(std::fabs(x.data[q]) <= flimit)) value_error(what, q, d, x.data[q], limit);
}

void check_kmeans_input(MatrixView x, const float* weights, const KMeansParams& p,
                        bool check_matrix) {
  if (p.k < 1) throw UsageError("k must be at least 1, not " + std::to_string(p.k));
  if (x.rows == 0 || x.cols == 0) throw InputError("k-means: the feature matrix is empty");
  // The one "k > users" check of the project (run, cluster, sweep, nightly all end here).
  if (static_cast<std::size_t>(p.k) > x.rows)
    throw InputError("k = " + std::to_string(p.k) + " is more than the " +
                     std::to_string(x.rows) + " users (rows) to segment");
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
  if (check_matrix) check_finite_matrix(x, "feature matrix", p.threads);
  if (weights) check_weights(weights, x.rows);
  if (p.init == InitMethod::given)
    check_finite_matrix({p.initial_centroids.data(), static_cast<std::size_t>(p.k), x.cols},
                        "initial centroids", 1);
}

void check_assign_input(MatrixView x, int k, int threads) {
  if (k < 1) throw UsageError("assign: k must be at least 1");
  check_finite_matrix(x, "feature matrix", threads);
}

}  // namespace segmint
