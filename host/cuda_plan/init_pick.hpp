// The host half of the device k-means++ draw: a row sampled with probability w * closest, found
// in two steps so that only one chunk of distances crosses the bus: the chunk from the per-chunk
// potentials the device summed, then the row inside that chunk. CUDA-free: unit-tested on the CPU.
#pragma once
#include <cstddef>
#include <cstdint>
#include <vector>

namespace segmint::cuda_plan {

/// Where a running sum reaches a target: the chunk, and the sum of the chunks before it.
struct ChunkPick {
  std::size_t chunk = 0;
  double before = 0;
};

/// First chunk c (of `chunks`) with a positive potential at which before + pot reaches
/// `target`; the last chunk when rounding leaves the target past the end. pots is chunks x cols
/// row-major; column `col` is read.
ChunkPick pick_chunk(const std::vector<double>& pots, std::size_t col, std::size_t cols,
                     std::size_t chunks, double target);

/// Inside a chunk of `rows` rows whose running sum starts at `before`: the first row with a
/// positive mass w * closest at which the sum reaches `target`, else the last row with a
/// positive mass (rounding past the end, as numpy's searchsorted clips), else rows - 1. weights
/// may be null (all 1). Returns the index within the chunk.
std::size_t pick_in_chunk(const float* closest, const float* weights, std::size_t rows,
                          double before, double target);

/// First row whose running sum of weights passes u * total weight (the weighted first centre).
std::size_t pick_by_weight(const std::vector<float>& weights, double u);

}  // namespace segmint::cuda_plan
