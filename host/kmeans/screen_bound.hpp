// The exact squared distance every CPU kernel agrees with, and the rigorous slack that lets the
// blocked kernel screen centroids with ||c||^2 - 2 x.c and re-rank only the survivors exactly.
#pragma once
#include <cmath>
#include <limits>

namespace segmint::kmeans {

/// The exact formula (the bits every output is made of): t_j = fl(x_j - c_j), then
/// s = fma(t_j, t_j, s) for j = 0..d-1 in order from s = 0, one rounding per fused step. It is
/// what the AVX2 kernel has computed since the first release (contracted multiply-adds), and a
/// correctly rounded fma gives the same bits on every instruction set (hardware fma on AVX2 and
/// AVX-512, glibc's fmaf on the baseline).
inline float exact_sq(const float* x, const float* c, int d) {
  float s = 0.f;
  for (int j = 0; j < d; ++j) {
    const float t = x[j] - c[j];
    s = __builtin_fmaf(t, t, s);
  }
  return s;
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
///     not), so |f'_c - f_c| <= g (cn'_c + 2 sum |x_j c_j|) + g cn_c <= A with
///     A = g ((3 + g) cn_max + xn), using 2 sum |x_j c_j| <= xn + cn_c.
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
struct ScreenBound {
  float a0 = 0, a1 = 0, b1 = 0, rho2 = 0;  ///< A = a0 + a1 xn; xn <= b1 xn_hat; 2 rho
  float xlim = 0;  ///< rows with xn >= xlim might overflow a partial sum: no screen

  static ScreenBound make(float cn_max, int d) {
    constexpr double u = 0x1p-24;
    const double nu = (2.0 * d + 4) * u;
    const double g = nu / (1 - nu);
    ScreenBound b;
    b.a0 = up(g * (3 + g) * cn_max);
    b.a1 = up(g / (1 - g));
    b.b1 = up(1 / (1 - g));
    b.rho2 = up(4 * g / (1 - g));
    b.xlim = d <= (1 << 20) ? static_cast<float>(0x1p125 - 3.0 * cn_max) : 0.f;
    return b;
  }

  /// The screen keeps centroids whose screen value is <= threshold(m', xn); +inf means the
  /// screen cannot be trusted for this row (overflow, NaN): rank every centroid exactly.
  /// V is float or a GCC vector of floats (one row per lane).
  template <class V>
  V threshold(V m, V xn) const {
    constexpr float kMax = std::numeric_limits<float>::max();
    const V am = m < V{} ? -m : m;
    const V a = a0 + a1 * xn;
    const V sum = b1 * xn + m + a;  // finite where it is used: xn, m and a are
    const V base = sum > V{} ? sum : V{};
    const V thr = m + (4 * a + rho2 * base + 0x1p-23f * am + 0x1p-100f);
    return ((xn < xlim) & (am <= kMax)) ? thr : V{} + std::numeric_limits<float>::infinity();
  }

 private:
  static float up(double v) {
    const float f = static_cast<float>(v);
    return static_cast<double>(f) >= v ? f : std::nextafter(f, std::numeric_limits<float>::max());
  }
};

}  // namespace segmint::kmeans
