// A fixed-seed xorshift64 generator: the benchmarks' synthetic data is the same on every run
// and machine (std::mt19937's distributions are not specified bit for bit across libraries).
#pragma once
#include <cstdint>

namespace segmint::bench {

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

}  // namespace segmint::bench
