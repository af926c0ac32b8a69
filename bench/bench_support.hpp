// Small helpers the benchmarks share: a fixed-seed generator and size knobs from the environment.
#pragma once
#include <cstdint>
#include <cstdlib>

namespace segmint::bench {

/// A fixed-seed xorshift64 generator: the benchmarks' synthetic data is the same on every run
/// and machine (std::mt19937's distributions are not specified bit for bit across libraries).
class XorShift64 {
 public:
  explicit XorShift64(std::uint64_t seed) : s_(seed) {}
  std::uint64_t operator()() {
    s_ ^= s_ << 13;
    s_ ^= s_ >> 7;
    s_ ^= s_ << 17;
    return s_;
  }

 private:
  std::uint64_t s_;
};

/// The count in environment variable `name` (decimal), else `fallback`.
inline std::uint64_t env_count(const char* name, std::uint64_t fallback) {
  const char* env = std::getenv(name);
  return env ? std::strtoull(env, nullptr, 10) : fallback;
}

}  // namespace segmint::bench
