// Quality metrics for choosing k and for tests; definitions follow scikit-learn's.
#include "kmeans/metrics.hpp"

#if defined(__x86_64__)
#include <immintrin.h>
#endif

#include <algorithm>
#include <cmath>
#include <cstring>
#include <map>
#include <numeric>
#include <string>

#include "common/cpu_isa.hpp"
#include "common/omp_guard.hpp"
#include "kmeans/cpu_kmeans.hpp"
#include "segmint/detail/kmeans_math.hpp"
#include "segmint/error.hpp"

namespace segmint::metrics {

namespace {

typedef float v4f __attribute__((vector_size(16)));  // one SSE register (every x86-64 has it)

// Columns of the silhouette's transposed sample per step: four registers. (It was one 32-byte
// vector, which a build without AVX has no register for: GCC kept the sum in memory and every
// feature's add waited on the store before it, 2.4 s per k at 20000 rows on 2 cores.)
constexpr std::size_t kSilCols = 16;

// Squared distances of row xi (d features) to the kSilCols sample rows at `col` (the transposed
// sample, row stride mpad): each summed over features in index order, in float, as
// detail::squared_distance does. V: the vector type, kSilCols / its lanes registers of it.
template <class V>
inline __attribute__((always_inline)) void distances_to_block(const float* xi, const float* col,
                                                              std::size_t d, std::size_t mpad,
                                                              float* out) {
  constexpr std::size_t kLanes = sizeof(V) / sizeof(float);
  V acc[kSilCols / kLanes] = {};
  for (std::size_t j = 0; j < d; ++j, col += mpad) {
    for (std::size_t h = 0; h < kSilCols / kLanes; ++h) {
      V c;
      std::memcpy(&c, col + kLanes * h, sizeof c);
      const V diff = xi[j] - c;
      acc[h] += diff * diff;
    }
  }
  std::memcpy(out, acc, sizeof acc);
}

void distances_sse(const float* xi, const float* col, std::size_t d, std::size_t mpad, float* out) {
  distances_to_block<v4f>(xi, col, d, mpad, out);
}

// root[l] = sqrt(double(dist[l])) for the kSilCols distances, two at a time (IEEE square roots:
// std::sqrt's bits). One std::sqrt at a time was most of what the silhouette spent outside the
// distances. (The same code after either distance function, so the tests run it on any CPU.)
void distance_roots(const float* dist, double* root) {
#if defined(__x86_64__)
  for (std::size_t l = 0; l < kSilCols; l += 2) {  // two floats (8 bytes) widened a step
    const __m128 two = _mm_castpd_ps(_mm_load_sd(reinterpret_cast<const double*>(dist + l)));
    _mm_storeu_pd(root + l, _mm_sqrt_pd(_mm_cvtps_pd(two)));
  }
#else
  for (std::size_t l = 0; l < kSilCols; ++l) root[l] = std::sqrt(static_cast<double>(dist[l]));
#endif
}

#if defined(__x86_64__)
// The same with 8-lane AVX registers, half the instructions. Without FMA in the target every
// lane's operations are the SSE version's, so the result does not depend on the CPU.
typedef float v8f __attribute__((vector_size(32)));
__attribute__((target("avx2"))) void distances_avx2(const float* xi, const float* col,
                                                    std::size_t d, std::size_t mpad, float* out) {
  distances_to_block<v8f>(xi, col, d, mpad, out);
}
#endif

// Dense cluster ids 0..c-1 in order of first appearance of each distinct label value, sorted.
std::vector<int> dense_labels(const std::int32_t* labels, std::size_t n, int* clusters) {
  std::map<std::int32_t, int> ids;
  for (std::size_t i = 0; i < n; ++i) ids.emplace(labels[i], 0);
  int next = 0;
  for (auto& [label, id] : ids) id = next++;
  std::vector<int> out(n);
  for (std::size_t i = 0; i < n; ++i) out[i] = ids[labels[i]];
  *clusters = next;
  return out;
}

void require_clusters(int c, std::size_t n, const char* metric) {
  if (c < 2 || static_cast<std::size_t>(c) >= n)
    throw InputError(std::string(metric) + ": needs between 2 and n-1 clusters, found " +
                     std::to_string(c));
}

// Cluster sizes and centroids (double) from labels.
void centroids_of(MatrixView x, const std::vector<int>& lab, int c, std::vector<double>& cen,
                  std::vector<double>& size) {
  const std::size_t d = x.cols;
  cen.assign(c * d, 0.0);
  size.assign(c, 0.0);
  for (std::size_t i = 0; i < x.rows; ++i) {
    size[lab[i]] += 1;
    for (std::size_t j = 0; j < d; ++j) cen[lab[i] * d + j] += x.row(i)[j];
  }
  for (int q = 0; q < c; ++q)
    for (std::size_t j = 0; j < d; ++j) cen[q * d + j] /= size[q];
}

double dist_to(const float* xi, const double* c, std::size_t d) {
  double s = 0;
  for (std::size_t j = 0; j < d; ++j) s += (xi[j] - c[j]) * (xi[j] - c[j]);
  return s;
}

}  // namespace

double silhouette(MatrixView x, const std::int32_t* labels, const SilhouetteOptions& o) {
  std::vector<std::size_t> rows(x.rows);
  std::iota(rows.begin(), rows.end(), std::size_t{0});
  if (x.rows > o.exact_limit && o.sample_size < x.rows) {
    kmeans::Rng rng(kmeans::mix64(o.seed ^ 0x73696C686F7565ull));
    for (std::size_t i = 0; i < o.sample_size; ++i)  // partial Fisher-Yates
      std::swap(rows[i], rows[i + rng.below(x.rows - i)]);
    rows.resize(o.sample_size);
    std::sort(rows.begin(), rows.end());
  }
  const std::size_t m = rows.size(), d = x.cols;
  std::vector<std::int32_t> sub(m);
  for (std::size_t i = 0; i < m; ++i) sub[i] = labels[rows[i]];
  int c = 0;
  const auto lab = dense_labels(sub.data(), m, &c);
  require_clusters(c, m, "silhouette");
  std::vector<double> size(c, 0.0);
  for (int l : lab) size[l] += 1;
  // The sample transposed (d x mpad) so that one row's distances to kSilCols others are
  // computed at once across lanes; each is still summed over features in index order, as
  // detail::squared_distance does.
  const std::size_t mpad = (m + kSilCols - 1) / kSilCols * kSilCols;
  std::vector<float> t(d * mpad, 0.f);
  for (std::size_t q = 0; q < m; ++q)
    for (std::size_t j = 0; j < d; ++j) t[j * mpad + q] = x.row(rows[q])[j];
  std::vector<double> score(m);
  const bool avx2 = best_cpu_isa() >= CpuIsa::avx2;
  OmpGuard guard;
#pragma omp parallel num_threads(m < 512 ? 1 : kmeans::resolve_threads(o.threads))
  {
    std::vector<double> sum;  // per thread, not per row
    guard.run([&] { sum.resize(static_cast<std::size_t>(c)); });
#pragma omp for schedule(dynamic, 64)
    for (std::size_t i = 0; i < m; ++i) guard.run([&] {
      std::fill(sum.begin(), sum.end(), 0.0);
      const float* xi = x.row(rows[i]);
      float dist[kSilCols];
      double root[kSilCols];
      for (std::size_t qb = 0; qb < mpad; qb += kSilCols) {
#if defined(__x86_64__)
        if (avx2)
          distances_avx2(xi, t.data() + qb, d, mpad, dist);
        else
#endif
          distances_sse(xi, t.data() + qb, d, mpad, dist);
        distance_roots(dist, root);
        const std::size_t lanes = std::min<std::size_t>(kSilCols, m - qb);
        for (std::size_t l = 0; l < lanes; ++l) sum[lab[qb + l]] += root[l];
      }
      const int own = lab[i];
      if (size[own] <= 1) {
        score[i] = 0;
        return;
      }
      const double a = sum[own] / (size[own] - 1);
      double b = INFINITY;
      for (int q = 0; q < c; ++q)
        if (q != own) b = std::min(b, sum[q] / size[q]);
      const double den = std::max(a, b);
      score[i] = den > 0 ? (b - a) / den : 0;
    });
  }
  guard.rethrow();
  double total = 0;
  for (double s : score) total += s;  // fixed order
  return total / static_cast<double>(m);
}

double davies_bouldin(MatrixView x, const std::int32_t* labels, int) {
  const std::size_t n = x.rows, d = x.cols;
  int c = 0;
  const auto lab = dense_labels(labels, n, &c);
  require_clusters(c, n, "davies-bouldin");
  std::vector<double> cen, size;
  centroids_of(x, lab, c, cen, size);
  std::vector<double> scatter(c, 0.0);
  for (std::size_t i = 0; i < n; ++i)
    scatter[lab[i]] += std::sqrt(dist_to(x.row(i), cen.data() + lab[i] * d, d));
  for (int q = 0; q < c; ++q) scatter[q] /= size[q];
  double total = 0;
  for (int p = 0; p < c; ++p) {
    double worst = 0;
    for (int q = 0; q < c; ++q) {
      if (q == p) continue;
      double sep = 0;
      for (std::size_t j = 0; j < d; ++j)
        sep += (cen[p * d + j] - cen[q * d + j]) * (cen[p * d + j] - cen[q * d + j]);
      sep = std::sqrt(sep);
      // Coinciding centroids: sklearn treats the separation as infinite (ratio 0).
      if (sep > 0) worst = std::max(worst, (scatter[p] + scatter[q]) / sep);
    }
    total += worst;
  }
  return total / c;
}

double calinski_harabasz(MatrixView x, const std::int32_t* labels, int) {
  const std::size_t n = x.rows, d = x.cols;
  int c = 0;
  const auto lab = dense_labels(labels, n, &c);
  require_clusters(c, n, "calinski-harabasz");
  std::vector<double> cen, size, mean(d, 0.0);
  centroids_of(x, lab, c, cen, size);
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = 0; j < d; ++j) mean[j] += x.row(i)[j];
  for (auto& v : mean) v /= static_cast<double>(n);
  double extra = 0, intra = 0;
  for (int q = 0; q < c; ++q) {
    double s = 0;
    for (std::size_t j = 0; j < d; ++j)
      s += (cen[q * d + j] - mean[j]) * (cen[q * d + j] - mean[j]);
    extra += size[q] * s;
  }
  for (std::size_t i = 0; i < n; ++i) intra += dist_to(x.row(i), cen.data() + lab[i] * d, d);
  if (intra == 0) return 1.0;
  return extra * static_cast<double>(n - c) / (intra * (c - 1));
}

double adjusted_rand_index(const std::vector<std::int32_t>& a, const std::vector<std::int32_t>& b) {
  if (a.size() != b.size()) throw InputError("adjusted rand index: labelings differ in length");
  const std::size_t n = a.size();
  int ca = 0, cb = 0;
  const auto la = dense_labels(a.data(), n, &ca), lb = dense_labels(b.data(), n, &cb);
  std::vector<double> table(static_cast<std::size_t>(ca) * cb, 0.0), ra(ca, 0.0), rb(cb, 0.0);
  for (std::size_t i = 0; i < n; ++i) {
    table[static_cast<std::size_t>(la[i]) * cb + lb[i]] += 1;
    ra[la[i]] += 1;
    rb[lb[i]] += 1;
  }
  auto pairs = [](double v) { return v * (v - 1) / 2; };
  double index = 0, sa = 0, sb = 0;
  for (double v : table) index += pairs(v);
  for (double v : ra) sa += pairs(v);
  for (double v : rb) sb += pairs(v);
  const double total = pairs(static_cast<double>(n));
  const double expected = total > 0 ? sa * sb / total : 0;
  const double max_index = (sa + sb) / 2;
  if (max_index == expected) return 1.0;  // e.g. both labelings put everything in one cluster
  return (index - expected) / (max_index - expected);
}

}  // namespace segmint::metrics
