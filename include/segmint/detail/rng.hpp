// splitmix64 written once for the whole project: the finaliser, the seeded stream, the
// counter-based per-row draw (host and device) and the sequential Rng of the k-means inits.
#pragma once
#include <cstddef>
#include <cstdint>

#include "segmint/detail/hd.hpp"

namespace segmint::detail {

/// splitmix64's increment (the 64-bit golden ratio).
constexpr std::uint64_t kGolden64 = 0x9E3779B97F4A7C15ull;

/// splitmix64's output function: a bijective 64-bit mix with good avalanche.
SEGMINT_HD std::uint64_t splitmix64_finalize(std::uint64_t z) {
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

/// One step of the splitmix64 stream: advances `state` by kGolden64 and returns its mix.
SEGMINT_HD std::uint64_t splitmix64(std::uint64_t& state) {
  state += kGolden64;
  return splitmix64_finalize(state);
}

/// Stateless hash of z: the first splitmix64 output of state z.
SEGMINT_HD std::uint64_t mix64(std::uint64_t z) { return splitmix64(z); }

/// Uniform double in [0, 1) from the top 53 bits (std:: distributions are not portable).
SEGMINT_HD double to_unit(std::uint64_t bits) {
  return static_cast<double>(bits >> 11) * 0x1.0p-53;
}

/// Counter-based uniform draw in [0, 1) for (seed, stream, index): the same value whichever
/// thread (or device thread) asks, so parallel sampling is reproducible.
SEGMINT_HD double hash_uniform(std::uint64_t seed, std::uint64_t stream, std::uint64_t index) {
  return to_unit(mix64(mix64(seed ^ mix64(stream)) + index));
}

/// A sequential seeded stream: outputs mix64(seed + i * kGolden64) for i = 1, 2, ...
class Rng {
 public:
  explicit Rng(std::uint64_t seed) : state_(seed) {}
  std::uint64_t next() {
    state_ += kGolden64;
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

}  // namespace segmint::detail
