// segment_spread: one pass over fixed row chunks (nearest and second-nearest centroid per row),
// partial sums per chunk combined in chunk order.
#include "kmeans/segment_quality.hpp"

#include <algorithm>
#include <cfloat>
#include <cmath>

#include "common/omp_guard.hpp"
#include "kmeans/cpu_kmeans.hpp"
#include "segmint/detail/kmeans_math.hpp"

namespace segmint::metrics {
namespace {

constexpr std::size_t kChunk = 4096;

struct Partial {
  std::vector<double> sq;           // per segment: sum of squared distances to own centroid
  std::vector<std::int64_t> count;  // per segment: rows
  std::vector<std::int64_t> near;   // per segment: rows near a boundary
};

void chunk_pass(MatrixView x, const std::int32_t* labels, const float* c, int k, double ratio,
                std::size_t begin, std::size_t end, Partial& p) {
  const int d = static_cast<int>(x.cols);
  const double r2 = ratio * ratio;
  for (std::size_t i = begin; i < end; ++i) {
    const std::int32_t l = labels[i];
    if (l < 0 || l >= k) continue;
    float best = FLT_MAX, second = FLT_MAX;
    for (int q = 0; q < k; ++q) {
      const float s = detail::squared_distance(x.row(i), c + static_cast<std::size_t>(q) * d, d);
      if (s < best) {
        second = best;
        best = s;
      } else if (s < second) {
        second = s;
      }
    }
    p.sq[l] += detail::squared_distance(x.row(i), c + static_cast<std::size_t>(l) * d, d);
    p.count[l] += 1;
    if (k > 1 && static_cast<double>(best) >= r2 * static_cast<double>(second)) p.near[l] += 1;
  }
}

}  // namespace

SegmentSpread segment_spread(MatrixView x, const std::int32_t* labels, const float* centroids,
                             int k, double ratio, int threads) {
  const std::size_t ks = static_cast<std::size_t>(k);
  const std::size_t chunks = (x.rows + kChunk - 1) / kChunk;
  std::vector<Partial> parts(chunks);
  const auto n_chunks = static_cast<std::int64_t>(chunks);
  OmpGuard guard;  // the partials allocate: bad_alloc leaves the region, then is rethrown
#pragma omp parallel for schedule(dynamic, 1) num_threads(kmeans::team_size(x.rows, threads))
  for (std::int64_t b = 0; b < n_chunks; ++b) guard.run([&] {
    Partial& p = parts[static_cast<std::size_t>(b)];
    p.sq.assign(ks, 0.0);
    p.count.assign(ks, 0);
    p.near.assign(ks, 0);
    const std::size_t begin = static_cast<std::size_t>(b) * kChunk;
    chunk_pass(x, labels, centroids, k, ratio, begin, std::min(x.rows, begin + kChunk), p);
  });
  guard.rethrow();
  SegmentSpread s;
  std::vector<double> sq(ks, 0.0);
  std::vector<std::int64_t> near(ks, 0);
  s.size.assign(ks, 0);
  for (const Partial& p : parts) {  // chunk order
    for (std::size_t q = 0; q < ks; ++q) {
      sq[q] += p.sq[q];
      s.size[q] += p.count[q];
      near[q] += p.near[q];
    }
  }
  std::int64_t rows = 0, near_all = 0;
  const int d = static_cast<int>(x.cols);
  for (std::size_t q = 0; q < ks; ++q) {
    const auto n = static_cast<double>(s.size[q]);
    s.cohesion.push_back(n > 0 ? std::sqrt(sq[q] / n) : 0.0);
    s.boundary_share.push_back(n > 0 ? static_cast<double>(near[q]) / n : 0.0);
    double nearest = k > 1 ? HUGE_VAL : 0.0;
    for (std::size_t o = 0; o < ks; ++o) {
      if (o == q) continue;
      const float dist = detail::squared_distance(centroids + q * d, centroids + o * d, d);
      nearest = std::min(nearest, std::sqrt(static_cast<double>(dist)));
    }
    s.separation.push_back(nearest);
    rows += s.size[q];
    near_all += near[q];
  }
  s.boundary_share_all = rows > 0 ? static_cast<double>(near_all) / static_cast<double>(rows) : 0.0;
  return s;
}

}  // namespace segmint::metrics
