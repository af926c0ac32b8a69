// Per-segment cohesion and separation and the share of rows near a segment boundary: the
// geometric half of summary.json's quality section (the pipeline adds silhouette and
// stability), computed in fixed row chunks so the result never depends on the thread count.
#pragma once
#include <cstdint>
#include <vector>

#include "segmint/matrix.hpp"

namespace segmint::metrics {

struct SegmentSpread {
  std::vector<double> cohesion;        ///< per segment: RMS distance of its rows to its centroid
  std::vector<double> separation;      ///< per segment: distance to the nearest other centroid
  std::vector<double> boundary_share;  ///< per segment: share of its rows near a boundary
  std::vector<std::int64_t> size;      ///< per segment: rows labelled with it
  double boundary_share_all = 0;       ///< over all rows
};

/// Rows of x (n x d) labelled 0..k-1 against centroids (k x d). A row is near a boundary when
/// its distance to the nearest centroid is at least `ratio` times its distance to the second
/// nearest (ratio 0.9: the runner-up is at most 11 % farther). Distances are Euclidean,
/// computed with detail::squared_distance; sums in double over 4096-row chunks, added in chunk
/// order.
SegmentSpread segment_spread(MatrixView x, const std::int32_t* labels, const float* centroids,
                             int k, double ratio, int threads = 0);

}  // namespace segmint::metrics
