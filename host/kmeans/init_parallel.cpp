// k-means|| initialisation (Bahmani et al. 2012): a few rounds that each sample about
// oversampling * k rows with probability proportional to their squared distance, then a
// weighted greedy k-means++ over those candidates (weight = mass of rows nearest to each).
#include <algorithm>
#include <vector>

#include "kmeans/cpu_kmeans.hpp"
#include "segmint/cancel.hpp"
#include "segmint/detail/kmeans_math.hpp"

namespace segmint::kmeans {

std::vector<float> init_kmeans_parallel(MatrixView x, const float* w, int k, double oversampling,
                                        int rounds, std::uint64_t seed, int threads) {
  const std::size_t n = x.rows;
  const int d = static_cast<int>(x.cols);
  const int nt = resolve_threads(threads);
  Rng rng(mix64(seed ^ 0x6B6D65616E737C7Cull));
  std::vector<std::size_t> chosen;
  // First candidate: one row drawn by weight (uniform when unweighted).
  {
    std::size_t first = rng.below(n);
    if (w) {
      const double target = rng.uniform() * weighted_sum(w, nullptr, n, nt);
      double acc = 0;
      for (std::size_t i = 0; i < n; ++i) {
        acc += w[i];
        if (acc > target && w[i] > 0) {
          first = i;
          break;
        }
      }
    }
    chosen.push_back(first);
  }
  std::vector<float> closest(n);
  // omp: cannot throw (arithmetic on preallocated arrays): no OmpGuard needed.
#pragma omp parallel for schedule(static) num_threads(team_size(n, nt))
  for (std::size_t i = 0; i < n; ++i)
    closest[i] = detail::squared_distance(x.row(i), x.row(chosen[0]), d);

  const double ell = oversampling * k;
  std::vector<unsigned char> picked(n, 0);
  for (int round = 0; round < rounds; ++round) {
    throw_if_cancelled();
    const double psi = weighted_sum(closest.data(), w, n, nt);
    if (!(psi > 0)) break;  // every row already coincides with a candidate
      // Independent draws from a counter-based hash: the sample is the same for any thread count.
    // omp: cannot throw (arithmetic on preallocated arrays): no OmpGuard needed.
#pragma omp parallel for schedule(static) num_threads(team_size(n, nt))
    for (std::size_t i = 0; i < n; ++i) {
      // p = 0 for rows already chosen (their distance is 0), so none is chosen twice.
      const double p = ell * (w ? w[i] : 1.f) * closest[i] / psi;
      picked[i] = hash_uniform(seed, static_cast<std::uint64_t>(round), i) < p;
    }
    const std::size_t before = chosen.size();
    for (std::size_t i = 0; i < n; ++i)
      if (picked[i]) chosen.push_back(i);
    if (chosen.size() == before) continue;
    // omp: cannot throw (arithmetic on preallocated arrays): no OmpGuard needed.
#pragma omp parallel for schedule(static) num_threads(team_size(n, nt))
    for (std::size_t i = 0; i < n; ++i) {
      float best = closest[i];
      for (std::size_t c = before; c < chosen.size(); ++c)
        best = std::min(best, detail::squared_distance(x.row(i), x.row(chosen[c]), d));
      closest[i] = best;
    }
  }
  // Too few distinct candidates (tiny or degenerate data): top up with uniform rows.
  while (chosen.size() < static_cast<std::size_t>(k)) chosen.push_back(rng.below(n));

  const int m = static_cast<int>(chosen.size());
  std::vector<float> cand(static_cast<std::size_t>(m) * d);
  for (int c = 0; c < m; ++c)
    std::copy_n(x.row(chosen[c]), d, cand.begin() + static_cast<std::size_t>(c) * d);
  // Candidate weight = total weight of the rows nearest to it.
  CentroidTable table;
  table.load(cand.data(), m, d);
  std::vector<std::int32_t> labels(n, -1);
  PassTotals totals;
  assign_pass(x, w, table, labels.data(), nullptr, &totals, nt);
  std::vector<float> cw(m);
  for (int c = 0; c < m; ++c) cw[c] = static_cast<float>(totals.weights[c]);
  MatrixView cv{cand.data(), static_cast<std::size_t>(m), static_cast<std::size_t>(d)};
  return init_kmeans_pp(cv, cw.data(), k, rng, nt);
}

}  // namespace segmint::kmeans
