// The hot loop of the CPU backend: blocked nearest-centroid search over fixed row chunks, with
// per-chunk weighted sums for the centroid update.
#include <omp.h>

#include <algorithm>
#include <limits>

#include "kmeans/cpu_kmeans.hpp"

namespace segmint::kmeans {

int resolve_threads(int threads) { return threads > 0 ? threads : omp_get_max_threads(); }

int team_size(std::size_t n, int threads) {
  const std::size_t chunks = chunk_count(n), t = static_cast<std::size_t>(resolve_threads(threads));
  return static_cast<int>(std::max<std::size_t>(1, std::min(chunks, t)));
}

void CentroidTable::load(const float* centroids, int k_, int d_) {
  k = k_;
  d = d_;
  kpad = (k + kBlock - 1) / kBlock * kBlock;
  t.assign(static_cast<std::size_t>(d) * kpad, 0.f);
  for (int c = 0; c < k; ++c)
    for (int j = 0; j < d; ++j) t[static_cast<std::size_t>(j) * kpad + c] = centroids[c * d + j];
}

namespace {

constexpr int kB = CentroidTable::kBlock;

// P rows against all centroids, kB centroids at a time. For each centroid the sum runs over
// features in index order from 0.f, exactly as detail::squared_distance, so the result agrees
// with the scalar reference (bitwise when the compiler does not fuse multiply-adds).
template <int P>
inline __attribute__((always_inline)) void nearest_rows(const float* x, int d,
                                                        const CentroidTable& table,
                                                        std::int32_t* best_c, float* best_d) {
  for (int p = 0; p < P; ++p) {
    best_d[p] = std::numeric_limits<float>::infinity();
    best_c[p] = 0;
  }
  const float* tt = table.t.data();
  const int kpad = table.kpad;
  for (int b = 0; b < kpad; b += kB) {
    float acc[P][kB] = {};
    for (int j = 0; j < d; ++j) {
      const float* row = tt + static_cast<std::size_t>(j) * kpad + b;
      for (int p = 0; p < P; ++p) {
        const float xv = x[static_cast<std::size_t>(p) * d + j];
        for (int c = 0; c < kB; ++c) {
          const float t = xv - row[c];
          acc[p][c] += t * t;
        }
      }
    }
    const int lim = std::min(kB, table.k - b);
    for (int p = 0; p < P; ++p)
      for (int c = 0; c < lim; ++c)
        if (acc[p][c] < best_d[p]) {
          best_d[p] = acc[p][c];
          best_c[p] = b + c;
        }
  }
}

// One chunk [begin, end). partial: k*d sums, k weights, inertia, changed (as double).
// Cloned for AVX2+FMA: the dispatcher picks the best version once at load time.
__attribute__((target_clones("arch=haswell", "default"))) void assign_chunk(
    MatrixView x, const float* w, const CentroidTable& table, std::size_t begin, std::size_t end,
    std::int32_t* labels, float* dist_sq, double* partial) {
  const int d = static_cast<int>(x.cols), k = table.k;
  double* sums = partial;
  double* wsum = partial ? partial + static_cast<std::size_t>(k) * d : nullptr;
  double inertia = 0, changed = 0;
  constexpr int P = 4;
  std::int32_t bc[P];
  float bd[P];
  for (std::size_t i = begin; i < end;) {
    const int rows = end - i >= static_cast<std::size_t>(P) ? P : 1;
    if (rows == P)
      nearest_rows<P>(x.row(i), d, table, bc, bd);
    else
      nearest_rows<1>(x.row(i), d, table, bc, bd);
    for (int p = 0; p < rows; ++p, ++i) {
      const int c = bc[p];
      if (labels[i] != c) changed += 1;
      labels[i] = c;
      if (dist_sq) dist_sq[i] = bd[p];
      if (!partial) continue;
      const double wi = w ? w[i] : 1.0;
      const float* xi = x.row(i);
      double* s = sums + static_cast<std::size_t>(c) * d;
      for (int j = 0; j < d; ++j) s[j] += wi * xi[j];
      wsum[c] += wi;
      inertia += wi * bd[p];
    }
  }
  if (partial) {
    partial[static_cast<std::size_t>(k) * d + k] = inertia;
    partial[static_cast<std::size_t>(k) * d + k + 1] = changed;
  }
}

}  // namespace

void assign_pass(MatrixView x, const float* weights, const CentroidTable& table,
                 std::int32_t* labels, float* dist_sq, PassTotals* totals, int threads) {
  const std::size_t n = x.rows, chunks = chunk_count(n);
  const int k = table.k, d = table.d;
  const std::size_t stride = static_cast<std::size_t>(k) * d + k + 2;
  std::vector<double> partial(totals ? chunks * stride : 0);
#pragma omp parallel for schedule(dynamic, 1) num_threads(team_size(n, threads))
  for (std::size_t ch = 0; ch < chunks; ++ch) {
    const std::size_t begin = ch * kChunkRows, end = std::min(n, begin + kChunkRows);
    double* p = totals ? partial.data() + ch * stride : nullptr;
    assign_chunk(x, weights, table, begin, end, labels, dist_sq, p);
  }
  if (!totals) return;
  totals->sums.assign(static_cast<std::size_t>(k) * d, 0.0);
  totals->weights.assign(k, 0.0);
  totals->inertia = 0;
  totals->changed = 0;
  for (std::size_t ch = 0; ch < chunks; ++ch) {  // fixed order: thread-count independent
    const double* p = partial.data() + ch * stride;
    for (std::size_t q = 0; q < static_cast<std::size_t>(k) * d; ++q) totals->sums[q] += p[q];
    for (int c = 0; c < k; ++c) totals->weights[c] += p[static_cast<std::size_t>(k) * d + c];
    totals->inertia += p[static_cast<std::size_t>(k) * d + k];
    totals->changed += static_cast<std::size_t>(p[static_cast<std::size_t>(k) * d + k + 1]);
  }
}

}  // namespace segmint::kmeans
