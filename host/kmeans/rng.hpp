// Deterministic random numbers for k-means: a seeded stream (splitmix64) and a counter-based
// hash for per-row draws, so results never depend on thread count or library versions.
#pragma once
#include <cstddef>
#include <cstdint>

namespace segmint::kmeans {

/// splitmix64 finaliser: a bijective 64-bit mix with good avalanche.
inline std::uint64_t mix64(std::uint64_t z) {
  z += 0x9E3779B97F4A7C15ull;
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

/// Uniform double in [0, 1) from the top 53 bits (std:: distributions are not portable).
inline double to_unit(std::uint64_t bits) { return static_cast<double>(bits >> 11) * 0x1.0p-53; }

/// Counter-based uniform draw in [0, 1) for (seed, stream, index): the same value whichever
/// thread asks, so parallel sampling is reproducible.
inline double hash_uniform(std::uint64_t seed, std::uint64_t stream, std::uint64_t index) {
  return to_unit(mix64(mix64(seed ^ mix64(stream)) + index));
}

/// A sequential seeded stream (splitmix64).
class Rng {
 public:
  explicit Rng(std::uint64_t seed) : state_(seed) {}
  std::uint64_t next() {
    state_ += 0x9E3779B97F4A7C15ull;
    return mix64(state_);
  }
  double uniform() { return to_unit(next()); }
  /// Uniform integer in [0, n); n > 0. Rejection sampling keeps it unbiased.
  std::size_t below(std::size_t n) {
    const std::uint64_t limit = ~std::uint64_t{0} - (~std::uint64_t{0} % n);
    std::uint64_t v;
    do v = next();
    while (v >= limit);
    return static_cast<std::size_t>(v % n);
  }

 private:
  std::uint64_t state_;
};

}  // namespace segmint::kmeans
