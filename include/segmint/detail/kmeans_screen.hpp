// The assignment rule both k-means backends share bit for bit: the exact squared distance (fused
// multiply-adds in feature order), the rigorous slack of the ||c||^2 - 2 x.c screen, and the
// exact re-rank of the screen's survivors. __host__ __device__: the CPU kernels (host/kmeans)
// and the CUDA kernels (kernels/kmeans) call this code, tests/unit/kmeans_screen_test.cpp runs
// the device's combinations of it on the CPU against the CPU backend.
#pragma once
#include <cfloat>
#include <cmath>
#include <cstdint>

#include "segmint/detail/hd.hpp"
#include "segmint/detail/kmeans_math.hpp"

namespace segmint::detail {

/// fma(a, b, c) with one rounding: hardware fma on x86-64 with FMA and on every GPU (also under
/// nvcc --fmad=false, which only stops the compiler from contracting a * b + c itself), glibc's
/// correctly rounded fmaf elsewhere. Same bits everywhere.
SEGMINT_HD float fma_rn(float a, float b, float c) {
#if defined(__CUDA_ARCH__)
  return __fmaf_rn(a, b, c);
#else
  return __builtin_fmaf(a, b, c);
#endif
}

/// The exact formula (the bits every label, distance and inertia is made of): t_j = fl(x_j - c_j),
/// then s = fma(t_j, t_j, s) for j = 0..d-1 in order from s = 0, one rounding per fused step.
SEGMINT_HD float exact_sq(const float* x, const float* c, int d) {
  float s = 0.f;
  for (int j = 0; j < d; ++j) {
    const float t = x[j] - c[j];
    s = fma_rn(t, t, s);
  }
  return s;
}

/// ||c||^2 as the screen starts from it: summed in double in feature order, rounded once.
SEGMINT_HD float centroid_norm(const float* c, int d) {
  double norm = 0;
  for (int j = 0; j < d; ++j) norm += static_cast<double>(c[j]) * c[j];
  return static_cast<float>(norm);
}

/// c ? a : b: for a float (c a bool) or lane-wise for a GCC vector (c its comparison mask).
template <class M, class V>
SEGMINT_HD_INLINE V vselect(M c, V a, V b) {
  return c ? a : b;
}

/// Screening slack for one row: the screen keeps every centroid c whose screen value
/// f'_c = fl(||c||^2 - 2 x.c) is <= min_c f'_c + slack, and the exact winner is always kept.
///
/// Derivation (u = 2^-24, g = gamma_{2d+4} = (2d+4)u / (1 - (2d+4)u); xn = ||x||^2, cn_c =
/// ||c||^2, delta_c = ||x - c||^2 exactly, D_c = exact_sq(x, c)):
///  1. D_c: each t_j = (x_j - c_j)(1 + a_j) and each fused step adds a factor (1 + b_j), |a|,
///     |b| <= u, so |D_c - delta_c| <= eta * delta_c with eta = (1+u)^2 (1 + gamma_d) - 1 <= g.
///  2. f'_c: the screen starts from cn'_c (cn_c with <= 2d roundings, |cn'_c - cn_c| <= g cn_c)
///     and adds d terms -2 x_j c_j (exact scaling by -2; at most 2 roundings per term fused or
///     not, in any order or tree, as a GEMM sums them), so |f'_c - f_c| <= g (cn'_c +
///     2 sum |x_j c_j|) + g cn_c <= A with A = g ((3 + g) cn_max + xn), using
///     2 sum |x_j c_j| <= xn + cn_c.
///  3. Let w be the exact winner (D_w <= D_c for all c) and m' = f'_{c*} the screen minimum.
///     delta_w (1 - eta) <= D_w <= D_{c*} <= (1 + eta) delta_{c*}, and
///     delta_{c*} = xn + f_{c*} <= xn + m' + A, so
///     f'_w <= f_w + A = delta_w - xn + A <= m' + 2A + rho (xn + m' + A), rho = 2 eta / (1 - eta).
///  4. Underflow adds at most (2d+2) 2^-149 in absolute terms to D and f' (covered by 2^-100 for
///     any d below 2^40); the slack is doubled and 2u|m'| added so that computing the slack and
///     m' + slack in floating point can only widen it.
///  5. The slack is evaluated in float from constants rounded up (ScreenBound::make). Every term
///     is nonnegative but xn + m', whose cancellation error is below 2u (xn + |m'| + A); the
///     doubled 2A alone exceeds that (2A >= 4(2d+4)u xn) and 2u|m'| covers rounding m' + slack.
/// xn is the row's computed ||x||^2 (any order); cn_max the computed max ||c||^2.
///
/// A screen of rounded inputs (the CPU's bf16 screen: bx = x + rx and bc = c - rc, each factor
/// within e' = 2^-8 of its value, products exact, sums in float) changes step 2 only:
/// x.c - bx.bc = bx.rc + rx.c, so the rounded inputs move f_c by at most
/// A_e = 2 (||bx|| ||rc|| + ||rx|| ||c||), which the caller bounds per row (`extra`), and the
/// summed terms grow by at most (1 + e), e = 2e' + e'^2 (make's product_error), so the float
/// sums' part is A_g = (1 + e) g ((3 + g) cn_max + xn). Step 3 needs 2 A_e more: the threshold
/// adds 2 extra (4 A_g already covers the roundings of adding it). Inputs and sums the bf16
/// instructions flush to zero (below 2^-126) move f'_c by at most 2 d 2^-126 (the table has no
/// subnormal, x's are counted in rx): the 2^-100 absolute term covers it. With e = 0 and
/// extra = 0 every value is the float screen's bit for bit.
struct ScreenBound {
  float a0 = 0, a1 = 0, b1 = 0, rho2 = 0;  ///< A_g = a0 + a1 xn; xn <= b1 xn_hat; 2 rho
  float xlim = 0;  ///< rows with xn >= xlim might overflow a partial sum: no screen

  /// The slack's constants for centroids whose largest computed ||c||^2 is cn_max, d features.
  /// `finite` false (a centroid coordinate or norm is not finite): no row passes the screen.
  /// product_error: e for a screen of rounded inputs (above).
  SEGMINT_HD static ScreenBound make(float cn_max, int d, bool finite = true,
                                     double product_error = 0) {
    const double g = gamma(d), ge = (1 + product_error) * g;
    ScreenBound b;
    b.a0 = up(ge * (3 + g) * cn_max);
    b.a1 = up(ge / (1 - g));
    b.b1 = up(1 / (1 - g));
    b.rho2 = up(4 * g / (1 - g));
    b.xlim = finite && d <= (1 << 20) ? static_cast<float>(0x1p125 - 3.0 * cn_max) : 0.f;
    return b;
  }

  /// g = gamma_{2d+4} (u = 2^-24): the exact formula's relative error bound (step 1 above).
  SEGMINT_HD static double gamma(int d) {
    const double nu = (2.0 * d + 4) * 0x1p-24;
    return nu / (1 - nu);
  }

  /// A = A_g + A_e >= |f'_c - f_c| for a row whose computed ||x||^2 is xn (extra: A_e).
  template <class V>
  SEGMINT_HD_INLINE V error(V xn, V extra = V{}) const {
    return a0 + a1 * xn + extra;
  }

  /// The screen keeps centroids whose screen value is <= threshold(m', xn); +inf means the
  /// screen cannot be trusted for this row (overflow, NaN): rank every centroid exactly.
  /// extra: the row's A_e (a screen of rounded inputs; 0 otherwise).
  /// V is float or a GCC vector of floats (one row per lane).
  /// (The CPU kernels' 16-lane type without AVX-512 is a struct: its vselect is found by
  /// argument-dependent lookup.)
  template <class V>
  SEGMINT_HD_INLINE V threshold(V m, V xn, V extra = V{}) const {
    const V am = vselect(m < V{}, -m, m);
    const V a = a0 + a1 * xn;
    const V sum = b1 * xn + m + a + extra;  // finite where it is used: xn, m, a and extra are
    const V base = vselect(sum > V{}, sum, V{});
    const V thr = m + (4 * a + 2 * extra + rho2 * base + 0x1p-23f * am + 0x1p-100f);
    return vselect((xn < xlim) & (am <= FLT_MAX), thr, V{} + INFINITY);
  }

 private:
  /// v rounded up to a float (v >= 0).
  SEGMINT_HD static float up(double v) {
    const float f = static_cast<float>(v);
    return static_cast<double>(f) >= v ? f : nextafterf(f, FLT_MAX);
  }
};

/// The screen's two smallest values offered in centroid order and the index of the first
/// smallest. A row is settled by the screen alone when exactly one centroid is kept, i.e. the
/// second smallest value is above the threshold (ties make the second equal to the first).
struct ScreenTop {
  float m = INFINITY, m2 = INFINITY;
  int im = 0;
  SEGMINT_HD void offer(float v, int c) {
    if (v < m) {
      m2 = m;
      m = v;
      im = c;
    } else if (v < m2) {
      m2 = v;
    }
  }
  /// True when im is the only centroid with a screen value <= thr (thr finite).
  SEGMINT_HD bool settled(float thr) const { return thr < INFINITY && m2 > thr; }
};

/// p[0..3] into a, b, c, e: one 16-byte load on the device (p 16-byte aligned).
SEGMINT_HD void load4(const float* p, float& a, float& b, float& c, float& e) {
#if defined(__CUDA_ARCH__)
  const float4 v = *reinterpret_cast<const float4*>(p);
  a = v.x, b = v.y, c = v.z, e = v.w;
#else
  a = p[0], b = p[1], c = p[2], e = p[3];
#endif
}

/// Screen value of centroid c for a row x of D floats (zero padded past d) from the table
/// st = -2c transposed (D x kpad, padding 0) and cn (kpad, padding +inf): cn_c, then
/// fma(x_j, -2c_j, .) for j = 0..D-1 in order. Padding adds fma(0, 0, a) = a exactly.
template <int D>
SEGMINT_HD float screen_value(const float* x, const float* st, const float* cn, int kpad, int c) {
  float a = cn[c];
#if defined(__CUDA_ARCH__)
#pragma unroll
#endif
  for (int j = 0; j < D; ++j) a = fma_rn(x[j], st[j * kpad + c], a);
  return a;
}

/// Today's rule over every centroid: strictly closer replaces, so ties go to the lowest index
/// and a row with every distance +inf keeps centroid 0. row(c) gives centroid c's d floats;
/// best_sq gets the winner's exact squared distance.
template <class Rows>
SEGMINT_HD int exact_all(const float* x, Rows row, int k, int d, float& best_sq) {
  int best = 0;
  float best_d = INFINITY;
  for (int c = 0; c < k; ++c) {
    const float dc = exact_sq(x, row(c), d);
    if (dc < best_d) {
      best = c;
      best_d = dc;
    }
  }
  best_sq = best_d;
  return best;
}

/// The exact winner among the centroids the screen kept (f(c) <= thr), ties to the lowest index;
/// every centroid when thr is +inf (the screen cannot be trusted) or, never in exact arithmetic,
/// when no kept centroid has a finite distance. Equals exact_all whenever the bound holds.
template <class Rows, class Screen>
SEGMINT_HD int rerank(const float* x, Rows row, int k, int d, Screen f, float thr, float& best_sq) {
  if (!(thr < INFINITY)) return exact_all(x, row, k, d, best_sq);
  int best = -1;
  float best_d = INFINITY;
  for (int c = 0; c < k; ++c) {
    if (!(f(c) <= thr)) continue;
    const float dc = exact_sq(x, row(c), d);
    if (best < 0 || dc < best_d) {
      best = c;
      best_d = dc;
    }
  }
  if (best >= 0 && best_d < INFINITY) {
    best_sq = best_d;
    return best;
  }
  return exact_all(x, row, k, d, best_sq);
}

/// An exact (squared distance, centroid) candidate of the warp re-rank; c == none when empty.
struct ExactBest {
  float v = INFINITY;
  int c = 0;
  /// Keeps the smaller (value, index) pair: merged in any order, the sequential scan's choice.
  SEGMINT_HD void merge(float ov, int oc) {
    if (ranked_before(ov, oc, v, c)) {
      v = ov;
      c = oc;
    }
  }
};

/// One lane's share of the gemm path's warp re-rank: the exact minimum over centroids
/// c = lane, lane + lanes, ... that the screen kept (f(c) <= thr), or over all of them when
/// `all`. Merging the lanes' results (ExactBest::merge) gives rerank's winner when that winner is
/// finite (rerank_needs_all says when to redo the scan with all = true, which gives exact_all's).
template <class Rows, class Screen>
SEGMINT_HD ExactBest lane_rerank(const float* x, Rows row, int k, int d, Screen f, float thr,
                                 bool all, int lane, int lanes) {
  ExactBest b{INFINITY, k};
  for (int c = lane; c < k; c += lanes)
    if (all || f(c) <= thr) b.merge(exact_sq(x, row(c), d), c);
  return b;
}

/// True when the warp's merged survivors settle nothing (none kept, or all at +inf): rank all.
SEGMINT_HD bool rerank_needs_all(const ExactBest& b, int k) {
  return b.c >= k || !(b.v < INFINITY);
}

/// The fused GPU kernel's label of one row x (D floats, 16-byte aligned, zero padded past d):
/// the screen over four centroids at a time (four independent fma chains, each centroid's in
/// screen_value's order), the slack, and the exact re-rank of the survivors; cent is k x d
/// row-major. With want_d2, d2 gets the winner's exact squared distance (it may be left
/// unchanged otherwise). Equals the CPU backend's label (and exact_sq) bit for bit; kpad = k
/// rounded up to 4.
template <int D>
SEGMINT_HD int fused_row_label(const float* x, const float* st, const float* cn, int kpad, int k,
                               int d, const ScreenBound& bound, const float* cent, bool want_d2,
                               float& d2) {
  float xr[D];
#if defined(__CUDA_ARCH__)
#pragma unroll
#endif
  for (int j = 0; j < D; j += 4) load4(x + j, xr[j], xr[j + 1], xr[j + 2], xr[j + 3]);
  float xn = 0.f;
#if defined(__CUDA_ARCH__)
#pragma unroll
#endif
  for (int j = 0; j < D; ++j) xn = fma_rn(xr[j], xr[j], xn);
  ScreenTop top;
  for (int c0 = 0; c0 < kpad; c0 += 4) {
    float a0 = cn[c0], a1 = cn[c0 + 1], a2 = cn[c0 + 2], a3 = cn[c0 + 3];
#if defined(__CUDA_ARCH__)  // device code: unrolled (xr stays in registers)
#pragma unroll
#endif
    for (int j = 0; j < D; ++j) {
      float s0, s1, s2, s3;
      load4(st + j * kpad + c0, s0, s1, s2, s3);
      a0 = fma_rn(xr[j], s0, a0);
      a1 = fma_rn(xr[j], s1, a1);
      a2 = fma_rn(xr[j], s2, a2);
      a3 = fma_rn(xr[j], s3, a3);
    }
    top.offer(a0, c0);
    top.offer(a1, c0 + 1);
    top.offer(a2, c0 + 2);
    top.offer(a3, c0 + 3);
  }
  const float thr = bound.threshold(top.m, xn);
  auto row = [&](int c) { return cent + static_cast<std::int64_t>(c) * d; };
  if (top.settled(thr)) {
    if (want_d2) d2 = exact_sq(x, row(top.im), d);
    return top.im;
  }
  auto f = [&](int c) { return screen_value<D>(x, st, cn, kpad, c); };
  return rerank(x, row, k, d, f, thr, d2);
}

}  // namespace segmint::detail
