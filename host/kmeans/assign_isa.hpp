// The few instruction-set-specific pieces of the assignment kernel (included by assign_kernel.hpp
// in each per-ISA translation unit): 16-float vectors, the 16-row transpose, a correctly
// rounded lane-wise fma.
#pragma once
#include <immintrin.h>

#include <cstdint>
#include <cstring>

namespace segmint::kmeans {
namespace {  // one copy per instruction-set translation unit (never shared across them)

#define SEGMINT_INLINE inline __attribute__((always_inline))

// Sixteen floats: one zmm under AVX-512, two ymm under AVX2, four xmm on the baseline.
typedef float v16f __attribute__((vector_size(64)));
typedef std::int32_t v16i __attribute__((vector_size(64)));

constexpr int kTile = 16;  // rows per tile: one per lane of a v16f
#if defined(__AVX512F__)
constexpr int kBlockRegs = 16;  // centroids per register block: 16 zmm accumulators
#elif defined(__AVX2__)
constexpr int kBlockRegs = 6;  // 12 ymm
#else
constexpr int kBlockRegs = 3;  // 12 xmm
#endif

// Eight doubles (the partial sums) and the widening of eight floats to them.
typedef double v8d __attribute__((vector_size(64)));
typedef float v8f __attribute__((vector_size(32)));
SEGMINT_INLINE v8d load8d(const double* p) {
  v8d v;
  std::memcpy(&v, p, sizeof v);
  return v;
}
SEGMINT_INLINE void store8d(double* p, v8d v) { std::memcpy(p, &v, sizeof v); }
SEGMINT_INLINE v8d widen8(const float* p) {
#if defined(__AVX512F__)  // one vcvtps2pd zmm (GCC splits the generic conversion into halves)
  return reinterpret_cast<v8d>(_mm512_cvtps_pd(_mm256_loadu_ps(p)));
#else
  v8f v;
  std::memcpy(&v, p, sizeof v);
  return __builtin_convertvector(v, v8d);
#endif
}

/// The first n (1..8) floats at p widened, zeros after them; nothing past p + n is read.
SEGMINT_INLINE v8d widen_first(const float* p, int n) {
#if defined(__AVX512F__)
  const __mmask8 m = static_cast<__mmask8>((1u << n) - 1);  // masked lanes never load
  return reinterpret_cast<v8d>(_mm512_cvtps_pd(_mm256_maskz_loadu_ps(m, p)));
#else
  float v[8] = {};
  std::memcpy(v, p, sizeof(float) * n);
  return widen8(v);
#endif
}

/// Bit q set where a[q] != b[q], q < 16.
SEGMINT_INLINE std::uint32_t lanes_differ(const std::int32_t* a, const std::int32_t* b) {
#if defined(__AVX512F__)
  return _mm512_cmpneq_epi32_mask(_mm512_loadu_si512(a), _mm512_loadu_si512(b));
#elif defined(__AVX2__)
  std::uint32_t m = 0;
  for (int h = 0; h < 2; ++h) {
    const __m256i x = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(a + 8 * h));
    const __m256i y = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(b + 8 * h));
    const __m256 same = _mm256_castsi256_ps(_mm256_cmpeq_epi32(x, y));
    m |= (~static_cast<std::uint32_t>(_mm256_movemask_ps(same)) & 0xffu) << (8 * h);
  }
  return m;
#else
  std::uint32_t m = 0;
  for (int q = 0; q < 16; ++q) m |= static_cast<std::uint32_t>(a[q] != b[q]) << q;
  return m;
#endif
}

SEGMINT_INLINE v16f load16(const float* p) {
  v16f v;
  std::memcpy(&v, p, sizeof v);
  return v;
}
SEGMINT_INLINE void store16(float* p, v16f v) { std::memcpy(p, &v, sizeof v); }
SEGMINT_INLINE v16f vmin(v16f a, v16f b) { return a < b ? a : b; }
SEGMINT_INLINE v16f vmax(v16f a, v16f b) { return a > b ? a : b; }

/// Correctly rounded square root per lane (IEEE sqrt on every instruction set).
SEGMINT_INLINE v16f vsqrt(v16f a) {
#if defined(__AVX512F__)
  return reinterpret_cast<v16f>(_mm512_sqrt_ps(reinterpret_cast<__m512>(a)));
#else
  __m128 h[4];
  std::memcpy(h, &a, sizeof a);
  for (int q = 0; q < 4; ++q) h[q] = _mm_sqrt_ps(h[q]);
  v16f out;
  std::memcpy(&out, h, sizeof out);
  return out;
#endif
}

/// fma(a, b, c) per lane with one rounding (the exact formula's step).
SEGMINT_INLINE v16f fma16(v16f a, v16f b, v16f c) {
#if defined(__AVX512F__)
  return reinterpret_cast<v16f>(_mm512_fmadd_ps(
      reinterpret_cast<__m512>(a), reinterpret_cast<__m512>(b), reinterpret_cast<__m512>(c)));
#elif defined(__AVX2__)
  __m256 ha[2], hb[2], hc[2];
  std::memcpy(ha, &a, sizeof a);
  std::memcpy(hb, &b, sizeof b);
  std::memcpy(hc, &c, sizeof c);
  for (int h = 0; h < 2; ++h) hc[h] = _mm256_fmadd_ps(ha[h], hb[h], hc[h]);
  v16f out;
  std::memcpy(&out, hc, sizeof out);
  return out;
#else
  for (int q = 0; q < 16; ++q) c[q] = __builtin_fmaf(a[q], b[q], c[q]);
  return c;
#endif
}

/// base[idx[q]] per lane.
SEGMINT_INLINE v16f gather16(const float* base, const std::int32_t* idx) {
#if defined(__AVX512F__)
  const __m512i i = _mm512_loadu_si512(idx);
  return reinterpret_cast<v16f>(_mm512_i32gather_ps(i, base, 4));
#elif defined(__AVX2__)
  __m256 h[2];
  for (int q = 0; q < 2; ++q)
    h[q] = _mm256_i32gather_ps(base, _mm256_loadu_si256(reinterpret_cast<const __m256i*>(idx + 8 * q)), 4);
  v16f out;
  std::memcpy(&out, h, sizeof out);
  return out;
#else
  v16f out;
  for (int q = 0; q < 16; ++q) out[q] = base[idx[q]];
  return out;
#endif
}

/// Bit q set where a[q] < b[q] (false for NaN).
SEGMINT_INLINE std::uint32_t lanes_less(v16f a, v16f b) {
#if defined(__AVX512F__)
  return _mm512_cmp_ps_mask(reinterpret_cast<__m512>(a), reinterpret_cast<__m512>(b), _CMP_LT_OQ);
#elif defined(__AVX2__)
  __m256 ha[2], hb[2];
  std::memcpy(ha, &a, sizeof a);
  std::memcpy(hb, &b, sizeof b);
  return static_cast<std::uint32_t>(_mm256_movemask_ps(_mm256_cmp_ps(ha[0], hb[0], _CMP_LT_OQ))) |
         static_cast<std::uint32_t>(_mm256_movemask_ps(_mm256_cmp_ps(ha[1], hb[1], _CMP_LT_OQ)))
             << 8;
#else
  __m128 ha[4], hb[4];
  std::memcpy(ha, &a, sizeof a);
  std::memcpy(hb, &b, sizeof b);
  std::uint32_t m = 0;
  for (int q = 0; q < 4; ++q)
    m |= static_cast<std::uint32_t>(_mm_movemask_ps(_mm_cmplt_ps(ha[q], hb[q]))) << (4 * q);
  return m;
#endif
}

#if defined(__AVX512F__)
// In place: r[q] (16 floats each) becomes column q of the 16 x 16 block.
SEGMINT_INLINE void transpose16(__m512* r) {
  __m512 t[16];
  for (int q = 0; q < 16; q += 2) {
    t[q] = _mm512_unpacklo_ps(r[q], r[q + 1]);
    t[q + 1] = _mm512_unpackhi_ps(r[q], r[q + 1]);
  }
  for (int q = 0; q < 16; q += 4) {
    r[q] = _mm512_shuffle_ps(t[q], t[q + 2], _MM_SHUFFLE(1, 0, 1, 0));
    r[q + 1] = _mm512_shuffle_ps(t[q], t[q + 2], _MM_SHUFFLE(3, 2, 3, 2));
    r[q + 2] = _mm512_shuffle_ps(t[q + 1], t[q + 3], _MM_SHUFFLE(1, 0, 1, 0));
    r[q + 3] = _mm512_shuffle_ps(t[q + 1], t[q + 3], _MM_SHUFFLE(3, 2, 3, 2));
  }
  for (int h = 0; h < 16; h += 8)
    for (int q = 0; q < 4; ++q) {
      t[h + q] = _mm512_shuffle_f32x4(r[h + q], r[h + q + 4], 0x88);
      t[h + q + 4] = _mm512_shuffle_f32x4(r[h + q], r[h + q + 4], 0xdd);
    }
  for (int q = 0; q < 8; ++q) {
    r[q] = _mm512_shuffle_f32x4(t[q], t[q + 8], 0x88);
    r[q + 8] = _mm512_shuffle_f32x4(t[q], t[q + 8], 0xdd);
  }
}
#elif defined(__AVX2__)
// In place: r[q] (8 floats each) becomes column q of the 8 x 8 block.
SEGMINT_INLINE void transpose8(__m256* r) {
  __m256 t[8], s[8];
  for (int q = 0; q < 8; q += 2) {
    t[q] = _mm256_unpacklo_ps(r[q], r[q + 1]);
    t[q + 1] = _mm256_unpackhi_ps(r[q], r[q + 1]);
  }
  for (int q = 0; q < 8; q += 4) {
    s[q] = _mm256_shuffle_ps(t[q], t[q + 2], _MM_SHUFFLE(1, 0, 1, 0));
    s[q + 1] = _mm256_shuffle_ps(t[q], t[q + 2], _MM_SHUFFLE(3, 2, 3, 2));
    s[q + 2] = _mm256_shuffle_ps(t[q + 1], t[q + 3], _MM_SHUFFLE(1, 0, 1, 0));
    s[q + 3] = _mm256_shuffle_ps(t[q + 1], t[q + 3], _MM_SHUFFLE(3, 2, 3, 2));
  }
  for (int q = 0; q < 4; ++q) {
    r[q] = _mm256_permute2f128_ps(s[q], s[q + 4], 0x20);
    r[q + 4] = _mm256_permute2f128_ps(s[q], s[q + 4], 0x31);
  }
}
#endif

/// out[j * 16 + r] = row[r][j] for j < d: sixteen rows of d floats, one per lane.
SEGMINT_INLINE void transpose_tile(const float* const* row, int d, float* out) {
  int j = 0;
#if defined(__AVX512F__)
  for (; j < d; j += 16) {
    const int w = d - j < 16 ? d - j : 16;
    const __mmask16 m = static_cast<__mmask16>((1u << w) - 1);  // masked lanes never load
    __m512 r[16];
    for (int q = 0; q < 16; ++q) r[q] = _mm512_maskz_loadu_ps(m, row[q] + j);
    transpose16(r);
    for (int q = 0; q < w; ++q) _mm512_storeu_ps(out + kTile * (j + q), r[q]);
  }
#elif defined(__AVX2__)
  for (; j < d; j += 8) {
    const int w = d - j < 8 ? d - j : 8;
    alignas(32) std::int32_t mask[8];
    for (int q = 0; q < 8; ++q) mask[q] = q < w ? -1 : 0;
    const __m256i m = _mm256_load_si256(reinterpret_cast<const __m256i*>(mask));
    for (int h = 0; h < 16; h += 8) {
      __m256 r[8];
      for (int q = 0; q < 8; ++q) r[q] = _mm256_maskload_ps(row[h + q] + j, m);
      transpose8(r);
      for (int q = 0; q < w; ++q) _mm256_storeu_ps(out + kTile * (j + q) + h, r[q]);
    }
  }
#else
  for (int r = 0; r < kTile; ++r)
    for (j = 0; j < d; ++j) out[kTile * j + r] = row[r][j];
#endif
}

}  // namespace
}  // namespace segmint::kmeans
