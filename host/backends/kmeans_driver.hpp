// The k-means restart driver, written once over an engine each backend provides (the way FAISS
// writes Clustering::train once over an injected index): checks, n_init restarts, the init
// switch, the seed rule, keep-best.
#pragma once
#include <cstdint>
#include <vector>

#include "segmint/kmeans.hpp"
#include "segmint/matrix.hpp"

namespace segmint {

/// The steps of one k-means fit on one device. The driver calls prepare() once, then for each
/// restart one init (or none for given centroids) and one lloyd().
class KMeansEngine {
 public:
  virtual ~KMeansEngine() = default;
  /// Binds the fit's data (x: n x d, weights: n or nullptr = all 1) and parameters (k,
  /// max_iter, threads, budget); input is already checked. x and weights outlive the engine.
  virtual void prepare(MatrixView x, const float* weights, const KMeansParams& params) = 0;
  /// Sum over features of the population variance of each (unweighted, as scikit-learn).
  virtual double variance_sum() = 0;
  /// Initial centroids (k x d, row-major, host) of one restart from its seed.
  virtual std::vector<float> init_plus_plus(std::uint64_t seed) = 0;
  virtual std::vector<float> init_parallel(std::uint64_t seed, double oversampling,
                                           int rounds) = 0;
  virtual std::vector<float> init_random(std::uint64_t seed) = 0;
  /// One Lloyd run from `start` (k x d) with the absolute squared-shift tolerance tol_abs;
  /// fills everything of the result but best_init.
  virtual KMeansResult lloyd(std::vector<float> start, double tol_abs) = 0;
  /// True when lloyd() itself tests the matrix's values (check_finite_matrix's test and error)
  /// for this fit, so run_kmeans skips its own pass over them; only for fits where nothing
  /// reads the values before lloyd() (given centroids).
  virtual bool tests_matrix_in_lloyd(const KMeansParams&) const { return false; }
};

/// Seed of restart `run` of a fit seeded with `seed`: mix64(seed + run * 0x9E3779B97F4A7C15).
/// Run r is therefore the same whatever n_init is, on every backend.
std::uint64_t restart_seed(std::uint64_t seed, int run);

/// The fit: check_kmeans_input (once), engine.prepare, the tolerance from params.tol, then
/// n_init restarts (one with given centroids), each initialised by params.init from
/// restart_seed(params.seed, r); keeps the lowest inertia, the first one on ties.
KMeansResult run_kmeans(KMeansEngine& engine, MatrixView x, const float* weights,
                        const KMeansParams& params);

}  // namespace segmint
