// Random numbers for the generator: splitmix64 (segmint/detail/rng.hpp) derives independent
// per-user seeds from (seed, user index), xoshiro256** is the per-user stream. Both are tiny,
// fast and give the same sequence on every platform: generated files are byte-identical.
#pragma once
#include <cmath>
#include <cstdint>

#include "segmint/detail/rng.hpp"

namespace segmint::gen {

/// xoshiro256**: 256-bit state, period 2^256 - 1.
class Rng {
 public:
  /// A stream determined by (seed, stream) only: user u of seed s always draws the same numbers,
  /// whichever thread generates it.
  Rng(std::uint64_t seed, std::uint64_t stream) {
    std::uint64_t sm = seed ^ (stream * 0xD1B54A32D192ED03ull);
    detail::splitmix64(sm);
    for (auto& w : s_) w = detail::splitmix64(sm);
  }

  std::uint64_t next() {
    const std::uint64_t result = rotl(s_[1] * 5, 7) * 9;
    const std::uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = rotl(s_[3], 45);
    return result;
  }

  /// Uniform in [0, 1) with 53 random bits.
  double uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
  double uniform(double lo, double hi) { return lo + (hi - lo) * uniform(); }
  /// Uniform integer in [lo, hi] (inclusive); multiply-shift, bias below 2^-32 for our ranges.
  std::int64_t between(std::int64_t lo, std::int64_t hi) {
    auto span = static_cast<std::uint64_t>(hi - lo) + 1;
    return lo + static_cast<std::int64_t>((next() >> 32) * span >> 32);
  }
  bool chance(double p) { return uniform() < p; }
  /// Exponential with the given mean.
  double exponential(double mean) { return -mean * std::log1p(-uniform()); }
  /// Standard normal (Box-Muller; one of the pair is discarded for simplicity).
  double normal() {
    double u = uniform(), v = uniform();
    return std::sqrt(-2.0 * std::log1p(-u)) * std::cos(6.283185307179586 * v);
  }

 private:
  static std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  std::uint64_t s_[4];
};

}  // namespace segmint::gen
