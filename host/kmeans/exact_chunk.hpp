// Whether a chunk's cluster sums are exact whatever rows they hold (BoundArgs::exact_chunks,
// ExactChunk in bounds.hpp), compiled per instruction set with the kernel: where they are, a
// bounded pass moves a row that changes label from one sum to the other in place and gets the
// bits of a refold in row order.
#pragma once

#include <algorithm>
#include <cmath>
#include <limits>
#include <type_traits>
#include <vector>

#include "kmeans/assign_kernel.hpp"

namespace segmint::kmeans {
namespace {  // one copy per instruction-set translation unit (never shared across them)

// The grid floor of a feature whose magnitudes add up to `sum` (a float sum of at most
// kChunkRows of them: at most 2^-12 below the true one, nonnegative terms; widened by 2^-10):
// the smallest power of two m = 2^e with 2^(e - 23) above sum 2^-53, so that every float of
// magnitude >= m, a whole multiple of 2^(e - 23), makes exact sums (all below 2^53 of it).
// 0: every value does (below 2^-126 the spacing is 2^-149 for all); +inf: none (no finite sum).
SEGMINT_INLINE float grid_floor(float sum) {
  static_assert(kChunkRows <= 4096, "the widening covers 2^12 rows");
  constexpr float kInf = std::numeric_limits<float>::infinity();
  if (!(sum < kInf)) return kInf;  // NaN or infinite
  if (sum == 0) return 0;
  const double need = static_cast<double>(sum) * (1 + 0x1p-10) * 0x1p-53;
  const int e = std::ilogb(need) + 1 + (std::numeric_limits<float>::digits - 1);
  if (e < std::numeric_limits<float>::min_exponent - 1) return 0;
  if (e >= std::numeric_limits<float>::max_exponent) return kInf;
  return std::ldexp(1.f, e);
}

// Row i of x from feature j, 16 NB floats (the lanes past d are read as they come): in place,
// or copied out where they would run past the end of x.
template <int NB>
struct StripRows {
  MatrixView x;
  int j;
  const float* x_end = x.data + x.rows * x.cols;
  float tail[kTile * NB] = {};
  SEGMINT_INLINE const float* row(std::size_t i) {
    const float* xi = x.row(i) + j;
    if (xi + kTile * NB <= x_end) return xi;
    for (int f = 0; f < kTile * NB && j + f < static_cast<int>(x.cols); ++f) tail[f] = xi[f];
    return tail;
  }
};

// Lanes j + l < d of the 16-feature blocks from feature j.
template <int NB>
SEGMINT_INLINE void strip_lanes(int j, int d, v16i* keep) {
  alignas(64) static constexpr std::int32_t kLane[kTile] = {0, 1, 2,  3,  4,  5,  6,  7,
                                                            8, 9, 10, 11, 12, 13, 14, 15};
  for (int b = 0; b < NB; ++b) keep[b] = load_lanes<v16i>(kLane) + (j + kTile * b) < v16i{} + d;
}

// Features [j, j + 16 NB) of rows [begin, end), those past d masked off: per feature (lane) the
// float sum of the magnitudes and the smallest nonzero one (+inf if none), two rows at a time
// into separate registers (their latency chains overlap).
template <int NB>
SEGMINT_INLINE void magnitudes(MatrixView x, std::size_t begin, std::size_t end, int j, float* sum,
                               float* least) {
  constexpr float kInf = std::numeric_limits<float>::infinity();
  v16i keep[NB];
  strip_lanes<NB>(j, static_cast<int>(x.cols), keep);
  v16f s[2][NB], q[2][NB];
  for (int b = 0; b < NB; ++b)
    for (int h = 0; h < 2; ++h) s[h][b] = v16f{}, q[h][b] = v16f{} + kInf;
  StripRows<NB> rows{x, j};
  auto add = [&](int h, std::size_t i) __attribute__((always_inline)) {
    const float* xi = rows.row(i);
    for (int b = 0; b < NB; ++b) {
      const v16f v = vselect(keep[b], load16(xi + kTile * b), v16f{});
      const v16f a = vmax(v, -v);  // |v| (NaN stays NaN)
      s[h][b] = s[h][b] + a;
      q[h][b] = vmin(q[h][b], vselect(a > 0, a, v16f{} + kInf));
    }
  };
  std::size_t i = begin;
  for (; i + 2 <= end; i += 2) {
    add(0, i);
    add(1, i + 1);
  }
  if (i < end) add(0, i);
  for (int b = 0; b < NB; ++b) {
    store16(sum + kTile * b, s[0][b] + s[1][b]);
    store16(least + kTile * b, vmin(q[0][b], q[1][b]));
  }
}

// The same strip: fine[i - begin] = 1 for the rows with a nonzero magnitude below its lane's
// floor (floors: 16 NB).
template <int NB>
SEGMINT_INLINE void fine_rows(MatrixView x, std::size_t begin, std::size_t end, int j,
                              const float* floors, std::uint8_t* fine) {
  v16i keep[NB];
  strip_lanes<NB>(j, static_cast<int>(x.cols), keep);
  v16f floor[NB];
  for (int b = 0; b < NB; ++b) floor[b] = load16(floors + kTile * b);
  StripRows<NB> rows{x, j};
  for (std::size_t i = begin; i < end; ++i) {
    const float* xi = rows.row(i);
    std::uint32_t below = 0;
    for (int b = 0; b < NB; ++b) {
      const v16f v = vselect(keep[b], load16(xi + kTile * b), v16f{});
      const v16f a = vmax(v, -v);
      below |= lanes_less(v16f{}, a) & lanes_less(a, floor[b]);
    }
    if (below) fine[i - begin] = 1;
  }
}

// Calls f(j, NB) over strips of up to 32 features (NB blocks of 16).
template <class F>
SEGMINT_INLINE void over_strips(int d, F f) {
  for (int j = 0; j < d; j += 2 * kTile)
    if (d - j > kTile)
      f(j, std::integral_constant<int, 2>{});
    else
      f(j, std::integral_constant<int, 1>{});
}

// The certificate of rows [begin, end) (ExactChunk): one read of the chunk, from cache where a
// pass has just read it, for the sums, floors and smallest magnitudes; a second one only where a
// value falls below its floor, for the fine rows. No: a NaN or an infinity (no floor then), or
// more than kMaxFine fine rows.
inline void certify_rows(MatrixView x, std::size_t begin, std::size_t end, ExactChunk& out) {
  const int d = static_cast<int>(x.cols);
  std::vector<float> floors(static_cast<std::size_t>(d) + 2 * kTile, 0.f);
  bool any_fine = false;
  out.state = kExactNo;
  out.fine = 0;
  bool finite = true;
  over_strips(d, [&](int j, auto nb) {
    alignas(64) float sum[2 * kTile], least[2 * kTile];
    magnitudes<decltype(nb)::value>(x, begin, end, j, sum, least);
    for (int f = 0; f < 2 * kTile && j + f < d; ++f) {
      finite = finite && sum[f] < std::numeric_limits<float>::infinity();
      floors[j + f] = grid_floor(sum[f]);
      any_fine = any_fine || least[f] < floors[j + f];
    }
  });
  if (!finite) return;
  if (any_fine) {
    std::vector<std::uint8_t> fine(end - begin, 0);
    over_strips(d, [&](int j, auto nb) {
      fine_rows<decltype(nb)::value>(x, begin, end, j, floors.data() + j, fine.data());
    });
    for (std::size_t r = 0; r < fine.size(); ++r) {
      if (!fine[r]) continue;
      if (out.fine == ExactChunk::kMaxFine) {
        out.fine = 0;  // no
        return;
      }
      out.fine_rows[out.fine++] = static_cast<std::uint16_t>(r);
    }
  }
  out.state = kExactYes;
}

// The clusters of an exact chunk that hold none of its fine rows (labels: the chunk's, as the
// pass starts): coarse[c] = 1.
SEGMINT_INLINE void coarse_clusters(const ExactChunk& cert, const std::int32_t* labels, int k,
                                    std::uint8_t* coarse) {
  std::fill(coarse, coarse + k, std::uint8_t{1});
  for (int r = 0; r < cert.fine; ++r) coarse[labels[cert.fine_rows[r]]] = 0;
}

// A pass of the Lloyd loop with unit weights and the bounds' exact_chunks: the chunk's entry
// there, where no pass has decided it yet. Its own function, after a body's loop (so it takes
// none of the loop's registers; unused where a test includes the kernel for its helpers).
__attribute__((noinline, unused)) void certify_chunk(const ChunkArgs& a, std::size_t begin,
                                                     std::size_t end) {
  ExactChunk& cert = a.bounds->exact_chunks[begin / kChunkRows];
  if (cert.state == kExactUnknown) certify_rows(a.x, begin, end, cert);
}

}  // namespace
}  // namespace segmint::kmeans
