// Host-side random numbers of the GPU initialisations (splitmix64: tiny, portable, identical on
// every platform) and the weighted greedy k-means++ over k-means|| candidates (CUDA-free).
#pragma once
#include <cstdint>
#include <vector>

namespace segmint::gpu {

/// Next 64 random bits; advances state.
std::uint64_t rng_next(std::uint64_t& state);
/// Uniform double in [0, 1) with 53 random bits.
double rng_uniform(std::uint64_t& state);
/// Uniform integer in [0, n) (n > 0).
std::uint64_t rng_below(std::uint64_t& state, std::uint64_t n);
/// Seed of restart `run` of a fit seeded with `seed`.
std::uint64_t run_seed(std::uint64_t seed, int run);

/// Greedy k-means++ over m weighted points (m x d row-major) -> k x d centroids.
std::vector<float> weighted_plus_plus(const std::vector<float>& points,
                                      const std::vector<double>& weights, int d, int k,
                                      std::uint64_t& state);

}  // namespace segmint::gpu
