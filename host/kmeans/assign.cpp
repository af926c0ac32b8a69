// The hot loop of the CPU backend: blocked nearest-centroid search over fixed row chunks, with
// per-chunk weighted sums for the centroid update.
#include <omp.h>

#include <algorithm>
#include <atomic>
#include <cstring>
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
  // Padding centroids at +inf: their distances are +inf, so no mask is needed in the kernel.
  t.assign(static_cast<std::size_t>(d) * kpad, std::numeric_limits<float>::infinity());
  for (int c = 0; c < k; ++c)
    for (int j = 0; j < d; ++j) t[static_cast<std::size_t>(j) * kpad + c] = centroids[c * d + j];
}

namespace {

constexpr int kB = CentroidTable::kBlock;

// Eight floats: GCC/Clang vector extensions give one AVX register in the AVX2 entry point and
// two SSE registers in the baseline one, from the same source.
typedef float v8f __attribute__((vector_size(32)));
typedef std::int32_t v8i __attribute__((vector_size(32)));
constexpr v8i kLanes = {0, 1, 2, 3, 4, 5, 6, 7};
constexpr v8i kNone = {kB, kB, kB, kB, kB, kB, kB, kB};

// P rows against all centroids, kB = 16 centroids (two v8f) at a time. For each centroid the
// sum runs over features in index order from 0, exactly as detail::squared_distance, so the
// result agrees with the scalar reference (bitwise where no multiply-add is fused).
template <int P>
inline __attribute__((always_inline)) void nearest_rows(const float* x, int d,
                                                        const CentroidTable& table,
                                                        std::int32_t* best_c, float* best_d) {
  static_assert(kB == 16, "two v8f per block");
  for (int p = 0; p < P; ++p) {
    best_d[p] = std::numeric_limits<float>::infinity();
    best_c[p] = 0;
  }
  const float* tt = table.t.data();
  const int kpad = table.kpad;
  for (int b = 0; b < kpad; b += kB) {
    v8f lo[P], hi[P];
    for (int p = 0; p < P; ++p) lo[p] = hi[p] = v8f{};
    const float* col = tt + b;
    for (int j = 0; j < d; ++j, col += kpad) {
      v8f c0, c1;
      std::memcpy(&c0, col, sizeof c0);
      std::memcpy(&c1, col + 8, sizeof c1);
      for (int p = 0; p < P; ++p) {
        const float xv = x[static_cast<std::size_t>(p) * d + j];
        const v8f t0 = xv - c0, t1 = xv - c1;
        lo[p] += t0 * t0;
        hi[p] += t1 * t1;
      }
    }
    // Branch-free argmin: the block minimum, then the lowest lane holding it (ties to the
    // lowest centroid index). Padding lanes hold +inf distances, so they never win.
    for (int p = 0; p < P; ++p) {
      const v8f m8 = lo[p] < hi[p] ? lo[p] : hi[p];
      float m = m8[0];
      for (int q = 1; q < 8; ++q) m = m8[q] < m ? m8[q] : m;
      if (!(m < best_d[p])) continue;  // every lane >= m >= best: keep the earlier centroid
      const v8i idx = lo[p] == m ? kLanes : (hi[p] == m ? kLanes + 8 : kNone);
      int first = idx[0];
      for (int q = 1; q < 8; ++q) first = idx[q] < first ? idx[q] : first;
      best_d[p] = m;
      best_c[p] = b + first;
    }
  }
}

// One chunk [begin, end). partial: k*d sums, k weights, inertia, changed (as double).
// Inlined into an AVX2+FMA and a baseline entry point; assign_pass picks one at run time.
template <int P>
inline __attribute__((always_inline)) void assign_chunk_body(MatrixView x, const float* w,
                                                             const CentroidTable& table,
                                                             std::size_t begin, std::size_t end,
                                                             std::int32_t* labels, float* dist_sq,
                                                             double* partial) {
  const int d = static_cast<int>(x.cols), k = table.k;
  double* sums = partial;
  double* wsum = partial ? partial + static_cast<std::size_t>(k) * d : nullptr;
  double inertia = 0, changed = 0;
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

__attribute__((target("avx2,fma"))) void assign_chunk_avx2(MatrixView x, const float* w,
                                                           const CentroidTable& table,
                                                           std::size_t begin, std::size_t end,
                                                           std::int32_t* labels, float* dist_sq,
                                                           double* partial) {
  assign_chunk_body<4>(x, w, table, begin, end, labels, dist_sq, partial);  // 8 ymm accumulators
}

void assign_chunk_base(MatrixView x, const float* w, const CentroidTable& table, std::size_t begin,
                       std::size_t end, std::int32_t* labels, float* dist_sq, double* partial) {
  assign_chunk_body<2>(x, w, table, begin, end, labels, dist_sq, partial);  // 8 xmm accumulators
}

using ChunkFn = void (*)(MatrixView, const float*, const CentroidTable&, std::size_t, std::size_t,
                         std::int32_t*, float*, double*);

std::atomic<bool> g_baseline_only{false};

ChunkFn pick_chunk_fn() {
  __builtin_cpu_init();
  return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma") ? assign_chunk_avx2
                                                                         : assign_chunk_base;
}

}  // namespace

void use_baseline_kernel(bool on) { g_baseline_only = on; }

void assign_pass(MatrixView x, const float* weights, const CentroidTable& table,
                 std::int32_t* labels, float* dist_sq, PassTotals* totals, int threads) {
  const std::size_t n = x.rows, chunks = chunk_count(n);
  const int k = table.k, d = table.d;
  const std::size_t stride = static_cast<std::size_t>(k) * d + k + 2;
  std::vector<double> partial(totals ? chunks * stride : 0);
  static const ChunkFn best_fn = pick_chunk_fn();
  const ChunkFn chunk_fn = g_baseline_only ? assign_chunk_base : best_fn;
  // omp: cannot throw (arithmetic on preallocated arrays): no OmpGuard needed.
#pragma omp parallel for schedule(dynamic, 1) num_threads(team_size(n, threads))
  for (std::size_t ch = 0; ch < chunks; ++ch) {
    const std::size_t begin = ch * kChunkRows, end = std::min(n, begin + kChunkRows);
    double* p = totals ? partial.data() + ch * stride : nullptr;
    chunk_fn(x, weights, table, begin, end, labels, dist_sq, p);
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
