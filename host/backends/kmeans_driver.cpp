// run_kmeans: the one n_init / init / seed / keep-best loop every backend's k-means goes through.
#include "backends/kmeans_driver.hpp"

#include <utility>

#include "backends/input_check.hpp"
#include "segmint/detail/kmeans_math.hpp"
#include "segmint/detail/rng.hpp"

namespace segmint {

namespace {

std::vector<float> initial_centroids(KMeansEngine& engine, const KMeansParams& p,
                                     std::uint64_t seed) {
  switch (p.init) {
    case InitMethod::given: return p.initial_centroids;
    case InitMethod::random: return engine.init_random(seed);
    case InitMethod::kmeans_parallel:
      return engine.init_parallel(seed, p.oversampling, p.parallel_rounds);
    case InitMethod::kmeans_plus_plus: break;
  }
  return engine.init_plus_plus(seed);
}

}  // namespace

std::uint64_t restart_seed(std::uint64_t seed, int run) {
  return detail::mix64(seed + detail::kGolden64 * static_cast<std::uint64_t>(run));
}

KMeansResult run_kmeans(KMeansEngine& engine, MatrixView x, const float* weights,
                        const KMeansParams& params) {
  check_kmeans_input(x, weights, params, !engine.tests_matrix_in_lloyd(params));
  engine.prepare(x, weights, params);
  const int d = static_cast<int>(x.cols);
  const double tol_abs =
      params.tol > 0 ? detail::absolute_tolerance(params.tol, engine.variance_sum(), d) : 0.0;
  const int runs = params.init == InitMethod::given ? 1 : params.n_init;
  KMeansResult best;
  for (int r = 0; r < runs; ++r) {
    KMeansResult run =
        engine.lloyd(initial_centroids(engine, params, restart_seed(params.seed, r)), tol_abs);
    run.best_init = r;
    if (r == 0 || run.inertia < best.inertia) best = std::move(run);  // first on ties
  }
  return best;
}

}  // namespace segmint
