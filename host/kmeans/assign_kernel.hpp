// The assignment kernel, written once and compiled once per instruction set: assign_avx512.cpp,
// assign_avx2.cpp and assign_base.cpp include it under their own target flags. Rows go in tiles
// of kTileRows; a tile is screened against blocks of 16 centroids with ||c||^2 - 2 x.c (a small
// GEMM held in registers), the survivors of the screen (screen_bound.hpp) are re-ranked with the
// exact formula, and each row is folded into the chunk's partial sums in the same pass.
#pragma once
#include <immintrin.h>

#include <cstring>
#include <limits>
#include <vector>

#include "kmeans/assign_chunk.hpp"
#include "kmeans/screen_bound.hpp"

namespace segmint::kmeans {
namespace {  // one copy per instruction-set translation unit (never shared across them)

#define SEGMINT_INLINE inline __attribute__((always_inline))

// Sixteen floats: one zmm under AVX-512, two ymm under AVX2, four xmm on the baseline.
typedef float v16f __attribute__((vector_size(64)));
typedef std::int32_t v16i __attribute__((vector_size(64)));

#if defined(__AVX512F__)
constexpr int kTileRows = 16;  // 16 zmm accumulators
#elif defined(__AVX2__)
constexpr int kTileRows = 6;  // 12 ymm accumulators
#else
constexpr int kTileRows = 3;  // 12 xmm accumulators
#endif
constexpr float kInf = std::numeric_limits<float>::infinity();

SEGMINT_INLINE v16f load16(const float* p) {
  v16f v;
  std::memcpy(&v, p, sizeof v);
  return v;
}
SEGMINT_INLINE void store16(float* p, v16f v) { std::memcpy(p, &v, sizeof v); }
SEGMINT_INLINE v16f vmin(v16f a, v16f b) { return a < b ? a : b; }

SEGMINT_INLINE float hmin16(v16f v) {
  v = vmin(v, __builtin_shuffle(v, v16i{8, 9, 10, 11, 12, 13, 14, 15, 0, 1, 2, 3, 4, 5, 6, 7}));
  v = vmin(v, __builtin_shuffle(v, v16i{4, 5, 6, 7, 0, 1, 2, 3, 4, 5, 6, 7, 0, 1, 2, 3}));
  v = vmin(v, __builtin_shuffle(v, v16i{2, 3, 0, 1, 2, 3, 0, 1, 2, 3, 0, 1, 2, 3, 0, 1}));
  return v[0] < v[1] ? v[0] : v[1];
}

SEGMINT_INLINE float hsum16(v16f v) {
  v += __builtin_shuffle(v, v16i{8, 9, 10, 11, 12, 13, 14, 15, 0, 1, 2, 3, 4, 5, 6, 7});
  v += __builtin_shuffle(v, v16i{4, 5, 6, 7, 0, 1, 2, 3, 4, 5, 6, 7, 0, 1, 2, 3});
  v += __builtin_shuffle(v, v16i{2, 3, 0, 1, 2, 3, 0, 1, 2, 3, 0, 1, 2, 3, 0, 1});
  return v[0] + v[1];
}

// Bit q set when lane q of v is <= t (false for NaN lanes).
SEGMINT_INLINE unsigned le_mask16(v16f v, float t) {
#if defined(__AVX512F__)
  return _mm512_cmp_ps_mask(reinterpret_cast<__m512>(v), _mm512_set1_ps(t), _CMP_LE_OQ);
#elif defined(__AVX2__)
  __m256 h[2];
  std::memcpy(h, &v, sizeof v);
  const __m256 tv = _mm256_set1_ps(t);
  return static_cast<unsigned>(_mm256_movemask_ps(_mm256_cmp_ps(h[0], tv, _CMP_LE_OQ))) |
         static_cast<unsigned>(_mm256_movemask_ps(_mm256_cmp_ps(h[1], tv, _CMP_LE_OQ))) << 8;
#else
  __m128 q[4];
  std::memcpy(q, &v, sizeof v);
  const __m128 tv = _mm_set1_ps(t);
  unsigned m = 0;
  for (int s = 0; s < 4; ++s)
    m |= static_cast<unsigned>(_mm_movemask_ps(_mm_cmple_ps(q[s], tv))) << (4 * s);
  return m;
#endif
}

// ||x||^2 in any order: it only feeds the screen's error bound.
SEGMINT_INLINE float sq_norm(const float* x, int d) {
  int j = 0;
  float s = 0.f;
  if (d >= 16) {
    v16f acc{};
    for (; j + 16 <= d; j += 16) {
      const v16f v = load16(x + j);
      acc += v * v;
    }
    s = hsum16(acc);
  }
  for (; j < d; ++j) s += x[j] * x[j];
  return s;
}

// R rows (row-major, stride d) against every centroid: f[r * kpad + c] = screen value of c.
template <int R>
SEGMINT_INLINE void screen_tile(const float* x, int d, const CentroidTable& t, float* f) {
  const int kpad = t.kpad;
  for (int b = 0; b < kpad; b += CentroidTable::kBlock) {
    v16f acc[R];
    const v16f cn = load16(t.cn.data() + b);
    for (int r = 0; r < R; ++r) acc[r] = cn;
    const float* col = t.screen.data() + b;
    for (int j = 0; j < d; ++j, col += kpad) {
      const v16f c = load16(col);
      for (int r = 0; r < R; ++r) acc[r] += x[static_cast<std::size_t>(r) * d + j] * c;
    }
    for (int r = 0; r < R; ++r) store16(f + static_cast<std::size_t>(r) * kpad + b, acc[r]);
  }
}

// Exact distances of `count` rows (stride d from x) to centroids c[q], lanes across rows: the
// same operations in the same order as exact_sq for each row, so the same bits.
#if defined(__AVX512F__) || defined(__AVX2__)
#if defined(__AVX512F__)
constexpr int kLanes = 16;
typedef __m512 vlane;
typedef __m512i vindex;
SEGMINT_INLINE vindex lane_index(const std::int32_t* v) { return _mm512_loadu_si512(v); }
SEGMINT_INLINE vlane gather(vindex i, const float* base) {
  return _mm512_mask_i32gather_ps(_mm512_setzero_ps(), 0xFFFF, i, base, 4);
}
SEGMINT_INLINE vlane lane_fma(vlane t, vlane s) { return _mm512_fmadd_ps(t, t, s); }
SEGMINT_INLINE vlane lane_sub(vlane a, vlane b) { return _mm512_sub_ps(a, b); }
SEGMINT_INLINE void lane_store(float* p, vlane v) { _mm512_storeu_ps(p, v); }
SEGMINT_INLINE vlane lane_zero() { return _mm512_setzero_ps(); }
#else
constexpr int kLanes = 8;
typedef __m256 vlane;
typedef __m256i vindex;
SEGMINT_INLINE vindex lane_index(const std::int32_t* v) {
  return _mm256_loadu_si256(reinterpret_cast<const __m256i*>(v));
}
SEGMINT_INLINE vlane gather(vindex i, const float* base) {
  return _mm256_i32gather_ps(base, i, 4);
}
SEGMINT_INLINE vlane lane_fma(vlane t, vlane s) { return _mm256_fmadd_ps(t, t, s); }
SEGMINT_INLINE vlane lane_sub(vlane a, vlane b) { return _mm256_sub_ps(a, b); }
SEGMINT_INLINE void lane_store(float* p, vlane v) { _mm256_storeu_ps(p, v); }
SEGMINT_INLINE vlane lane_zero() { return _mm256_setzero_ps(); }
#endif

// kLanes rows starting at x (stride d) against centroids labels[0..kLanes) of t.
SEGMINT_INLINE void exact_lanes(const float* x, int d, const CentroidTable& t,
                                const std::int32_t* labels, float* out) {
  std::int32_t xi[kLanes], ci[kLanes];
  for (int q = 0; q < kLanes; ++q) {
    xi[q] = q * d;
    ci[q] = labels[q] * d;
  }
  const vindex vx = lane_index(xi), vc = lane_index(ci);
  vlane s = lane_zero();
  for (int j = 0; j < d; ++j) {
    const vlane tj = lane_sub(gather(vx, x + j), gather(vc, t.rows.data() + j));
    s = lane_fma(tj, s);
  }
  lane_store(out, s);
}
#endif

// dist[i] = exact_sq(row i, centroid labels[i]) for rows [begin, end).
SEGMINT_INLINE void exact_rows(MatrixView x, const CentroidTable& t, const std::int32_t* labels,
                               std::size_t begin, std::size_t end, float* dist) {
  const int d = t.d;
  std::size_t i = begin;
#if defined(__AVX512F__) || defined(__AVX2__)
  // 32-bit gather indices: the centroid table and a lane group of rows must fit.
  if (static_cast<std::size_t>(t.k) * d < (1u << 30) && d < (1 << 24))
    for (; i + kLanes <= end; i += kLanes) exact_lanes(x.row(i), d, t, labels + i, dist + i);
#endif
  for (; i < end; ++i) dist[i] = exact_sq(x.row(i), t.row(labels[i]), d);
}

// Today's rule over every centroid: strictly closer replaces, so ties go to the lowest index
// and a row with every distance +inf keeps centroid 0.
inline int exact_all(const float* x, const CentroidTable& t) {
  int best = 0;
  float best_d = kInf;
  for (int c = 0; c < t.k; ++c) {
    const float dc = exact_sq(x, t.row(c), t.d);
    if (dc < best_d) {
      best = c;
      best_d = dc;
    }
  }
  return best;
}

// The exact winner for one row from its screen values f (kpad floats) and threshold.
SEGMINT_INLINE int pick_row(const float* f, float thr, const float* x, const CentroidTable& t) {
  if (!(thr < kInf)) return exact_all(x, t);
  const int kpad = t.kpad;
  int count = 0, only = -1;
  for (int b = 0; b < kpad; b += CentroidTable::kBlock) {
    const unsigned mask = le_mask16(load16(f + b), thr);
    count += __builtin_popcount(mask);
    if (mask && only < 0) only = b + __builtin_ctz(mask);
  }
  if (count == 1) return only;
  int best = -1;
  float best_d = kInf;
  for (int b = 0; b < kpad; b += CentroidTable::kBlock)
    for (unsigned mask = le_mask16(load16(f + b), thr); mask; mask &= mask - 1) {
      const int c = b + __builtin_ctz(mask);
      const float dc = exact_sq(x, t.row(c), t.d);
      if (best < 0 || dc < best_d) {
        best = c;
        best_d = dc;
      }
    }
  return best >= 0 && best_d < kInf ? best : exact_all(x, t);  // never taken in exact arithmetic
}

// Labels of R rows starting at row i: screen, thresholds, pick.
template <int R>
SEGMINT_INLINE void label_tile(const ChunkArgs& a, std::size_t i, float* f, std::int32_t* out) {
  const CentroidTable& t = *a.table;
  const int d = t.d, kpad = t.kpad;
  screen_tile<R>(a.x.row(i), d, t, f);
  float m[R], xn[R], thr[R];
  for (int r = 0; r < R; ++r) {
    const float* fr = f + static_cast<std::size_t>(r) * kpad;
    v16f mv = load16(fr);
    for (int b = CentroidTable::kBlock; b < kpad; b += CentroidTable::kBlock)
      mv = vmin(mv, load16(fr + b));
    m[r] = hmin16(mv);
    xn[r] = a.norms ? a.norms[i + r] : sq_norm(a.x.row(i + r), d);
  }
  for (int r = 0; r < R; ++r) thr[r] = t.bound.threshold(m[r], xn[r]);
  for (int r = 0; r < R; ++r)
    out[r] = pick_row(f + static_cast<std::size_t>(r) * kpad, thr[r], a.x.row(i + r), t);
}

template <int R>
SEGMINT_INLINE void chunk_body(const ChunkArgs& a, std::size_t begin, std::size_t end,
                               double* partial) {
  const CentroidTable& t = *a.table;
  const int d = t.d, k = t.k;
  std::vector<float> f(static_cast<std::size_t>(R) * t.kpad);
  double* sums = partial;
  double* wsum = partial ? partial + static_cast<std::size_t>(k) * d : nullptr;
  double changed = 0;
  std::int32_t lab[R];
  for (std::size_t i = begin; i < end;) {
    const int rows = end - i >= static_cast<std::size_t>(R) ? R : 1;
    if (rows == R)
      label_tile<R>(a, i, f.data(), lab);
    else
      label_tile<1>(a, i, f.data(), lab);
    for (int r = 0; r < rows; ++r, ++i) {
      const int c = lab[r];
      if (a.labels[i] != c) changed += 1;
      a.labels[i] = c;
      if (!partial) continue;
      const double wi = a.weights ? a.weights[i] : 1.0;
      const float* xi = a.x.row(i);
      double* s = sums + static_cast<std::size_t>(c) * d;
      for (int j = 0; j < d; ++j) s[j] += wi * xi[j];
      wsum[c] += wi;
    }
  }
  double inertia = 0;
  if (a.dist_sq) {
    exact_rows(a.x, t, a.labels, begin, end, a.dist_sq);
    if (partial)
      for (std::size_t i = begin; i < end; ++i)
        inertia += (a.weights ? a.weights[i] : 1.0) * a.dist_sq[i];
  }
  if (partial) {
    partial[static_cast<std::size_t>(k) * d + k] = inertia;
    partial[static_cast<std::size_t>(k) * d + k + 1] = changed;
  }
}

SEGMINT_INLINE void label_dist_body(const ChunkArgs& a, std::size_t begin, std::size_t end) {
  exact_rows(a.x, *a.table, a.labels, begin, end, a.dist_sq);
}

#undef SEGMINT_INLINE

}  // namespace
}  // namespace segmint::kmeans
