// The few instruction-set-specific pieces of the assignment kernel (included by assign_kernel.hpp
// in each per-ISA translation unit): 16-float vectors, the 16-row transpose, a correctly
// rounded lane-wise fma.
#pragma once
#include <immintrin.h>

#include <cstdint>
#include <cstring>
#include <type_traits>

#include "segmint/detail/kmeans_screen.hpp"

namespace segmint::kmeans {
namespace {  // one copy per instruction-set translation unit (never shared across them)

#define SEGMINT_INLINE inline __attribute__((always_inline))
// A pass's body (chunk_body, bounded_body, bounded_finish): a function of its own, so that its
// registers are allocated for its loops alone. Inlined into one function with the others,
// adding a few lines to one body moved spills into another's loops (the fit's last pass at
// 1M x 32, k 64: 11.4-12.3 -> 13.3-14.8 ms from a change to bounded_body, 2026-12-05).
// (unused: a test that includes the kernel for its helpers does not call the bodies.)
#define SEGMINT_BODY __attribute__((noinline, unused))

// Sixteen floats: one zmm under AVX-512, two ymm under AVX2, four xmm on the baseline.
#if defined(__AVX512F__)
typedef float v16f __attribute__((vector_size(64)));
typedef std::int32_t v16i __attribute__((vector_size(64)));

using detail::vselect;  // lane-wise m ? a : b, GCC's vector conditional
#else
// Without AVX-512 GCC has no machine mode for a 64-byte vector: it kept each v16f in memory
// and copied it 8 bytes at a time through integer registers, and every use waited on a failed
// store forwarding; the AVX2 pass ran 13x slower than the AVX-512 one on the same Zen 4 (perf,
// 2026-12-04). So here a v16f is P native vectors with the same operators, held in registers.
#if defined(__AVX2__)
typedef float vnf __attribute__((vector_size(32)));
typedef std::int32_t vni __attribute__((vector_size(32)));
#else
typedef float vnf __attribute__((vector_size(16)));
typedef std::int32_t vni __attribute__((vector_size(16)));
#endif
constexpr int kParts = 64 / sizeof(vnf);

template <class E, class H>
struct Split {
  static constexpr int kW = 16 / kParts;  // lanes per part
  H h[kParts];
  SEGMINT_INLINE E operator[](int i) const { return h[i / kW][i % kW]; }
};
typedef Split<float, vnf> v16f;
typedef Split<std::int32_t, vni> v16i;

#define SEGMINT_SPLIT_OP(op)                                                              \
  template <class E, class H>                                                             \
  SEGMINT_INLINE Split<E, H> operator op(Split<E, H> a, Split<E, H> b) {                  \
    for (int i = 0; i < kParts; ++i) a.h[i] = a.h[i] op b.h[i];                           \
    return a;                                                                             \
  }                                                                                       \
  template <class E, class H, class S, class = std::enable_if_t<std::is_arithmetic_v<S>>> \
  SEGMINT_INLINE Split<E, H> operator op(Split<E, H> a, S s) {                            \
    for (int i = 0; i < kParts; ++i) a.h[i] = a.h[i] op static_cast<E>(s);                \
    return a;                                                                             \
  }                                                                                       \
  template <class E, class H, class S, class = std::enable_if_t<std::is_arithmetic_v<S>>> \
  SEGMINT_INLINE Split<E, H> operator op(S s, Split<E, H> a) {                            \
    for (int i = 0; i < kParts; ++i) a.h[i] = static_cast<E>(s) op a.h[i];                \
    return a;                                                                             \
  }                                                                                       \
  template <class E, class H, class T>                                                    \
  SEGMINT_INLINE Split<E, H>& operator op##=(Split<E, H>& a, T b) {                       \
    return a = a op b;                                                                    \
  }
SEGMINT_SPLIT_OP(+)
SEGMINT_SPLIT_OP(-)
SEGMINT_SPLIT_OP(*)
SEGMINT_SPLIT_OP(&)
#undef SEGMINT_SPLIT_OP

template <class E, class H>
SEGMINT_INLINE Split<E, H> operator-(Split<E, H> a) {
  for (int i = 0; i < kParts; ++i) a.h[i] = -a.h[i];
  return a;
}

// Comparisons give a v16i mask (-1 where true), as GCC's vector comparisons do.
#define SEGMINT_SPLIT_CMP(op)                                                             \
  template <class E, class H>                                                             \
  SEGMINT_INLINE v16i operator op(Split<E, H> a, Split<E, H> b) {                         \
    v16i m;                                                                               \
    for (int i = 0; i < kParts; ++i) m.h[i] = a.h[i] op b.h[i];                           \
    return m;                                                                             \
  }                                                                                       \
  template <class E, class H, class S, class = std::enable_if_t<std::is_arithmetic_v<S>>> \
  SEGMINT_INLINE v16i operator op(Split<E, H> a, S s) {                                   \
    v16i m;                                                                               \
    for (int i = 0; i < kParts; ++i) m.h[i] = a.h[i] op static_cast<E>(s);                \
    return m;                                                                             \
  }
SEGMINT_SPLIT_CMP(<)
SEGMINT_SPLIT_CMP(>)
SEGMINT_SPLIT_CMP(<=)
SEGMINT_SPLIT_CMP(>=)
SEGMINT_SPLIT_CMP(==)
#undef SEGMINT_SPLIT_CMP

/// Lane-wise m ? a : b (m: a comparison's mask). Found by argument-dependent lookup from
/// ScreenBound::threshold too (segmint/detail/kmeans_screen.hpp), which is written once for
/// floats and vectors.
template <class E, class H>
SEGMINT_INLINE Split<E, H> vselect(v16i m, Split<E, H> a, Split<E, H> b) {
  for (int i = 0; i < kParts; ++i) a.h[i] = m.h[i] ? a.h[i] : b.h[i];
  return a;
}
#endif

constexpr int kTile = 16;  // rows per tile: one per lane of a v16f
#if defined(__AVX512F__)
constexpr int kBlockRegs = 16;  // centroids per register block: 16 zmm accumulators
#elif defined(__AVX2__)
constexpr int kBlockRegs = 6;  // 12 ymm
#else
constexpr int kBlockRegs = 3;  // 12 xmm
#endif
// Centroids in a tile's first block, which also sums the rows' ||x||^2 (label_tile). With 16
// registers the sum's own registers took an accumulator's place: GCC kept one accumulator in
// memory, and each feature's FMA on it waited on the store before (perf: ~10% of the AVX2 pass's
// samples on that store). A smaller first block leaves room, and k - 4 (AVX2) or k - 1 (SSE2)
// is a whole number of blocks at k 16 and 64. BM_AssignPass, 2 threads, 2026-12-06, ms, before ->
// after: AVX2 16 x 16 7.87 -> 6.46, 32 x 64 37.5 -> 35.2; SSE2 16 x 16 24.4 -> 19.8.
#if defined(__AVX512F__)
constexpr int kNormRegs = kBlockRegs;
#elif defined(__AVX2__)
constexpr int kNormRegs = 4;   // 8 ymm accumulators, 2 for x, 2 for ||x||^2, 1 broadcast
#else
constexpr int kNormRegs = 1;   // 4 xmm accumulators, 4 for x, 4 for ||x||^2, 1 broadcast
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

#if defined(__AVX2__) && !defined(__AVX512F__)
/// The mask of the first n of 8 lanes (n <= 0: none; n >= 8: all), for _mm256_maskload_ps: a
/// compare, since a mask stored lane by lane into memory made its vector load wait on the stores.
SEGMINT_INLINE __m256i first_lanes8(int n) {
  return _mm256_cmpgt_epi32(_mm256_set1_epi32(n), _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
}
#endif

/// The first n (1..8) floats at p widened, zeros after them; nothing past p + n is read.
SEGMINT_INLINE v8d widen_first(const float* p, int n) {
#if defined(__AVX512F__)
  const __mmask8 m = static_cast<__mmask8>((1u << n) - 1);  // masked lanes never load
  return reinterpret_cast<v8d>(_mm512_cvtps_pd(_mm256_maskz_loadu_ps(m, p)));
#elif defined(__AVX2__)  // a memcpy of n floats was a library call per folded row
  return __builtin_convertvector(reinterpret_cast<v8f>(_mm256_maskload_ps(p, first_lanes8(n))),
                                 v8d);
#else
  float v[8] = {};
  for (int i = 0; i < n; ++i) v[i] = p[i];
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

/// Sixteen lanes from p / to p (64 bytes, any alignment). A Split moves part by part: copied
/// whole, GCC went through a stack temporary in 16-byte pieces, and each part's load then
/// waited on a failed store forwarding.
template <class V>
SEGMINT_INLINE V load_lanes(const void* p) {
  V v;
#if defined(__AVX512F__)
  std::memcpy(&v, p, sizeof v);
#else
  for (int i = 0; i < kParts; ++i)
    std::memcpy(&v.h[i], static_cast<const char*>(p) + i * sizeof v.h[i], sizeof v.h[i]);
#endif
  return v;
}
template <class V>
SEGMINT_INLINE void store_lanes(void* p, V v) {
#if defined(__AVX512F__)
  std::memcpy(p, &v, sizeof v);
#else
  for (int i = 0; i < kParts; ++i)
    std::memcpy(static_cast<char*>(p) + i * sizeof v.h[i], &v.h[i], sizeof v.h[i]);
#endif
}
SEGMINT_INLINE v16f load16(const float* p) { return load_lanes<v16f>(p); }
SEGMINT_INLINE void store16(float* p, v16f v) { store_lanes(p, v); }
SEGMINT_INLINE v16f vmin(v16f a, v16f b) { return vselect(a < b, a, b); }
SEGMINT_INLINE v16f vmax(v16f a, v16f b) { return vselect(a > b, a, b); }

/// Correctly rounded square root per lane (IEEE sqrt on every instruction set).
SEGMINT_INLINE v16f vsqrt(v16f a) {
#if defined(__AVX512F__)
  // The masked form with every lane set: GCC 12's _mm512_sqrt_ps starts from its own
  // _mm512_undefined_ps, which it then warns of as uninitialized where the call is inlined
  // into a lambda (-Wuninitialized); the instruction is the same.
  const __m512 v = reinterpret_cast<__m512>(a);
  return reinterpret_cast<v16f>(_mm512_mask_sqrt_ps(v, __mmask16{0xffff}, v));
#elif defined(__AVX2__)
  for (auto& h : a.h) h = reinterpret_cast<vnf>(_mm256_sqrt_ps(reinterpret_cast<__m256>(h)));
  return a;
#else
  for (auto& h : a.h) h = reinterpret_cast<vnf>(_mm_sqrt_ps(reinterpret_cast<__m128>(h)));
  return a;
#endif
}

/// fma(a, b, c) per lane with one rounding (the exact formula's step).
SEGMINT_INLINE v16f fma16(v16f a, v16f b, v16f c) {
#if defined(__AVX512F__)
  return reinterpret_cast<v16f>(_mm512_fmadd_ps(
      reinterpret_cast<__m512>(a), reinterpret_cast<__m512>(b), reinterpret_cast<__m512>(c)));
#elif defined(__AVX2__)
  for (int i = 0; i < kParts; ++i)
    c.h[i] = reinterpret_cast<vnf>(_mm256_fmadd_ps(reinterpret_cast<__m256>(a.h[i]),
                                                   reinterpret_cast<__m256>(b.h[i]),
                                                   reinterpret_cast<__m256>(c.h[i])));
  return c;
#else
  for (int i = 0; i < kParts; ++i)
    for (int q = 0; q < v16f::kW; ++q) c.h[i][q] = __builtin_fmaf(a.h[i][q], b.h[i][q], c.h[i][q]);
  return c;
#endif
}

/// base[idx[q]] per lane.
SEGMINT_INLINE v16f gather16(const float* base, const std::int32_t* idx) {
#if defined(__AVX512F__)
  const __m512i i = _mm512_loadu_si512(idx);
  return reinterpret_cast<v16f>(_mm512_i32gather_ps(i, base, 4));
#elif defined(__AVX2__)
  v16f out;
  for (int q = 0; q < kParts; ++q)
    out.h[q] = reinterpret_cast<vnf>(_mm256_i32gather_ps(
        base, _mm256_loadu_si256(reinterpret_cast<const __m256i*>(idx + 8 * q)), 4));
  return out;
#else
  v16f out;
  for (int q = 0; q < 16; ++q) out.h[q / v16f::kW][q % v16f::kW] = base[idx[q]];
  return out;
#endif
}

// The bf16 screen (CentroidTable::pairs): only the translation unit built with AVX512-BF16
// (assign_avx512bf16.cpp) has it; every one screens in float.
#if defined(__AVX512BF16__)
constexpr bool kHasBf16 = true;

/// The tile's features as bf16 pairs (nearest, ties to even; subnormals to 0): lane r of
/// xP[16 p ..] holds row r's x_{2p} in its low half and x_{2p+1} (0 past d) in its high half,
/// the layout vdpbf16ps multiplies against a broadcast word of the pairs table. bx2 and rx2
/// get each lane's sum of bx_j^2 and of rx_j^2 = (x_j - bx_j)^2 (exact differences), in float.
SEGMINT_INLINE void pack_bf16_pairs(const float* xT, int d, std::int32_t* xP, v16f& bx2,
                                    v16f& rx2) {
  alignas(64) static constexpr std::int16_t kInterleave[32] = {
      0, 16, 1, 17, 2,  18, 3,  19, 4,  20, 5,  21, 6,  22, 7,  23,
      8, 24, 9, 25, 10, 26, 11, 27, 12, 28, 13, 29, 14, 30, 15, 31};
  const __m512i order = _mm512_load_si512(kInterleave);
  const __m512i high = _mm512_set1_epi32(static_cast<int>(0xffff0000u));
  bx2 = rx2 = v16f{};
  for (int p = 0; 2 * p < d; ++p) {
    const __m512 lo = _mm512_loadu_ps(xT + kTile * 2 * p);
    const __m512 hi =
        2 * p + 1 < d ? _mm512_loadu_ps(xT + kTile * (2 * p + 1)) : _mm512_setzero_ps();
    const __m512i both =
        reinterpret_cast<__m512i>(_mm512_cvtne2ps_pbh(hi, lo));  // lo's 16, hi's 16
    const __m512i pair = _mm512_permutexvar_epi16(order, both);
    _mm512_storeu_si512(xP + kTile * p, pair);
    const v16f blo = reinterpret_cast<v16f>(_mm512_slli_epi32(pair, 16));
    const v16f bhi = reinterpret_cast<v16f>(_mm512_and_si512(pair, high));
    const v16f rlo = reinterpret_cast<v16f>(lo) - blo, rhi = reinterpret_cast<v16f>(hi) - bhi;
    bx2 += blo * blo + bhi * bhi;
    rx2 += rlo * rlo + rhi * rhi;
  }
}

/// acc + x_{2p} c_{2p} + x_{2p+1} c_{2p+1} per lane (products exact, sums rounded to float),
/// the pair *cpair broadcast from memory within the instruction: GCC 12 gave the intrinsic a
/// separate vpbroadcastd per centroid.
SEGMINT_INLINE v16f dot_pair(v16f acc, __m512i xpair, const std::int32_t* cpair) {
  __m512 a = reinterpret_cast<__m512>(acc);
  asm("vdpbf16ps %2%{1to16%}, %1, %0" : "+v"(a) : "v"(xpair), "m"(*cpair));
  return reinterpret_cast<v16f>(a);
}
#else
constexpr bool kHasBf16 = false;
#endif

#if defined(__AVX512F__)
/// table[from, from + n) into a register, zeros after n (n <= 0: all zeros; nothing past
/// table + from + n is read).
SEGMINT_INLINE __m512 load_part(const float* table, int from, int n) {
  if (n <= 0) return _mm512_setzero_ps();
  const __mmask16 m = static_cast<__mmask16>(n >= 16 ? 0xffff : (1u << n) - 1);
  return _mm512_maskz_loadu_ps(m, table + from);
}
#endif

/// Whether lookup16 holds a table of k floats in registers (permutes) rather than gathering:
/// at most 64 with AVX-512, 16 with AVX2, none on the baseline.
SEGMINT_INLINE bool lookup_in_registers(int k) {
#if defined(__AVX512F__)
  return k <= 64;
#elif defined(__AVX2__)
  return k <= 16;
#else
  (void)k;
  return false;
#endif
}

/// A table of k floats that lanes look up by index (idx[q] in [0, k)): loaded once into
/// registers where lookup_in_registers(k) and permuted, since a gather of 16 lanes was ~5% of the
/// bounded pass at 16 x 16 (perf, 2026-12-05); larger tables are gathered. A loop that looks up
/// the same table in every step holds one (hoisted out of it) rather than calling lookup16.
/// Nothing past table + k is read.
struct LaneTable {
  const float* table;
  int k;
#if defined(__AVX512F__)
  __m512 part[4];
#elif defined(__AVX2__)
  __m256 part, part_hi;  // table[0, 8) and table[8, 16) (zeros past k)
#endif
  SEGMINT_INLINE LaneTable(const float* table_, int k_) : table(table_), k(k_) {
#if defined(__AVX512F__)
    if (!lookup_in_registers(k)) return;
    const int parts = k <= 16 ? 1 : k <= 32 ? 2 : 4;  // the registers operator() reads
    for (int q = 0; q < parts; ++q) part[q] = load_part(table, 16 * q, k - 16 * q);
#elif defined(__AVX2__)
    if (!lookup_in_registers(k)) return;
    part = _mm256_maskload_ps(table, first_lanes8(k));
    part_hi = _mm256_maskload_ps(table + 8, first_lanes8(k - 8));
#endif
  }
  SEGMINT_INLINE v16f operator()(const std::int32_t* idx) const {
    if (!lookup_in_registers(k)) return gather16(table, idx);
#if defined(__AVX512F__)
    const __m512i i = _mm512_loadu_si512(idx);
    if (k <= 16) return reinterpret_cast<v16f>(_mm512_permutexvar_ps(i, part[0]));
    // permutex2var picks from 32 floats by the index's low 5 bits.
    const __m512 lo = _mm512_permutex2var_ps(part[0], i, part[1]);
    if (k <= 32) return reinterpret_cast<v16f>(lo);
    const __m512 hi = _mm512_permutex2var_ps(part[2], i, part[3]);
    const __mmask16 upper = _mm512_test_epi32_mask(i, _mm512_set1_epi32(32));
    return reinterpret_cast<v16f>(_mm512_mask_blend_ps(upper, lo, hi));
#elif defined(__AVX2__)
    v16f out;
    for (int q = 0; q < kParts; ++q) {
      const __m256i i = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(idx + 8 * q));
      const __m256 lo = _mm256_permutevar8x32_ps(part, i);  // by the index's low 3 bits
      if (k <= 8) {
        out.h[q] = reinterpret_cast<vnf>(lo);
        continue;
      }
      const __m256 hi = _mm256_permutevar8x32_ps(part_hi, i);
      const __m256 upper = _mm256_castsi256_ps(_mm256_cmpgt_epi32(i, _mm256_set1_epi32(7)));
      out.h[q] = reinterpret_cast<vnf>(_mm256_blendv_ps(lo, hi, upper));
    }
    return out;
#else
    return gather16(table, idx);  // not reached: the baseline holds no table in registers
#endif
  }
};

/// table[idx[q]] per lane (LaneTable, for a single lookup).
SEGMINT_INLINE v16f lookup16(const float* table, int k, const std::int32_t* idx) {
  return LaneTable(table, k)(idx);
}

/// Bit q set where a[q] < b[q] (false for NaN).
SEGMINT_INLINE std::uint32_t lanes_less(v16f a, v16f b) {
#if defined(__AVX512F__)
  return _mm512_cmp_ps_mask(reinterpret_cast<__m512>(a), reinterpret_cast<__m512>(b), _CMP_LT_OQ);
#elif defined(__AVX2__)
  std::uint32_t m = 0;
  for (int q = 0; q < kParts; ++q)
    m |= static_cast<std::uint32_t>(_mm256_movemask_ps(_mm256_cmp_ps(
             reinterpret_cast<__m256>(a.h[q]), reinterpret_cast<__m256>(b.h[q]), _CMP_LT_OQ)))
         << (8 * q);
  return m;
#else
  std::uint32_t m = 0;
  for (int q = 0; q < kParts; ++q)
    m |= static_cast<std::uint32_t>(_mm_movemask_ps(
             _mm_cmplt_ps(reinterpret_cast<__m128>(a.h[q]), reinterpret_cast<__m128>(b.h[q]))))
         << (4 * q);
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
    // Built in a stack array, this mask cost ~10% of the AVX2 pass at 16 x 16 (first_lanes8).
    const __m256i m = first_lanes8(w);
    for (int h = 0; h < 16; h += 8) {
      __m256 r[8];
      for (int q = 0; q < 8; ++q)
        r[q] = w == 8 ? _mm256_loadu_ps(row[h + q] + j) : _mm256_maskload_ps(row[h + q] + j, m);
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
