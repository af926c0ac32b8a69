// k-means++'s two distance loops, written once and compiled once per instruction set
// (init_avx512.cpp, init_avx2.cpp, init_base.cpp, all without floating-point contraction): rows
// go 16 to a tile, one per vector lane (the assignment kernel's tiles and transpose), so one
// vector instruction advances 16 distances. Each lane computes detail::squared_distance's
// bits (t = x - c, then s += t * t in feature order, no fused multiply-add), and the trial sums
// add each candidate's terms in row order, so the centroids are the scalar loops' bit for bit
// (tests/unit/kmeans_init_reference_test.cpp, every kernel).
#pragma once
#include <algorithm>
#include <vector>

#include "kmeans/assign_isa.hpp"
#include "kmeans/init_chunk.hpp"

namespace segmint::kmeans {
namespace {  // one copy per instruction-set translation unit (never shared across them)

// The 16 rows from i of [i, end) into xT (transposed), lanes past the end repeating the last row;
// returns how many rows are real.
SEGMINT_INLINE int load_tile(MatrixView x, std::size_t i, std::size_t end, float* xT) {
  const int rows = end - i >= static_cast<std::size_t>(kTile) ? kTile : static_cast<int>(end - i);
  const float* row[kTile];
  for (int r = 0; r < kTile; ++r) row[r] = x.row(i + (r < rows ? r : rows - 1));
  transpose_tile(row, static_cast<int>(x.cols), xT);
  return rows;
}

// Squared distances of the tile's rows to NC centres at once (NC independent chains).
template <int NC>
SEGMINT_INLINE void tile_sq(const float* xT, int d, const float* const* c, v16f* s) {
  for (int q = 0; q < NC; ++q) s[q] = v16f{};
  for (int j = 0; j < d; ++j) {
    const v16f xv = load16(xT + kTile * j);
    for (int q = 0; q < NC; ++q) {
      const v16f t = xv - c[q][j];
      s[q] = s[q] + t * t;
    }
  }
}

SEGMINT_INLINE void to_centre_body(MatrixView x, const float* c, std::size_t begin,
                                   std::size_t end, float* closest) {
  std::vector<float> xT(static_cast<std::size_t>(kTile) * x.cols);
  const int d = static_cast<int>(x.cols);
  float dist[kTile];
  for (std::size_t i = begin; i < end; i += kTile) {
    const int rows = load_tile(x, i, end, xT.data());
    v16f s;
    tile_sq<1>(xT.data(), d, &c, &s);
    store16(dist, s);
    std::copy_n(dist, rows, closest + i);
  }
}

// Four candidates at a time: four chains per tile (fewer in the last group; the spare lanes
// repeat its last candidate and are not summed). Each row's min(closest, distance) is kept in
// mins[q]: the caller's next closest distances, whichever candidate wins (no second pass over x).
template <int NC>
SEGMINT_INLINE void trial_group(const float* xT, int d, const float* const* cand, int group,
                                std::size_t i, int rows, const float* w, const float* closest,
                                double* sums, float* const* mins) {
  const float* c[NC];
  for (int q = 0; q < NC; ++q) c[q] = cand[q < group ? q : group - 1];
  v16f s[NC];
  tile_sq<NC>(xT, d, c, s);
  float dist[NC][kTile];
  for (int q = 0; q < NC; ++q) store16(dist[q], s[q]);
  double acc[NC];
  for (int q = 0; q < NC; ++q) acc[q] = q < group ? sums[q] : 0.0;  // sums holds `group`
  for (int r = 0; r < rows; ++r) {
    const double wi = w ? static_cast<double>(w[i + r]) : 1.0;
    for (int q = 0; q < NC; ++q) {
      if (q >= group) break;
      const float m = std::min(closest[i + r], dist[q][r]);
      mins[q][i + r] = m;
      acc[q] += wi * m;
    }
  }
  for (int q = 0; q < group; ++q) sums[q] = acc[q];
}

SEGMINT_INLINE void trial_sums_body(MatrixView x, const float* w, const float* closest,
                                    const float* const* cand, int trials, std::size_t begin,
                                    std::size_t end, double* out, float* const* mins) {
  std::vector<float> xT(static_cast<std::size_t>(kTile) * x.cols);
  const int d = static_cast<int>(x.cols);
  std::vector<double> sums(static_cast<std::size_t>(trials), 0.0);  // not `out`: neighbouring
  for (std::size_t i = begin; i < end; i += kTile) {                 // chunks share its lines
    const int rows = load_tile(x, i, end, xT.data());
    for (int l0 = 0; l0 < trials; l0 += 4) {
      const int group = std::min(4, trials - l0);
      double* at = sums.data() + l0;
      if (group == 1)
        trial_group<1>(xT.data(), d, cand + l0, 1, i, rows, w, closest, at, mins + l0);
      else
        trial_group<4>(xT.data(), d, cand + l0, group, i, rows, w, closest, at, mins + l0);
    }
  }
  std::copy(sums.begin(), sums.end(), out);
}

}  // namespace
}  // namespace segmint::kmeans
