// Whether a chunk's cluster sums are exact whatever rows they hold (BoundArgs::exact_chunks),
// compiled per instruction set with the kernel: where they are, a bounded pass moves a row that
// changes label from one sum to the other in place and gets the bits of a refold in row order.
#pragma once

#include <cmath>
#include <limits>

#include "kmeans/assign_kernel.hpp"

namespace segmint::kmeans {
namespace {  // one copy per instruction-set translation unit (never shared across them)

// The spacing of floats at v (v > 0 finite): every float of magnitude >= v is a whole multiple
// of it (subnormals: 2^-149).
SEGMINT_INLINE double float_spacing(float v) {
  const int e = std::max(std::ilogb(v), std::numeric_limits<float>::min_exponent - 1);
  return std::ldexp(1.0, e - (std::numeric_limits<float>::digits - 1));
}

// Per feature: the values are whole multiples of q (the spacing at the smallest nonzero
// magnitude `least`) and their magnitudes add up to at most S; every sum of any of them, in any
// order, is then a multiple of q of magnitude <= S, a double exactly where S <= 2^53 q. S: the
// float sum of the magnitudes `sum` (any order: at most (rows - 1) 2^-24 of the true sum too low,
// nonnegative terms; 2^-12 at kChunkRows) widened by 2^-10. A NaN or an infinity makes the sum
// NaN or infinite: not exact. No nonzero value (least +inf, sum 0): every sum is +0.
SEGMINT_INLINE bool sums_exact(float sum, float least) {
  static_assert(kChunkRows <= 4096, "the widening covers 2^12 rows");
  constexpr float kInf = std::numeric_limits<float>::infinity();
  if (least == kInf) return sum == 0;
  return static_cast<double>(sum) * (1 + 0x1p-10) <= 0x1p53 * float_spacing(least);
}

// Features [j, j + 16 NB) of rows [begin, end), those past d masked off: per feature (lane) the
// float sum of the magnitudes and the smallest nonzero one (+inf if none), two rows at a time
// into separate registers (their latency chains overlap). Rows whose 16 NB floats would run
// past the end of x are copied out first.
template <int NB>
SEGMINT_INLINE void magnitudes(MatrixView x, std::size_t begin, std::size_t end, int j, float* sum,
                               float* least) {
  constexpr float kInf = std::numeric_limits<float>::infinity();
  const int d = static_cast<int>(x.cols);
  alignas(64) static constexpr std::int32_t kLane[kTile] = {0, 1, 2,  3,  4,  5,  6,  7,
                                                            8, 9, 10, 11, 12, 13, 14, 15};
  v16i keep[NB];
  v16f s[2][NB], q[2][NB];
  for (int b = 0; b < NB; ++b) {
    keep[b] = load_lanes<v16i>(kLane) + (j + kTile * b) < v16i{} + d;
    for (int h = 0; h < 2; ++h) s[h][b] = v16f{}, q[h][b] = v16f{} + kInf;
  }
  const float* const x_end = x.data + x.rows * x.cols;
  auto add = [&](int h, const float* xi) __attribute__((always_inline)) {
    float tail[kTile * NB] = {};
    if (xi + kTile * NB > x_end) {  // the last rows of x: nothing past its end is read
      for (int f = 0; f < kTile * NB && j + f < d; ++f) tail[f] = xi[f];
      xi = tail;
    }
    for (int b = 0; b < NB; ++b) {
      const v16f v = vselect(keep[b], load16(xi + kTile * b), v16f{});
      const v16f a = vmax(v, -v);  // |v| (NaN stays NaN)
      s[h][b] = s[h][b] + a;
      q[h][b] = vmin(q[h][b], vselect(a > 0, a, v16f{} + kInf));
    }
  };
  std::size_t i = begin;
  for (; i + 2 <= end; i += 2) {
    add(0, x.row(i) + j);
    add(1, x.row(i + 1) + j);
  }
  if (i < end) add(0, x.row(i) + j);
  for (int b = 0; b < NB; ++b) {
    store16(sum + kTile * b, s[0][b] + s[1][b]);
    store16(least + kTile * b, vmin(q[0][b], q[1][b]));
  }
}

// Whether every feature's sums over rows [begin, end) are exact (sums_exact), 32 features at a
// time: one read of the chunk, from cache where a pass has just read it.
SEGMINT_INLINE bool chunk_sums_exact(MatrixView x, std::size_t begin, std::size_t end) {
  const int d = static_cast<int>(x.cols);
  for (int j = 0; j < d; j += 2 * kTile) {
    alignas(64) float sum[2 * kTile], least[2 * kTile];
    if (d - j > kTile)
      magnitudes<2>(x, begin, end, j, sum, least);
    else
      magnitudes<1>(x, begin, end, j, sum, least);
    for (int f = 0; f < 2 * kTile && j + f < d; ++f)
      if (!sums_exact(sum[f], least[f])) return false;
  }
  return true;
}

// A pass of the Lloyd loop with unit weights and the bounds' exact_chunks: the chunk's entry
// there, where no pass has decided it yet. Its own function, after a body's loop (so it takes
// none of the loop's registers; unused where a test includes the kernel for its helpers).
__attribute__((noinline, unused)) void certify_chunk(const ChunkArgs& a, std::size_t begin,
                                                     std::size_t end) {
  std::uint8_t& state = a.bounds->exact_chunks[begin / kChunkRows];
  if (state == kExactUnknown) state = chunk_sums_exact(a.x, begin, end) ? kExactYes : kExactNo;
}

}  // namespace
}  // namespace segmint::kmeans
