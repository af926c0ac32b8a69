// Deterministic reductions over rows: per-chunk partials in double, added in chunk order.
#include <algorithm>
#include <vector>

#include "kmeans/cpu_kmeans.hpp"
#include "segmint/detail/kmeans_math.hpp"

namespace segmint::kmeans {

double weighted_sum(const float* v, const float* w, std::size_t n, int threads) {
  const std::size_t chunks = chunk_count(n);
  std::vector<double> partial(chunks, 0.0);
  // omp: cannot throw (arithmetic on preallocated arrays): no OmpGuard needed.
#pragma omp parallel for schedule(static) num_threads(team_size(n, threads))
  for (std::size_t ch = 0; ch < chunks; ++ch) {
    const std::size_t begin = ch * kChunkRows, end = std::min(n, begin + kChunkRows);
    partial[ch] = detail::chunk_weighted_sum(v, w, begin, end);  // shared with the GPU
  }
  double total = 0;
  for (double p : partial) total += p;
  return total;
}

double feature_variance_sum(MatrixView x, int threads) {
  const std::size_t n = x.rows, d = x.cols, chunks = chunk_count(n);
  if (n == 0) return 0;
  // Two passes (mean, then squared deviations) to avoid the cancellation of E[x^2] - E[x]^2.
  std::vector<double> partial(chunks * d, 0.0), mean(d, 0.0);
  const int nt = resolve_threads(threads);
  for (int pass = 0; pass < 2; ++pass) {
    std::fill(partial.begin(), partial.end(), 0.0);
    // omp: cannot throw (arithmetic on preallocated arrays): no OmpGuard needed.
#pragma omp parallel for schedule(static) num_threads(team_size(n, nt))
    for (std::size_t ch = 0; ch < chunks; ++ch) {
      const std::size_t begin = ch * kChunkRows, end = std::min(n, begin + kChunkRows);
      double* p = partial.data() + ch * d;
      for (std::size_t i = begin; i < end; ++i) {
        const float* xi = x.row(i);
        for (std::size_t j = 0; j < d; ++j)
          p[j] += detail::moment_term(xi[j], pass == 0 ? nullptr : &mean[j]);  // as the GPU
      }
    }
    std::vector<double> total(d, 0.0);
    for (std::size_t ch = 0; ch < chunks; ++ch)
      for (std::size_t j = 0; j < d; ++j) total[j] += partial[ch * d + j];
    if (pass == 0) {
      for (std::size_t j = 0; j < d; ++j) mean[j] = total[j] / static_cast<double>(n);
    } else {
      double sum = 0;
      for (std::size_t j = 0; j < d; ++j) sum += total[j] / static_cast<double>(n);
      return sum;
    }
  }
  return 0;
}

}  // namespace segmint::kmeans
