// Two-step sampling of the device k-means++: chunk from the chunk potentials, then the row.
#include "cuda_plan/init_pick.hpp"

namespace segmint::cuda_plan {

ChunkPick pick_chunk(const std::vector<double>& pots, std::size_t col, std::size_t cols,
                     std::size_t chunks, double target) {
  ChunkPick p;
  for (; p.chunk + 1 < chunks; ++p.chunk) {
    const double v = pots[p.chunk * cols + col];
    if (p.before + v >= target && v > 0) break;
    p.before += v;
  }
  return p;
}

std::size_t pick_in_chunk(const float* closest, const float* weights, std::size_t rows,
                          double before, double target) {
  double run = before;
  std::size_t last_positive = rows - 1;
  for (std::size_t i = 0; i < rows; ++i) {
    const double v = static_cast<double>(weights ? weights[i] : 1.f) * closest[i];
    if (v > 0) last_positive = i;
    run += v;
    if (v > 0 && run >= target) return i;
  }
  return last_positive;
}

std::size_t pick_by_weight(const std::vector<float>& weights, double u) {
  double total = 0;
  for (float w : weights) total += w;
  const double target = u * total;
  double run = 0;
  for (std::size_t i = 0; i < weights.size(); ++i) {
    run += weights[i];
    if (run > target) return i;
  }
  return weights.empty() ? 0 : weights.size() - 1;
}

}  // namespace segmint::cuda_plan
